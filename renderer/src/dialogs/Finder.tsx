/**
 * Ctrl/Cmd-K: find a session by file name, account (name, @username, phone, user id), label,
 * note, format or DC, as the sidebar's search does; or search the open session's peers. A
 * combobox over a listbox (ARIA's pattern): the arrows move the active option, which the
 * input names (aria-activedescendant) while keeping the focus.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { accountTitle, entryMatches } from '../../../shared/library-view.js';
import { formatShort } from '../format.js';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store.js';
import { Badge, LabelChips } from '../components/ui.js';

interface Result {
  key: string;
  label: string;
  detail: string;
  /** The account, when its name or username is known. */
  who?: string;
  labels?: string[];
  run(): void;
}

export function Finder({ onClose }: { onClose(): void }) {
  const { entries, imported, select, session, set, setTab } = useStore(useShallow((s) => ({ entries: s.entries, imported: s.imported, select: s.select, session: s.session, set: s.set, setTab: s.setTab })));
  const [q, setQ] = useState('');
  const [at, setAt] = useState(0);
  const listId = useId();
  const optionId = (i: number) => `${listId}-${i}`;
  const results = useMemo<Result[]>(() => {
    const needle = q.trim().toLowerCase();
    const out: Result[] = [];
    if (needle && session) {
      out.push({
        key: 'peers',
        label: `Search peers for “${q.trim()}”`,
        detail: `in ${session.title}`,
        run: () => {
          set({ peerSeed: q.trim() });
          setTab('peers');
        },
      });
    }
    for (const i of imported) {
      if (!needle || i.title.toLowerCase().includes(needle)) out.push({ key: i.ref, label: i.title, detail: 'pasted string', run: () => void select(i.ref) });
    }
    for (const e of entries) {
      if (e.status !== 'ok') continue;
      if (!needle || entryMatches(e, needle)) {
        const a = e.account;
        const id = a?.userId ?? e.userId;
        out.push({
          key: e.path,
          label: e.name,
          who: a && (a.name || a.username) ? accountTitle(a) : undefined,
          labels: e.labels,
          detail: `${formatShort(e.format)}${id ? ` · ${id}` : ''}${e.homeDc ? ` · DC ${e.homeDc}` : ''}`,
          run: () => void select(e.path),
        });
      }
      if (out.length > 60) break;
    }
    return out;
  }, [q, entries, imported, session, select, set, setTab]);

  const pick = (r: Result | undefined) => {
    if (!r) return;
    r.run();
    // Where a keyboard user goes next: the session found, not the top of the page.
    useStore.setState({ focusTitle: true });
    onClose();
  };

  useEffect(() => {
    document.getElementById(optionId(at))?.scrollIntoView({ block: 'nearest' });
    // optionId only joins the stable list id.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [at]);

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog finder" role="dialog" aria-modal="true" aria-label="Find">
        <input
          autoFocus
          role="combobox"
          aria-label="Find a session or a peer"
          aria-expanded={results.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={results[at] ? optionId(at) : undefined}
          placeholder="Find a session by name, account, label, user id or format; or a peer in the open session"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setAt(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onClose();
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setAt((a) => Math.max(0, Math.min(a + (e.key === 'ArrowDown' ? 1 : -1), results.length - 1)));
            }
            if (e.key === 'Enter') pick(results[at]);
          }}
          data-testid="finder-input"
        />
        {results.length === 0 && (
          <div className="faint" style={{ padding: 10 }} role="status">
            Nothing found.
          </div>
        )}
        <div className="results" role="listbox" id={listId} aria-label="Sessions and peers found">
          {results.map((r, i) => (
            <div
              key={r.key}
              id={optionId(i)}
              role="option"
              aria-selected={i === at}
              className={`res ${i === at ? 'on' : ''}`}
              onMouseEnter={() => setAt(i)}
              onClick={() => pick(r)}
              data-testid={r.key === 'peers' ? 'finder-peers' : 'finder-result'}
            >
              <span className="res-main">
                <span>{r.label}</span>
                {r.who && <span className="muted small">{r.who}</span>}
                {r.labels && <LabelChips labels={r.labels} />}
              </span>
              <Badge>{r.detail}</Badge>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
