/**
 * A big SQLite session's peers paged straight from SQL, in the same rows and order as
 * MemoryPeerSource, without loading them. The default view (every peer by bare id) merges
 * three index ranges, one per marked-id class (users by ascending marked id, chats and
 * channels by descending marked id, which is ascending bare id). The first pages read each
 * class from its start; the first deeper jump builds the id order once (a typed array of ids
 * and one of classes), after which a page at any row reads exactly its own rows: one range
 * query per class present, from that class's first id on the page. A filtered or re-sorted
 * view is one SQL pass that keeps only the ordered ids (the last few views cached); its pages
 * are key lookups.
 * Every call runs in one short read transaction on a read-only handle.
 */
import type Database from 'better-sqlite3';
import type { PeerQuery } from '../../../shared/contract.js';
import type { PeerCounts, PeerRow } from '../../../shared/dto.js';
import type { PeerTable } from '../formats/types.js';
import { CHANNEL_MARK, type MarkedClass } from '../model/peer-id.js';
import type { PeerKind } from '../model/session.js';
import { openReadOnly, sqliteError } from '../sqlite/open.js';
import type { PeerPage, PeerSource } from './peer-source.js';
import { COUNT_KEY, zeroCounts } from './summary.js';

/** A marked id as SQLite hands it back: a number while every id is a safe integer. */
type Id = number | bigint;

/** Pages starting before this row are read from each class's start, so opening never builds the id order. */
const EARLY_ROWS = 256;
const VIEW_CACHE = 4;
const MARK = Number(CHANNEL_MARK);

interface ClassRange {
  cls: MarkedClass;
  kind: PeerKind;
  /** SQL condition selecting the class. */
  cond: string;
  /** Ascending bare id is ascending marked id (users) or descending (chats, channels). */
  asc: boolean;
  bareSql: string;
  bare(v: Id): Id;
}

export type SqlTrace = (sql: string, params: readonly unknown[]) => void;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function classRanges(t: PeerTable): ClassRange[] {
  const id = quote(t.id);
  return [
    { cls: 'user', kind: t.kinds.user, cond: `${id} > 0`, asc: true, bareSql: id, bare: (v) => v },
    {
      cls: 'chat',
      kind: t.kinds.chat,
      cond: `${id} < 0 AND ${id} >= -${MARK}`,
      asc: false,
      bareSql: `-${id}`,
      bare: (v) => -v,
    },
    {
      cls: 'channel',
      kind: t.kinds.channel,
      cond: `${id} < -${MARK}`,
      asc: false,
      bareSql: `(-${id} - ${MARK})`,
      bare: (v) => (typeof v === 'bigint' ? -v - CHANNEL_MARK : -v - MARK),
    },
  ];
}

/** markedClass for either representation. */
function classOf(v: Id): MarkedClass {
  return v >= 0 ? 'user' : v < -MARK ? 'channel' : 'chat';
}

/** Bare id, then kind: the order of MemoryPeerSource's id sort. */
function precedes(a: Id, ak: string, b: Id, bk: string): boolean {
  return a < b || (a === b && ak < bk);
}

/** K-way merge of per-class lists (each already in bare-id order), visiting items in order. */
function merge<T>(ranges: readonly ClassRange[], lists: readonly T[][], id: (item: T) => Id, visit: (r: number, item: T) => void): void {
  const pos = lists.map(() => 0);
  for (;;) {
    let best = -1;
    let bestBare: Id = 0;
    for (let r = 0; r < lists.length; r++) {
      const item = lists[r]![pos[r]!];
      if (item === undefined) continue;
      const b = ranges[r]!.bare(id(item));
      if (best < 0 || precedes(b, ranges[r]!.kind, bestBare, ranges[best]!.kind)) {
        best = r;
        bestBare = b;
      }
    }
    if (best < 0) return;
    visit(best, lists[best]![pos[best]!++]!);
  }
}

/** A row as `rows` returns it: marked id, hash (text), username, phone (text), name. */
type Row = [Id, string, unknown, string | null, unknown];

