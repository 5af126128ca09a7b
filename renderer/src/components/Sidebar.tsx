/** The library: sessions grouped by account, with search, filters and sort. */
import { useMemo } from 'react';
import type { LibraryEntry } from '../../../shared/dto.js';
import { allLabels, groupLibrary, type AccountGroup } from '../../../shared/library-view.js';
import { ago, formatShort, num } from '../format.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore, type SidebarFilter, type SidebarSort } from '../store.js';
import { Badge, Icon, LabelChips } from './ui.js';

const FILTERS: [SidebarFilter, string][] = [
  ['all', 'All'],
  ['expired', 'Likely expired'],
  ['warnings', 'Warnings'],
  ['duplicates', 'Duplicates'],
  ['unknown', 'Unknown'],
];

/** An account group's heading: "Jane Doe @jane" over its user id, or "Account <id>". */
function GroupHead({ g }: { g: AccountGroup }) {
  const count = <span className="group-count">{g.entries.length}</span>;
  if (!g.userId) {
    return (
      <div className="group-h">
        {g.title}
        <span className="spacer" />
        {count}
      </div>
    );
  }
  return (
    <div className="group-h account" data-testid="group-head">
      <div className="group-title">
        {g.subtitle ? (
          <>
            <span className="group-name" data-testid="group-title">
              {g.title}
            </span>
            <span className="mono group-id" data-testid="group-subtitle">
              {g.subtitle}
            </span>
          </>
        ) : (
          <span className="group-plain">
            {g.isBot ? 'Bot' : 'Account'} <span className="mono">{g.userId}</span>
          </span>
        )}
      </div>
      {g.isBot === true && g.subtitle && <Badge>bot</Badge>}
      <span className="spacer" />
      {count}
    </div>
  );
}

export function EntryBadges({ e }: { e: LibraryEntry }) {
  if (e.status !== 'ok') return null;
  return (
    <div className="item-badges">
      <Badge tone="fmt">{formatShort(e.format)}</Badge>
      {e.homeDc !== null && <Badge>DC {e.homeDc}</Badge>}
      {e.testMode === true && <Badge tone="violet">test</Badge>}
      {e.isBot === true && <Badge>bot</Badge>}
      {e.duplicates.length > 0 && (
        <Badge tone="danger" title={`Same auth key as:\n${e.duplicates.join('\n')}`}>
          duplicate
        </Badge>
      )}
      {e.peers !== null && e.peers > 0 && <Badge>{num(e.peers)} {e.peers === 1 ? 'peer' : 'peers'}</Badge>}
      {e.likelyExpired && (
        <Badge tone="danger" title="Unused longer than the authorization TTL: Telegram has likely ended it">
          likely expired
        </Badge>
      )}
      {e.warnings.length > 0 && (
        <Badge tone="warn" title={e.warnings.join('\n')}>
          {e.warnings.length} warning{e.warnings.length === 1 ? '' : 's'}
        </Badge>
      )}
    </div>
  );
}

