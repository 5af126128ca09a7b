/**
 * The sidebar's list, virtualized (TanStack Virtual): a library of thousands of sessions keeps
 * only the rows on screen in the page. Rows are account heads and entries of any height
 * (badges, labels and error lines wrap), measured as they render. Each account's visible rows
 * stay inside a named group; the head of the account at the top stays pinned while its entries
 * scroll. Up/Down, Home/End and Page keys move between entries, scrolling the next one in first.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { LibraryEntry } from '../../../shared/dto.js';
import type { AccountGroup } from '../../../shared/library-view.js';
import { ago, formatShort, num } from '../format.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore, type Imported } from '../store.js';
import { Badge, Icon, LabelChips } from './ui.js';

type Row =
  | { kind: 'head'; group: string; label: string; account?: AccountGroup }
  | { kind: 'entry'; group: string; label: string; entry: LibraryEntry }
  | { kind: 'pasted'; group: string; label: string; item: Imported };

const PASTED = 'Pasted strings';

function rowsOf(imported: readonly Imported[], groups: readonly AccountGroup[]): Row[] {
  const rows: Row[] = [];
  if (imported.length > 0) {
    rows.push({ kind: 'head', group: '#pasted', label: PASTED });
    for (const item of imported) rows.push({ kind: 'pasted', group: '#pasted', label: PASTED, item });
  }
  for (const g of groups) {
    const label = g.userId ? `Account ${g.userId}` : g.title;
    rows.push({ kind: 'head', group: g.key, label, account: g });
    for (const entry of g.entries) rows.push({ kind: 'entry', group: g.key, label, entry });
  }
  return rows;
}

const refOf = (r: Row): string | null => (r.kind === 'entry' ? r.entry.path : r.kind === 'pasted' ? r.item.ref : null);

/** An account group's heading: "Jane Doe @jane" over its user id, or "Account <id>". */
function GroupHead({ g, count }: { g?: AccountGroup; count: number }) {
  const n = <span className="group-count">{count}</span>;
  if (!g?.userId) {
    return (
      <div className="group-h">
        {g?.title ?? PASTED}
        <span className="spacer" />
        {n}
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
      {n}
    </div>
  );
}

function EntryBadges({ e }: { e: LibraryEntry }) {
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

function EntryRow({ e }: { e: LibraryEntry }) {
  const { selected, select, checked, toggleChecked, openDialog } = useStore(useShallow((s) => ({ selected: s.selected, select: s.select, checked: s.checked, toggleChecked: s.toggleChecked, openDialog: s.openDialog })));
  const isChecked = checked.includes(e.path);
  return (
    <div className={`item-wrap ${isChecked ? 'checked' : ''} ${checked.length > 0 ? 'selecting' : ''}`}>
      {e.status === 'ok' && <input type="checkbox" className="item-check" checked={isChecked} onChange={() => toggleChecked(e.path)} aria-label={`Select ${e.name}`} data-testid="entry-check" />}
      <button
        className={`item ${selected === e.path ? 'sel' : ''}`}
        onClick={() => (e.status === 'locked' ? openDialog({ type: 'unlock', path: e.path }) : void select(e.path))}
        title={e.path}
        data-testid="entry"
        data-nav=""
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
  );
}

function PastedRow({ i }: { i: Imported }) {
  const { selected, select } = useStore(useShallow((s) => ({ selected: s.selected, select: s.select })));
  return (
    <button className={`item ${selected === i.ref ? 'sel' : ''}`} onClick={() => void select(i.ref)} data-nav="">
      <div className="item-top">
        <span className="item-name">{i.title}</span>
      </div>
      <div className="item-badges">
        <Badge tone="fmt">{formatShort(i.summary.format)}</Badge>
        {i.summary.homeDc !== null && <Badge>DC {i.summary.homeDc}</Badge>}
      </div>
    </button>
  );
}

const NAV_KEYS: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity };

export function LibraryList({ imported, groups, after }: { imported: readonly Imported[]; groups: readonly AccountGroup[]; after: ReactNode }) {
  const rows = useMemo(() => rowsOf(imported, groups), [imported, groups]);
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (rows[i]?.kind === 'head' ? 30 : 58),
    getItemKey: (i) => {
      const r = rows[i]!;
      return r.kind === 'head' ? `head:${r.group}` : `${r.group}:${refOf(r)}`;
    },
    // Rows are cheap; a wide margin keeps a small library whole in the page.
    overscan: 24,
  });
  const items = v.getVirtualItems();

  // The selected session (chosen in the finder, say) is scrolled into view.
  const selected = useStore((s) => s.selected);
  useEffect(() => {
    const i = rows.findIndex((r) => refOf(r) === selected);
    if (i >= 0) v.scrollToIndex(i, { align: 'auto' });
    // Only when the selection changes, not on every new list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  const focusRow = (i: number) => {
    v.scrollToIndex(i, { align: 'auto' });
    // The row may only be in the page after the scroll renders it.
    const tryFocus = (left: number) => {
      const el = scroller.current?.querySelector<HTMLElement>(`[data-index="${i}"] [data-nav]`);
      if (el) el.focus();
      else if (left > 0) requestAnimationFrame(() => tryFocus(left - 1));
    };
    // Rows of unmeasured height settle over a few frames on a long jump.
    tryFocus(60);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = NAV_KEYS[e.key];
    const at = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (step === undefined || !at || !(e.target as HTMLElement).hasAttribute('data-nav')) return;
    const from = Number(at.dataset.index);
    const navigable = rows.flatMap((r, i) => (refOf(r) === null ? [] : [i]));
    const pos = navigable.indexOf(from);
    const next = navigable[Math.max(0, Math.min(navigable.length - 1, pos + step))];
    if (next === undefined || next === from) return;
    e.preventDefault();
    focusRow(next);
  };

  // The account whose rows are at the top, its head pinned over them once its own head has scrolled away.
  const offset = v.scrollOffset ?? 0;
  const top = items.find((it) => it.end > offset);
  const topRow = top ? rows[top.index] : undefined;
  const topHead = topRow && topRow.kind !== 'head' ? rows.findIndex((r) => r.kind === 'head' && r.group === topRow.group) : -1;
  const pinned = topHead >= 0 && (v.measurementsCache[topHead]?.start ?? 0) < offset ? (rows[topHead] as Extract<Row, { kind: 'head' }>) : undefined;

  // Consecutive rendered rows of one account share its group element, keyed by the account
  // alone: a key that changed while scrolling would remount the rows and drop the focus.
  const runs: { group: string; label: string; items: typeof items }[] = [];
  for (const it of items) {
    const r = rows[it.index]!;
    const last = runs.at(-1);
    if (last?.group === r.group) last.items.push(it);
    else runs.push({ group: r.group, label: r.label, items: [it] });
  }

  return (
    <div className="side-list" data-testid="library" ref={scroller} onKeyDown={onKeyDown}>
      {pinned && (
        <div className="pinned-head" aria-hidden="true">
          <GroupHead g={pinned.account} count={pinned.account?.entries.length ?? imported.length} />
        </div>
      )}
      <div className="side-rows" style={{ height: v.getTotalSize() }}>
        {runs.map((run) => (
          <div key={run.group} role="group" aria-label={run.label} className="side-group">
            {run.items.map((it) => {
              const r = rows[it.index]!;
              return (
                <div key={it.key} data-index={it.index} ref={v.measureElement} className="side-row-v" style={{ transform: `translateY(${it.start}px)` }}>
                  {r.kind === 'head' ? <GroupHead g={r.account} count={r.account?.entries.length ?? imported.length} /> : r.kind === 'entry' ? <EntryRow e={r.entry} /> : <PastedRow i={r.item} />}
                </div>
              );
            })}
          </div>
        ))}
      </div>
      {after}
    </div>
  );
}
