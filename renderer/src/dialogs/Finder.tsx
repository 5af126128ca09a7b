/** Ctrl/Cmd-K: find a session by name, user id, format or DC; or search the open session's peers. */
import { useMemo, useState } from 'react';
import { formatShort } from '../format.js';
import { useStore } from '../store.js';
import { Badge } from '../components/ui.js';

interface Result {
  key: string;
  label: string;
  detail: string;
  run(): void;
}

export function Finder({ onClose }: { onClose(): void }) {
  const { entries, imported, select, session, set, setTab } = useStore();
  const [q, setQ] = useState('');
  const [at, setAt] = useState(0);
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
      const hay = `${e.name}\n${e.path}\n${e.userId ?? ''}\n${e.format ?? ''}\ndc${e.homeDc ?? ''}`.toLowerCase();
      if (!needle || hay.includes(needle)) {
        out.push({ key: e.path, label: e.name, detail: `${formatShort(e.format)}${e.userId ? ` · ${e.userId}` : ''}${e.homeDc ? ` · DC ${e.homeDc}` : ''}`, run: () => void select(e.path) });
      }
      if (out.length > 60) break;
    }
    return out;
  }, [q, entries, imported, session, select, set, setTab]);

  const pick = (r: Result | undefined) => {
    if (!r) return;
    r.run();
    onClose();
  };

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog finder" role="dialog" aria-label="Find">
        <input
          autoFocus
          placeholder="Find a session by name, user id, format or DC; or a peer in the open session"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setAt(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onClose();
            if (e.key === 'ArrowDown') setAt((a) => Math.min(a + 1, results.length - 1));
            if (e.key === 'ArrowUp') setAt((a) => Math.max(a - 1, 0));
            if (e.key === 'Enter') pick(results[at]);
          }}
          data-testid="finder-input"
        />
        <div className="results">
          {results.length === 0 && <div className="faint" style={{ padding: 10 }}>Nothing found.</div>}
          {results.map((r, i) => (
            <div key={r.key} className={`res ${i === at ? 'on' : ''}`} onMouseEnter={() => setAt(i)} onClick={() => pick(r)}>
              <span style={{ flex: 1 }}>{r.label}</span>
              <Badge>{r.detail}</Badge>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