export function Sidebar() {
  const { entries, search, filter, sort, label, set, selected, select, imported, loaded, scanning, roots, checked, toggleChecked, openDialog } = useStore(useShallow((s) => ({ entries: s.entries, search: s.search, filter: s.filter, sort: s.sort, label: s.label, set: s.set, selected: s.selected, select: s.select, imported: s.imported, loaded: s.loaded, scanning: s.scanning, roots: s.roots, checked: s.checked, toggleChecked: s.toggleChecked, openDialog: s.openDialog })));
  const labels = useMemo(() => allLabels(entries), [entries]);
  // A label no session carries any more filters nothing.
  const byLabel = label !== null && labels.includes(label) ? label : null;
  const groups = useMemo(() => groupLibrary(entries, search, filter, sort, byLabel), [entries, search, filter, sort, byLabel]);
  const expired = entries.filter((e) => e.likelyExpired).length;
  const duplicates = entries.filter((e) => e.duplicates.length > 0).length;
  const sessions = entries.filter((e) => e.status === 'ok').length;

  return (
    <aside className="sidebar" aria-label="Library">
      <div className="side-tools">
        <input className="input" placeholder="Search files, accounts, labels, user ids…" value={search} onChange={(e) => set({ search: e.target.value })} aria-label="Search the library" data-testid="library-search" />
        <div className="side-row">
          <div className="chips">
            {FILTERS.map(([f, text]) => (
              <button key={f} className={`chip ${filter === f ? 'on' : ''}`} onClick={() => set({ filter: f })}>
                {text}
                {f === 'expired' && expired > 0 ? ` · ${expired}` : ''}
                {f === 'duplicates' && duplicates > 0 ? ` · ${duplicates}` : ''}
              </button>
            ))}
          </div>
        </div>
        {labels.length > 0 && (
          <div className="side-row label-filter" role="group" aria-label="Filter by label" data-testid="label-filter">
            <span className="faint small">Label</span>
            <div className="chips">
              {labels.map((l) => (
                <button key={l} className={`chip label ${byLabel === l ? 'on' : ''}`} aria-pressed={byLabel === l} onClick={() => set({ label: byLabel === l ? null : l })}>
                  {l}
                </button>
              ))}
            </div>
          </div>
        )}
        <div className="side-row">
          <span className="faint small">Sort by</span>
          <select className="input" value={sort} onChange={(e) => set({ sort: e.target.value as SidebarSort })} aria-label="Sort by" style={{ height: 24, fontSize: 12, width: 'auto', flex: 1 }}>
            <option value="name">Name</option>
            <option value="activity">Last activity</option>
            <option value="modified">Modified</option>
            <option value="format">Format</option>
          </select>
        </div>
      </div>
      {filter === 'expired' && expired > 0 && (
        <div className="side-banner" data-testid="expired-banner">
          <span>
            {expired} session{expired === 1 ? '' : 's'} unused past the authorization TTL.
          </span>
          <button className="btn sm" onClick={() => openDialog({ type: 'cleanup' })} data-testid="cleanup-open">
            <Icon name="archive" /> Clean up…
          </button>
        </div>
      )}
      <div className="side-list" data-testid="library">
        {imported.length > 0 && (
          <>
            <div className="group-h">Pasted strings</div>
            {imported.map((i) => (
              <button key={i.ref} className={`item ${selected === i.ref ? 'sel' : ''}`} onClick={() => void select(i.ref)}>
                <div className="item-top">
                  <span className="item-name">{i.title}</span>
                </div>
                <div className="item-badges">
                  <Badge tone="fmt">{formatShort(i.summary.format)}</Badge>
                  {i.summary.homeDc !== null && <Badge>DC {i.summary.homeDc}</Badge>}
                </div>
              </button>
            ))}
          </>
        )}
        {groups.map((g) => (
          <div key={g.key} role="group" aria-label={g.userId ? `Account ${g.userId}` : g.title}>
            <GroupHead g={g} />
            {g.entries.map((e) => (
              <div key={e.path} className={`item-wrap ${checked.includes(e.path) ? 'checked' : ''} ${checked.length > 0 ? 'selecting' : ''}`}>
                {e.status === 'ok' && (
                  <input type="checkbox" className="item-check" checked={checked.includes(e.path)} onChange={() => toggleChecked(e.path)} aria-label={`Select ${e.name}`} data-testid="entry-check" />
                )}
                <button
                  className={`item ${selected === e.path ? 'sel' : ''}`}
                  onClick={() => (e.status === 'locked' ? openDialog({ type: 'unlock', path: e.path }) : void select(e.path))}
                  title={e.path}
                  data-testid="entry"
                >
                  <div className="item-top">
                    <span className="item-name">{e.name}</span>
                    <span className="item-time">{ago(Math.max(e.lastActivity * 1000, e.mtimeMs))}</span>
                  </div>
                  <EntryBadges e={e} />
                  <LabelChips labels={e.labels} />
                  {e.status === 'locked' && (
                    <div className="item-locked" data-testid="entry-locked">
                      <Icon name="lock" /> Telegram Desktop, locked with a passcode: click to unlock
                    </div>
                  )}
                  {(e.status === 'error' || e.status === 'unknown') && <div className="item-err">{e.status === 'error' ? e.error : 'not a session file Session Deck knows'}</div>}
                </button>
              </div>
            ))}
          </div>
        ))}
        {loaded && entries.length > 0 && groups.length === 0 && <div className="faint" style={{ padding: 16 }}>Nothing matches this search or filter.</div>}
        {loaded && roots.length > 0 && entries.length === 0 && !scanning && <div className="faint" style={{ padding: 16 }}>No files found in the added folders yet.</div>}
      </div>
      {checked.length > 0 && (
        <div className="selection-bar" data-testid="selection-bar">
          <strong>{checked.length} selected</strong>
          <span className="spacer" />
          <button className="btn sm" onClick={() => openDialog({ type: 'backup' })} data-testid="selection-backup">
            <Icon name="shield" /> Back up
          </button>
          <button className="btn sm" onClick={() => openDialog({ type: 'batch' })} data-testid="selection-convert">
            <Icon name="convert" /> Convert
          </button>
          <button className="btn ghost sm" onClick={() => set({ checked: [] })} aria-label="Clear the selection" title="Clear the selection">
            <Icon name="close" />
          </button>
        </div>
      )}
      <div className="side-foot">
        {scanning && <div className="spinner" />}
        <span>
          {num(sessions)} session{sessions === 1 ? '' : 's'} in {roots.length} location{roots.length === 1 ? '' : 's'}
        </span>
      </div>
    </aside>
  );
}
