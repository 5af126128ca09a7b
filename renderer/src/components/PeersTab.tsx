/** The peer cache: search, kind filter, sortable columns, a virtualized table paged from the main process. */
import { useState } from 'react';
import type { PeerQuery } from '../../../shared/dto.js';
import type { PeerRow } from '../../../shared/dto.js';
import { api } from '../api.js';
import { useDebounced } from '../debounced.js';
import { num } from '../format.js';
import { useStore } from '../store.js';
import { ErrorLine } from './ui.js';
import { usePagedTable } from './virtual.js';
import { VirtualBody } from './VirtualBody.js';

const ROW = 28;
const KINDS = ['user', 'bot', 'chat', 'channel', 'megagroup', 'gigagroup', 'community', 'min-channel'];
const COLUMNS: { key: PeerQuery['sort'] | null; label: string }[] = [
  { key: 'kind', label: 'Kind' },
  { key: 'id', label: 'ID' },
  { key: null, label: 'Marked ID' },
  { key: null, label: 'Access hash' },
  { key: 'username', label: 'Username' },
  { key: 'phone', label: 'Phone' },
  { key: 'name', label: 'Name' },
];

export function PeersTab({ sessionRef, total }: { sessionRef: string; total: number }) {
  const [search, setSearch] = useState(() => useStore.getState().peerSeed);
  const [kind, setKind] = useState('');
  const [sort, setSort] = useState<PeerQuery['sort']>('id');
  const [desc, setDesc] = useState(false);
  const q = useDebounced(search, 150);
  const query: PeerQuery = { search: q, kind, sort, desc };
  const { rows, body } = usePagedTable<PeerRow>(['session.peers', sessionRef, query], ROW, (start, limit) => api['session.peers']({ ref: sessionRef, query, start, limit }));
  const shown = rows.total ?? 0;
  const onSort = (k: PeerQuery['sort'] | null) => {
    if (!k) return;
    if (k === sort) setDesc(!desc);
    else {
      setSort(k);
      setDesc(false);
    }
  };

  return (
    <div className="pane fill">
      <div className="toolbar">
        <input className="input" placeholder="Search id, @username, phone or name" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search peers" data-testid="peer-search" />
        <select className="input" value={kind} onChange={(e) => setKind(e.target.value)} aria-label="Kind">
          <option value="">All kinds</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <span className="muted small" data-testid="peer-count">
          {rows.total === null ? 'Loading…' : shown === total ? `${num(total)} peers` : `${num(shown)} of ${num(total)} peers`}
        </span>
      </div>
      <ErrorLine error={rows.failed?.error} onRetry={rows.failed?.retry} />
      {/* Row count and indexes include the header row, as ARIA counts them. */}
      <div className="vt" role="table" aria-label="Peers" aria-rowcount={shown + 1}>
        <div className="vt-head" role="row">
          {COLUMNS.map((c) => (
            <button
              key={c.label}
              role="columnheader"
              aria-sort={c.key === sort ? (desc ? 'descending' : 'ascending') : undefined}
              className={c.key === sort ? 'on' : ''}
              onClick={() => onSort(c.key)}
              disabled={!c.key}
              style={c.key ? undefined : { cursor: 'default' }}
            >
              {c.label}
              {c.key === sort ? (desc ? ' ↓' : ' ↑') : ''}
            </button>
          ))}
        </div>
        <VirtualBody
          {...body}
          empty={rows.total === 0 && (total === 0 ? 'This session keeps no peers.' : 'No peer matches.')}
          renderRow={(i, top) => {
            const r = rows.row(i);
            return (
              <div key={i} className={`vt-row ${r ? '' : 'loading'}`} style={{ top }} role="row" aria-rowindex={i + 2} data-testid="peer-row">
                {r ? (
                  <>
                    <div role="cell">{r.kind}</div>
                    <div role="cell" className="mono">{r.id}</div>
                    <div role="cell" className="mono">{r.markedId}</div>
                    <div role="cell" className="mono">{r.accessHash}</div>
                    <div role="cell" title={r.usernames.map((u) => `@${u}`).join(' ')}>{r.usernames.map((u) => `@${u}`).join(', ')}</div>
                    <div role="cell" className="mono">{r.phone ? `+${r.phone}` : ''}</div>
                    <div role="cell">{r.name ?? ''}</div>
                  </>
                ) : (
                  <div role="cell">…</div>
                )}
              </div>
            );
          }}
        />
      </div>
    </div>
  );
}

export function MinPeersTab({ sessionRef }: { sessionRef: string }) {
  const { rows, body } = usePagedTable(['session.minPeers', sessionRef], ROW, (start, limit) => api['session.minPeers']({ ref: sessionRef, start, limit }));
  return (
    <div className="pane fill">
      <p className="muted small" style={{ marginTop: 0 }}>
        Min peers are users seen only inside another chat: to reach them, the library keeps the chat and a message id where they appeared.
      </p>
      <ErrorLine error={rows.failed?.error} onRetry={rows.failed?.retry} />
      <div className="vt" role="table" aria-label="Min peers" aria-rowcount={rows.total === null ? -1 : rows.total + 1}>
        <div className="vt-head" role="row" style={{ gridTemplateColumns: '220px 220px 1fr' }}>
          <button role="columnheader" disabled>User ID</button>
          <button role="columnheader" disabled>Seen in peer</button>
          <button role="columnheader" disabled>Message ID</button>
        </div>
        <VirtualBody
          {...body}
          empty={rows.total === 0 && 'No min-peer contexts in this session.'}
          renderRow={(i, top) => {
            const r = rows.row(i);
            return (
              <div key={i} className="vt-row" style={{ top, gridTemplateColumns: '220px 220px 1fr' }} role="row" aria-rowindex={i + 2}>
                <div role="cell" className="mono">{r?.userId ?? '…'}</div>
                <div role="cell" className="mono">{r?.peerId ?? ''}</div>
                <div role="cell" className="mono">{r?.msgId ?? ''}</div>
              </div>
            );
          }}
        />
      </div>
    </div>
  );
}
