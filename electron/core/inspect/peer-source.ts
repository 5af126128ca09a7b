/**
 * Pages of a session's peer cache for the UI. `PeerSource` is the small interface the session
 * view asks; `MemoryPeerSource` answers from the model (sorted once per sort key, the last few
 * filtered views kept); SqlPeerSource (sql-peer-source.ts) answers the same from SQL for
 * SQLite formats with a peer table, so million-peer files are never loaded whole, and
 * StorePeerSource (store-peer-source.ts) from a store's alchemy tables.
 */
import type { PeerRow } from '../../../shared/dto.js';
import type { PeerQuery } from '../../../shared/dto.js';
import type { Peer } from '../model/session.js';
import { peerRow } from './summary.js';

export interface PeerPage {
  rows: PeerRow[];
  start: number;
  total: number;
}

export interface PeerSource {
  count(): number;
  /** A store's pages come from its server, so a page may be a promise. */
  page(query: PeerQuery, start: number, limit: number): PeerPage | Promise<PeerPage>;
  /** Peers held in memory, for the open-session budget. */
  readonly resident: number;
  close(): void;
}

type SortKey = PeerQuery['sort'];

const VIEW_CACHE = 4;

/** Text the search matches: ids (bare and marked), usernames, phone, name, lower-cased. */
function haystack(r: PeerRow): string {
  return [r.id, r.markedId, ...r.usernames.map((u) => `@${u}`), r.phone ?? '', r.name ?? ''].join('\n').toLowerCase();
}

/** The order of every peer view: the field lower-cased, rows without it last, then bare id and kind. */
export function compareBy(key: SortKey): (a: PeerRow, b: PeerRow) => number {
  const byId = (a: PeerRow, b: PeerRow) => {
    const x = BigInt(a.id);
    const y = BigInt(b.id);
    return x < y ? -1 : x > y ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
  };
  if (key === 'id') return byId;
  const field = (r: PeerRow) => (key === 'kind' ? r.kind : key === 'username' ? r.username : key === 'name' ? r.name : r.phone);
  return (a, b) => {
    const x = field(a)?.toLowerCase();
    const y = field(b)?.toLowerCase();
    // Rows without the value sort last, whatever the direction of the rest.
    if (x === y || (x === undefined && y === undefined)) return byId(a, b);
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    return x < y ? -1 : x > y ? 1 : byId(a, b);
  };
}

export class MemoryPeerSource implements PeerSource {
  private readonly rows: PeerRow[];
  private readonly text: Map<PeerRow, string> = new Map();
  private readonly sorted = new Map<SortKey, PeerRow[]>();
  private readonly views: { key: string; rows: PeerRow[] }[] = [];

  constructor(peers: readonly Peer[]) {
    this.rows = peers.map(peerRow);
  }

  count(): number {
    return this.rows.length;
  }

  get resident(): number {
    return this.rows.length;
  }

  close(): void {
    // Nothing to release: the rows go with the object.
  }

  private sortedBy(key: SortKey): PeerRow[] {
    let s = this.sorted.get(key);
    if (!s) {
      s = [...this.rows].sort(compareBy(key));
      this.sorted.set(key, s);
    }
    return s;
  }

  private haystackOf(r: PeerRow): string {
    let t = this.text.get(r);
    if (t === undefined) {
      t = haystack(r);
      this.text.set(r, t);
    }
    return t;
  }

  private view(q: PeerQuery): PeerRow[] {
    const key = JSON.stringify([q.search.trim().toLowerCase(), q.kind, q.sort, q.desc]);
    const hit = this.views.find((v) => v.key === key);
    if (hit) return hit.rows;
    const needle = q.search.trim().toLowerCase().replace(/^\+/, '');
    let rows = this.sortedBy(q.sort);
    if (q.kind) rows = rows.filter((r) => r.kind === q.kind);
    if (needle) rows = rows.filter((r) => this.haystackOf(r).includes(needle));
    // Descending keeps "missing values last" by reversing only the rows that have one.
    if (q.desc) rows = q.sort === 'id' ? [...rows].reverse() : reverseKeepingMissing(rows, q.sort);
    this.views.unshift({ key, rows });
    if (this.views.length > VIEW_CACHE) this.views.pop();
    return rows;
  }

  page(q: PeerQuery, start: number, limit: number): PeerPage {
    const rows = this.view(q);
    return { rows: rows.slice(start, start + limit), start, total: rows.length };
  }
}

function reverseKeepingMissing(rows: PeerRow[], key: Exclude<SortKey, 'id'>): PeerRow[] {
  const has = (r: PeerRow) => (key === 'kind' ? true : key === 'username' ? r.username : key === 'name' ? r.name : r.phone) !== null;
  const present = rows.filter(has).reverse();
  return present.length === rows.length ? present : [...present, ...rows.filter((r) => !has(r))];
}