/** The unfiltered id view in order: each row's marked id and its class (index into `ranges`). */
interface IdOrder {
  ids: Float64Array | BigInt64Array;
  cls: Uint8Array;
}

/** The usernames of a row without one: shared, as nothing adds to a row's list. */
const NO_USERNAMES: string[] = Object.freeze([]) as unknown as string[];

/**
 * A page row. Made by a constructor rather than an object literal: V8 may pretenure a
 * literal's allocation site (the rows of a page made while the heap is being marked all look
 * long-lived), after which every row is allocated in the old generation, dragging its young
 * strings along, and pages cost half as much again for the rest of the process.
 */
class SqlPeerRow implements PeerRow {
  readonly usernames: string[];
  constructor(
    readonly id: string,
    readonly markedId: string,
    readonly accessHash: string,
    readonly kind: string,
    readonly username: string | null,
    readonly phone: string | null,
    readonly name: string | null,
  ) {
    this.usernames = username === null ? NO_USERNAMES : [username];
  }
}

/** What a sort compares: the lower-cased field (undefined = missing, sorted last), then bare id and kind. */
interface SortEntry {
  id: Id;
  bare: Id;
  kind: string;
  v: string | undefined;
}

function compareEntries(a: SortEntry, b: SortEntry): number {
  if (a.v !== b.v) {
    if (a.v === undefined) return 1;
    if (b.v === undefined) return -1;
    return a.v < b.v ? -1 : 1;
  }
  return precedes(a.bare, a.kind, b.bare, b.kind) ? -1 : precedes(b.bare, b.kind, a.bare, a.kind) ? 1 : 0;
}

/** Peer counts by kind of one file, without keeping it open. */
export function sqlPeerCounts(path: string, table: PeerTable): PeerCounts {
  const s = SqlPeerSource.open(path, table);
  try {
    return s.peerCounts();
  } finally {
    s.close();
  }
}

