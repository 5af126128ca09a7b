/** The library: sessions grouped by account, with search, filters and sort. */
import { useMemo } from 'react';
import { allLabels, groupLibrary } from '../../../shared/library-view.js';
import { num } from '../format.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore, type SidebarFilter, type SidebarSort } from '../store.js';
import { Icon } from './ui.js';
import { LibraryList } from './LibraryList.js';

const FILTERS: [SidebarFilter, string][] = [
  ['all', 'All'],
  ['expired', 'Likely expired'],
  ['warnings', 'Warnings'],
  ['duplicates', 'Duplicates'],
  ['unknown', 'Unknown'],
];

export function Sidebar() {
  const { entries, search, filter, sort, label, set, imported, loaded, scanning, roots, checked, openDialog } = useStore(useShallow((s) => ({ entries: s.entries, search: s.search, filter: s.filter, sort: s.sort, label: s.label, set: s.set, imported: s.imported, loaded: s.loaded, scanning: s.scanning, roots: s.roots, checked: s.checked, openDialog: s.openDialog })));
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
      <LibraryList
        imported={imported}
        groups={groups}
        after={
          <>
            {loaded && entries.length > 0 && groups.length === 0 && <div className="faint" style={{ padding: 16 }}>Nothing matches this search or filter.</div>}
            {loaded && roots.length > 0 && entries.length === 0 && !scanning && <div className="faint" style={{ padding: 16 }}>No files found in the added folders yet.</div>}
          </>
        }
      />
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