const likePattern = (needle: string) => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class SqlPeerSource implements PeerSource {
  private readonly ranges: ClassRange[];
  private readonly byClass: Map<MarkedClass, ClassRange>;
  /** Prepared statements by mode (raw 1, pluck 2, big 4), then SQL text. */
  private readonly statements: Map<string, Database.Statement>[] = Array.from({ length: 8 }, () => new Map());
  private readonly views: { key: string; ids: Id[] }[] = [];
  private readonly counts: PeerCounts;
  /** Whether every id fits a JS number exactly (Telegram's do); bigints otherwise. */
  private readonly big: boolean;
  private idSequence: IdOrder | undefined;
  /** One read transaction wrapper for every call (making one per call costs more than a page's JS). */
  private readonly readTx: Database.Transaction<(fn: () => unknown) => unknown>;
  /** What `rows` selects: the 64-bit hash and the phone as text, so ids can stay plain numbers. */
  private readonly rowColumns: string;
  /**
   * Per class, a page's statements (built once: pages are hot): the first rows of the class,
   * and the rows between two ids. The second, which every deep page runs, has no LIMIT: a bound
   * LIMIT makes SQLite re-prepare the statement on every run (the planner reads its value), a
   * cost the CLI's literal SQL never pays. Only the top pages run the first.
   */
  private readonly pageSql: { start: string; between: string }[];

  private constructor(
    private readonly db: Database.Database,
    private readonly t: PeerTable,
    private readonly trace?: SqlTrace,
  ) {
    this.readTx = db.transaction((fn: () => unknown) => fn());
    this.rowColumns = `${quote(t.id)}, CAST(${quote(t.hash)} AS TEXT), ${quote(t.username)}, CAST(${quote(t.phone)} AS TEXT), ${quote(t.name)}`;
    this.ranges = classRanges(t);
    this.byClass = new Map(this.ranges.map((r) => [r.cls, r]));
    this.pageSql = this.ranges.map((r) => ({
      start: this.rowsSql(`${r.cond} ${this.order(r)} LIMIT ?`),
      between: this.rowsSql(`${quote(t.id)} BETWEEN ? AND ? ${this.order(r)}`),
    }));
    // JS lower-casing for searches with non-ASCII letters (SQLite's LIKE folds ASCII only).
    db.function('sd_lower', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s));
    const opened = this.read(() => {
      const one = (sql: string) => this.all(sql, [], { raw: true, big: true })[0] as (bigint | null)[];
      // Two queries: SQLite answers a lone min() or max() with one index probe, both together with a scan.
      const [min = null] = one(`SELECT min(${quote(t.id)}) FROM ${quote(t.table)}`);
      const [max = null] = one(`SELECT max(${quote(t.id)}) FROM ${quote(t.table)}`);
      const safe = (v: bigint | null) => v === null || (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER));
      const totals = this.ranges.map((r) => Number(one(`SELECT count(*) FROM ${quote(t.table)} WHERE ${r.cond}`)[0]));
      return { totals, big: !(safe(min) && safe(max)) };
    });
    this.big = opened.big;
    this.counts = zeroCounts();
    for (const [i, r] of this.ranges.entries()) {
      this.counts.total += opened.totals[i]!;
      this.counts[COUNT_KEY[r.kind]] += opened.totals[i]!;
    }
  }

  /** Opens the file read-only; the handle stays open until `close`, holding no lock between calls. */
  static open(path: string, table: PeerTable, trace?: SqlTrace): SqlPeerSource {
    const db = openReadOnly(path);
    try {
      return new SqlPeerSource(db, table, trace);
    } catch (e) {
      db.close();
      throw sqliteError(e, path);
    }
  }

  /** Peer counts by kind, from index range counts. */
  peerCounts(): PeerCounts {
    return { ...this.counts };
  }

  count(): number {
    return this.counts.total;
  }

  /** Only ids (the id order and cached views) stay in memory, not peers. */
  readonly resident = 0;

  close(): void {
    this.db.close();
  }

  page(q: PeerQuery, start: number, limit: number): PeerPage {
    return this.read(() => {
      const needle = q.search.trim().toLowerCase().replace(/^\+/, '');
      if (q.sort === 'id' && !q.kind && !needle) return this.keysetPage(q.desc, start, limit);
      const ids = this.view(q, needle);
      return { rows: this.rowsByIds(ids.slice(start, start + limit)), start, total: ids.length };
    });
  }

  private read<T>(fn: () => T): T {
    return this.readTx(fn) as T;
  }

  private all(sql: string, params: readonly unknown[], mode: { raw?: boolean; pluck?: boolean; big?: boolean } = {}): unknown[] {
    const cache = this.statements[(mode.raw ? 1 : 0) | (mode.pluck ? 2 : 0) | (mode.big ? 4 : 0)]!;
    let st = cache.get(sql);
    if (!st) {
      st = this.db.prepare(sql).safeIntegers(mode.big ?? false);
      if (mode.raw) st.raw(true);
      if (mode.pluck) st.pluck(true);
      cache.set(sql, st);
    }
    this.trace?.(sql, params);
    return st.all(...params);
  }

  private from(r: ClassRange, where: string): string {
    return `FROM ${quote(this.t.table)} WHERE ${r.cond}${where}`;
  }

  private order(r: ClassRange): string {
    return `ORDER BY ${quote(this.t.id)} ${r.asc ? 'ASC' : 'DESC'}`;
  }

  /** `Row`s from the table (`where`: the rest of the statement). */
  private rows(where: string, params: readonly unknown[]): Row[] {
    return this.all(this.rowsSql(where), params, { raw: true, big: this.big }) as Row[];
  }

  private rowsSql(where: string): string {
    return `SELECT ${this.rowColumns} FROM ${quote(this.t.table)} WHERE ${where}`;
  }

  private toRow([marked, hash, u, phone, name]: Row, range = this.byClass.get(classOf(marked))!): PeerRow {
    const username = u === null || u === undefined || u === '' ? null : String(u);
    const markedId = String(marked);
    // A user's bare id is its marked id.
    const id = range.cls === 'user' ? markedId : String(range.bare(marked));
    return new SqlPeerRow(id, markedId, hash, range.kind, username, phone, name === null || name === undefined ? null : String(name));
  }

  /** The unfiltered id view; descending is the ascending page mirrored. */
  private keysetPage(desc: boolean, start: number, limit: number): PeerPage {
    const total = this.counts.total;
    if (!desc) return { rows: this.ascending(start, limit), start, total };
    const end = total - start;
    const from = Math.max(0, end - limit);
    return { rows: end <= 0 ? [] : this.ascending(from, end - from).reverse(), start, total };
  }

  /**
   * Rows [start, start + limit) of the id view. Near the top each class reads start + limit
   * rows from its start and a merge puts them in order; deeper, each class present on the page
   * reads exactly its rows there, between its first and last id on the page, placed as the
   * order says.
   */
  private ascending(start: number, limit: number): PeerRow[] {
    const end = Math.min(start + limit, this.counts.total);
    if (end <= start) return [];
    const order = start < EARLY_ROWS && !this.idSequence ? undefined : this.idOrder();
    const reads = order ? this.readsOf(order, start, end) : this.ranges.map(() => ({ first: null, last: null, want: end }));
    const lists = this.ranges.map((r, i) => {
      const { first, last, want } = reads[i]!;
      if (want <= 0) return [];
      const sql = this.pageSql[i]!;
      if (first === null) return this.all(sql.start, [want], { raw: true, big: this.big }) as Row[];
      return this.all(sql.between, r.asc ? [first, last] : [last, first], { raw: true, big: this.big }) as Row[];
    });
    const placed = order && this.place(order, start, end, lists);
    if (placed) return placed;
    const skip = order ? 0 : start;
    const out: PeerRow[] = [];
    let n = 0;
    merge(this.ranges, lists, (row) => row[0], (r, row) => {
      if (n++ >= skip && out.length < limit) out.push(this.toRow(row, this.ranges[r]));
    });
    return out;
  }

  /**
   * The rows in the order's sequence of classes, without comparing ids; undefined when a row
   * is not the one the order expects (the file changed since it was built), for the merge.
   */
  private place(order: IdOrder, start: number, end: number, lists: Row[][]): PeerRow[] | undefined {
    const pos = this.ranges.map(() => 0);
    const out: PeerRow[] = [];
    for (let i = start; i < end; i++) {
      const c = order.cls[i]!;
      const row = lists[c]![pos[c]!++];
      if (row === undefined || row[0] !== order.ids[i]) return undefined;
      out.push(this.toRow(row, this.ranges[c]));
    }
    return out;
  }

  /** Per class: its first and last id among rows [start, end) of the order, and how many of those rows it has. */
  private readsOf(order: IdOrder, start: number, end: number): { first: Id | null; last: Id | null; want: number }[] {
    const reads: { first: Id | null; last: Id | null; want: number }[] = this.ranges.map(() => ({ first: null, last: null, want: 0 }));
    for (let i = start; i < end; i++) {
      const read = reads[order.cls[i]!]!;
      if (read.want++ === 0) read.first = order.ids[i]!;
      read.last = order.ids[i]!;
    }
    return reads;
  }

  /** The id order, built on first use from one index pass per class. */
  private idOrder(): IdOrder {
    if (this.idSequence) return this.idSequence;
    const lists = this.ranges.map((r) => this.ids(r, '', []));
    const ids: Id[] = [];
    const cls: number[] = [];
    merge(this.ranges, lists, (v) => v, (r, v) => {
      ids.push(v);
      cls.push(r);
    });
    this.idSequence = {
      ids: this.big ? BigInt64Array.from(ids as bigint[]) : Float64Array.from(ids as number[]),
      cls: Uint8Array.from(cls),
    };
    return this.idSequence;
  }

  private ids(r: ClassRange, where: string, params: readonly unknown[]): Id[] {
    return this.all(`SELECT ${quote(this.t.id)} ${this.from(r, where)} ${this.order(r)}`, params, { pluck: true, big: this.big }) as Id[];
  }

  /** Substring search over bare id, marked id, @username, phone and name, as MemoryPeerSource's haystack. */
  private searchWhere(r: ClassRange, needle: string): { where: string; params: unknown[] } {
    const t = this.t;
    // Ids are digits and a sign: a needle with anything else cannot match them.
    const ids = /^-?\d*$/.test(needle) ? [`CAST(${r.bareSql} AS TEXT)`, `CAST(${quote(t.id)} AS TEXT)`] : [];
    const fields = [...ids, `('@' || NULLIF(${quote(t.username)}, ''))`, `CAST(${quote(t.phone)} AS TEXT)`, quote(t.name)];
    // LIKE folds ASCII case only; a needle with other letters is matched on JS-lower-cased text.
    const ascii = /^[\x20-\x7e]*$/.test(needle);
    const test = ascii ? (f: string) => `${f} LIKE ? ESCAPE '\\'` : (f: string) => `instr(sd_lower(${f}), ?) > 0`;
    const param = ascii ? likePattern(needle) : needle;
    return { where: ` AND (${fields.map(test).join(' OR ')})`, params: fields.map(() => param) };
  }

  private view(q: PeerQuery, needle: string): Id[] {
    const key = JSON.stringify([needle, q.kind, q.sort, q.desc]);
    const hit = this.views.find((v) => v.key === key);
    if (hit) return hit.ids;
    const ranges = this.ranges.filter((r) => !q.kind || r.kind === q.kind);
    const filter = (r: ClassRange) => (needle ? this.searchWhere(r, needle) : { where: '', params: [] });
    let ids: Id[];
    if (q.sort === 'id') {
      const lists = ranges.map((r) => {
        const f = filter(r);
        return this.ids(r, f.where, f.params);
      });
      ids = [];
      merge(ranges, lists, (v) => v, (_r, v) => ids.push(v));
      if (q.desc) ids.reverse();
    } else {
      const entries: SortEntry[] = [];
      for (const r of ranges) {
        const f = filter(r);
        const field = this.sortSql(q.sort);
        const rows = this.all(`SELECT ${quote(this.t.id)}, ${field} ${this.from(r, f.where)}`, f.params, { raw: true, big: this.big }) as [Id, unknown][];
        for (const [id, v] of rows) {
          const value = q.sort === 'kind' ? r.kind : v;
          entries.push({ id, bare: r.bare(id), kind: r.kind, v: value === null || value === undefined ? undefined : String(value).toLowerCase() });
        }
      }
      entries.sort(compareEntries);
      // Descending keeps rows without the value last, in ascending order, like MemoryPeerSource.
      const present = q.desc ? entries.filter((e) => e.v !== undefined).reverse() : entries;
      const rest = q.desc ? entries.filter((e) => e.v === undefined) : [];
      ids = [...present, ...rest].map((e) => e.id);
    }
    this.views.unshift({ key, ids });
    if (this.views.length > VIEW_CACHE) this.views.pop();
    return ids;
  }

  private sortSql(sort: Exclude<PeerQuery['sort'], 'id'>): string {
    const t = this.t;
    if (sort === 'username') return `NULLIF(${quote(t.username)}, '')`;
    if (sort === 'phone') return `CAST(${quote(t.phone)} AS TEXT)`;
    if (sort === 'name') return quote(t.name);
    return 'NULL';
  }

  private rowsByIds(ids: readonly Id[]): PeerRow[] {
    if (ids.length === 0) return [];
    const rows = this.rows(`${quote(this.t.id)} IN (SELECT value FROM json_each(?))`, [`[${ids.join(',')}]`]);
    const byId = new Map(rows.map((r) => [String(r[0]), r]));
    return ids.flatMap((id) => {
      const r = byId.get(String(id));
      return r ? [this.toRow(r)] : [];
    });
  }
}
