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
import type { PeerQuery } from '../../../shared/dto.js';
import type { PeerCounts, PeerRow } from '../../../shared/dto.js';
import type { PeerTable } from '../formats/types.js';
import { CHANNEL_MARK, markedClass, markId, type MarkedClass } from '../model/peer-id.js';
import type { PeerKind } from '../model/session.js';
import { SessionError } from '../errors.js';
import { hasColumns, openReadOnly, readSchema, sqliteError } from '../sqlite/open.js';
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
  /** The kinds the class's rows can have, and which one a row has (from its type, where the table has one). */
  kinds: PeerKind[];
  kindOf(type: string | null): PeerKind;
  /** The type values of each kind, where the table has a type column. */
  typesOf?: (kind: string) => string[];
  /**
   * Types whose kind the model marks as a user id although the file keeps them in this class
   * (Kurigram's communities, stored with channel ids): their marked id is shown as the model has it.
   */
  userMarked: string[];
  /** The type condition (` AND type IN (…)`), where the table has types: rows of other types are not peers. */
  only: string;
  /** SQL condition selecting the class (and, where the table has types, only the rows that are peers). */
  cond: string;
  /** Ascending bare id is ascending marked id (users) or descending (chats, channels). */
  asc: boolean;
  bareSql: string;
  bare(v: Id): Id;
}

export type SqlTrace = (sql: string, params: readonly unknown[]) => void;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const text = (v: string) => `'${v.replaceAll("'", "''")}'`;

type TypedKinds = Exclude<PeerTable['kinds'], Readonly<Record<MarkedClass, PeerKind>>>;
const typedKinds = (t: PeerTable): TypedKinds | undefined => ('column' in t.kinds ? (t.kinds as TypedKinds) : undefined);
const typeSql = (typed: TypedKinds) => `CAST(${quote(typed.column)} AS TEXT)`;

function classRanges(t: PeerTable): ClassRange[] {
  const id = quote(t.id);
  const typed = typedKinds(t);
  const kindsOf = (cls: MarkedClass): Pick<ClassRange, 'kinds' | 'kindOf' | 'typesOf' | 'userMarked' | 'only'> => {
    if (!typed) {
      const kind = (t.kinds as Readonly<Record<MarkedClass, PeerKind>>)[cls];
      return { kinds: [kind], kindOf: () => kind, userMarked: [], only: '' };
    }
    const byType = typed.byClass[cls];
    const types = Object.keys(byType);
    return {
      kinds: [...new Set(Object.values(byType))],
      kindOf: (type) => byType[type ?? '']!,
      typesOf: (kind) => types.filter((x) => byType[x] === kind),
      userMarked: cls === 'user' ? [] : types.filter((x) => markedClass(markId(1n, byType[x]!)) === 'user'),
      only: ` AND ${typeSql(typed)} IN (${types.map(text).join(', ')})`,
    };
  };
  const user = kindsOf('user');
  const chat = kindsOf('chat');
  const channel = kindsOf('channel');
  return [
    { cls: 'user', ...user, cond: `${id} > 0${user.only}`, asc: true, bareSql: id, bare: (v) => v },
    {
      cls: 'chat',
      ...chat,
      cond: `${id} < 0 AND ${id} >= -${MARK}${chat.only}`,
      asc: false,
      bareSql: `-${id}`,
      bare: (v) => -v,
    },
    {
      cls: 'channel',
      ...channel,
      cond: `${id} < -${MARK}${channel.only}`,
      asc: false,
      bareSql: `(-${id} - ${MARK})`,
      bare: (v) => (typeof v === 'bigint' ? -v - CHANNEL_MARK : -v - MARK),
    },
  ];
}

/** The SQL over a second table of usernames (PeerTable.usernames). */
interface NameSql {
  /** (stored marked id, name) of the rows whose ids are in two JSON lists, by stored id and as bare channel ids, in table order. */
  pageSql: string;
  /** Every (m, n, r): the stored marked id a name belongs to, the name, its row order. */
  mapped: string;
  /** How many rows name no stored peer. */
  orphans: string;
}

function nameSql(t: PeerTable, ranges: readonly ClassRange[]): NameSql | undefined {
  const u = t.usernames;
  if (!u) return undefined;
  const peers = quote(t.table);
  const id = quote(t.id);
  const table = quote(u.table);
  const peer = `x.${quote(u.peer)}`;
  const name = `x.${quote(u.name)}`;
  const [user, , channel] = ranges;
  // Unqualified columns in these subqueries are the peers table's: the innermost FROM wins.
  const isUser = `EXISTS (SELECT 1 FROM ${peers} WHERE ${id} = ${peer} AND ${user!.cond})`;
  const direct = (where: string) => `SELECT ${peer} AS m, ${name} AS n, x.rowid AS r FROM ${table} x${where}`;
  const asChannel = (where: string) => `SELECT -${peer} - ${MARK}, ${name}, x.rowid FROM ${table} x WHERE ${peer} > 0 AND NOT ${isUser}${where}`;
  const named = `WHERE typeof(n) = 'text' AND n <> ''`;
  const listed = 'IN (SELECT value FROM json_each(?))';
  return {
    pageSql: `SELECT m, n FROM (${direct(` WHERE ${peer} ${listed}`)} UNION ALL ${asChannel(` AND ${peer} ${listed}`)}) ${named} ORDER BY r`,
    mapped: `SELECT m, n, r FROM (${direct('')} UNION ALL ${asChannel('')}) ${named}`,
    orphans:
      `SELECT count(*) FROM ${table} x WHERE ${peer} IS NOT NULL AND typeof(${name}) = 'text' ` +
      `AND NOT EXISTS (SELECT 1 FROM ${peers} WHERE ${id} = ${peer} AND (${ranges.map((r) => `(${r.cond})`).join(' OR ')})) ` +
      `AND NOT (${peer} > 0 AND EXISTS (SELECT 1 FROM ${peers} WHERE ${id} = -${peer} - ${MARK} AND ${channel!.cond}))`,
  };
}

/** markedClass for either representation. */
function classOf(v: Id): MarkedClass {
  return v >= 0 ? 'user' : v < -MARK ? 'channel' : 'chat';
}

/** Bare id, then kind: the order of MemoryPeerSource's id sort. */
function precedes(a: Id, ak: string, b: Id, bk: string): boolean {
  return a < b || (a === b && ak < bk);
}

/** A class's ids in bare-id order, and the type of the i-th (null without a type column). */
interface KeyList {
  ids: Id[];
  typeAt(i: number): string | null;
}

const untyped = () => null;

/**
 * K-way merge of per-class lists, visiting (class, index) in order: bare id, then kind. Kinds
 * are looked at only when bare ids tie across classes, which is rare: a list may look its
 * types up lazily.
 */
function merge(ranges: readonly ClassRange[], lists: readonly KeyList[], visit: (r: number, i: number) => void): void {
  const pos = lists.map(() => 0);
  const kind = (r: number) => ranges[r]!.kindOf(lists[r]!.typeAt(pos[r]!));
  for (;;) {
    let best = -1;
    let bestBare: Id = 0;
    for (let r = 0; r < lists.length; r++) {
      if (pos[r]! >= lists[r]!.ids.length) continue;
      const b = ranges[r]!.bare(lists[r]!.ids[pos[r]!]!);
      if (best < 0 || b < bestBare || (b === bestBare && kind(r) < kind(best))) {
        best = r;
        bestBare = b;
      }
    }
    if (best < 0) return;
    visit(best, pos[best]!++);
  }
}

const keyList = (rows: readonly Row[]): KeyList => ({ ids: rows.map((r) => r[0]), typeAt: (i) => rows[i]![5] });

/** A row as `rows` returns it: marked id, hash (text), username, phone (text), name, type (text; null without a type column). */
type Row = [Id, string | null, unknown, string | null, unknown, string | null];

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
  readonly username: string | null;
  constructor(
    readonly id: string,
    readonly markedId: string,
    readonly accessHash: string,
    readonly kind: string,
    readonly usernames: string[],
    readonly phone: string | null,
    readonly name: string | null,
  ) {
    this.username = usernames[0] ?? null;
  }
}

/** Usernames from a second table, by the stored marked id of the row they belong to. */
type ExtraNames = Map<string, string[]>;

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

/**
 * Peer counts by kind of one file, the reader's warnings about its peer rows, and the own
 * user's row (`self`, when its id is given and the cache holds it), without keeping it open.
 */
export function sqlPeerOverview(path: string, table: PeerTable, self?: bigint): { counts: PeerCounts; warnings: string[]; self?: PeerRow } {
  const s = SqlPeerSource.open(path, table);
  try {
    return { counts: s.peerCounts(), warnings: s.warnings, self: self === undefined ? undefined : s.user(self) };
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
  /** What the format's reader would warn about the rows that are not peers. */
  readonly warnings: string[];
  /** The SQL of a row's type, where the table has a type column. */
  private readonly typeSql: string | undefined;
  /** The class whose access hashes read as 0. */
  private readonly noHash: MarkedClass | undefined;
  /** The second table of usernames, where the format has one. */
  private readonly names: NameSql | undefined;
  /** Whether that table has an index on its peer column; without one (Pyrofork) each page would scan it, so it is read once into `allNames`. */
  private readonly namesIndexed: boolean;
  private allNames: ExtraNames | undefined;
  /** The optional columns as SQL: NULL where the format or this file (an older version) has none. */
  private readonly col: { username: string; phone: string; name: string };
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
    private readonly path: string,
    private readonly db: Database.Database,
    private readonly t: PeerTable,
    private readonly trace?: SqlTrace,
  ) {
    this.readTx = db.transaction((fn: () => unknown) => fn());
    const typed = typedKinds(t);
    this.typeSql = typed && typeSql(typed);
    this.noHash = typed?.noHash;
    // Tables only (readSchema lists no views): a view in a table's place, in a hostile file, may never end.
    const schema = readSchema(db);
    if (!schema.tables.has(t.table)) throw new SessionError('malformed', `${path}: "${t.table}" is not a table`);
    const optional = (c: string | null) => (c !== null && hasColumns(schema, t.table, [c]) ? quote(c) : 'NULL');
    this.col = { username: optional(t.username), phone: optional(t.phone), name: optional(t.name) };
    this.rowColumns = [quote(t.id), `CAST(${quote(t.hash)} AS TEXT)`, this.col.username, `CAST(${this.col.phone} AS TEXT)`, this.col.name, this.typeSql ?? 'NULL'].join(', ');
    this.ranges = classRanges(t);
    this.byClass = new Map(this.ranges.map((r) => [r.cls, r]));
    // A file of an older version may not have the second table yet.
    this.names = t.usernames && hasColumns(schema, t.usernames.table, [t.usernames.peer, t.usernames.name]) ? nameSql(t, this.ranges) : undefined;
    this.namesIndexed =
      this.names !== undefined &&
      db
        .prepare('SELECT 1 FROM pragma_index_list(?) l, pragma_index_info(l.name) i WHERE i.seqno = 0 AND i.name = ?')
        .get(t.usernames!.table, t.usernames!.peer) !== undefined;
    this.pageSql = this.ranges.map((r) => ({
      start: this.rowsSql(`${r.cond} ${this.order(r)} LIMIT ?`),
      between: this.rowsSql(`${quote(t.id)} BETWEEN ? AND ?${r.only} ${this.order(r)}`),
    }));
    // JS lower-casing for searches with non-ASCII letters (SQLite's LIKE folds ASCII only).
    db.function('sd_lower', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s));
    const opened = this.read(() => {
      const one = (sql: string) => this.all(sql, [], { raw: true, big: true })[0] as (bigint | null)[];
      // Two queries: SQLite answers a lone min() or max() with one index probe, both together with a scan.
      const [min = null] = one(`SELECT min(${quote(t.id)}) FROM ${quote(t.table)}`);
      const [max = null] = one(`SELECT max(${quote(t.id)}) FROM ${quote(t.table)}`);
      const safe = (v: bigint | null) => v === null || (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER));
      return { big: !(safe(min) && safe(max)), ...(typed ? this.typeCounts(typed) : this.rangeCounts()) };
    });
    this.big = opened.big;
    this.counts = opened.counts;
    this.warnings = opened.warnings;
    if (this.names) {
      const orphans = Number(this.read(() => this.all(this.names!.orphans, [], { pluck: true }))[0]);
      if (orphans > 0) this.warnings.push(t.usernames!.orphanWarning(orphans));
    }
  }

  /** Counts by kind from one index range count per class. */
  private rangeCounts(): { counts: PeerCounts; warnings: string[] } {
    const counts = zeroCounts();
    for (const r of this.ranges) {
      const n = Number((this.all(`SELECT count(*) ${this.from(r, '')}`, [], { pluck: true, big: true }) as bigint[])[0]);
      counts.total += n;
      counts[COUNT_KEY[r.kindOf(null)]] += n;
    }
    return { counts, warnings: [] };
  }

  /** Counts by kind, and the rows that are not peers, from one pass grouping the rows by class and type. */
  private typeCounts(typed: TypedKinds): { counts: PeerCounts; warnings: string[] } {
    const id = quote(this.t.id);
    const groups = this.all(
      `SELECT ${typeSql(typed)}, CASE WHEN ${id} > 0 THEN 0 WHEN ${id} >= -${MARK} THEN 1 ELSE 2 END, count(*), min(rowid) ` +
        `FROM ${quote(this.t.table)} WHERE ${id} <> 0 GROUP BY 1, 2 ORDER BY 4`,
      [],
      { raw: true },
    ) as [string | null, number, number][];
    const counts = zeroCounts();
    const rows = groups.map(([type, cls, n]) => {
      const range = this.ranges[cls]!;
      const fits = type !== null && Object.hasOwn(typed.byClass[range.cls], type);
      if (fits) {
        counts.total += n;
        counts[COUNT_KEY[range.kindOf(type)]] += n;
      }
      return { type: String(type), fits, n };
    });
    return { counts, warnings: typed.warnings(rows) };
  }

  /** Opens the file read-only; the handle stays open until `close`, holding no lock between calls. */
  static open(path: string, table: PeerTable, trace?: SqlTrace): SqlPeerSource {
    const db = openReadOnly(path);
    try {
      return new SqlPeerSource(path, db, table, trace);
    } catch (e) {
      db.close();
      throw e instanceof SessionError ? e : sqliteError(e, path);
    }
  }

  /** Peer counts by kind, from index range counts. */
  peerCounts(): PeerCounts {
    return { ...this.counts };
  }

  count(): number {
    return this.counts.total;
  }

  /** Only ids (the id order and cached views) stay in memory, not peers; and an unindexed second table's usernames. */
  get resident(): number {
    return this.allNames?.size ?? 0;
  }

  close(): void {
    this.db.close();
  }

  page(q: PeerQuery, start: number, limit: number): PeerPage {
    try {
      return this.read(() => {
        const needle = q.search.trim().toLowerCase().replace(/^\+/, '');
        if (q.sort === 'id' && !q.kind && !needle) return this.keysetPage(q.desc, start, limit);
        const ids = this.view(q, needle);
        return { rows: this.rowsByIds(ids.slice(start, start + limit)), start, total: ids.length };
      });
    } catch (e) {
      // SQLite's own failures (a page corrupted or locked since the open) in the same words as an open's.
      throw /^SQLITE_/.test((e as { code?: unknown }).code as string) ? sqliteError(e, this.path) : e;
    }
  }

  /** The row of a user or bot by id (a user's marked id is its bare id), when the cache holds one. */
  user(id: bigint): PeerRow | undefined {
    const rows = this.read(() => this.rowsByIds([id]));
    return rows.find((r) => r.kind === 'user' || r.kind === 'bot');
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

  private toRow([marked, hash, u, phone, name, type]: Row, range = this.byClass.get(classOf(marked))!, extras?: ExtraNames): PeerRow {
    const markedId = String(marked);
    const more = extras?.get(markedId);
    let usernames = u === null || u === undefined || u === '' ? NO_USERNAMES : [String(u)];
    if (more) {
      usernames = [...usernames];
      for (const n of more) if (!usernames.includes(n)) usernames.push(n);
    }
    // A user's bare id is its marked id.
    const id = range.cls === 'user' ? markedId : String(range.bare(marked));
    const accessHash = hash === null || range.cls === this.noHash ? '0' : hash;
    const kind = range.kindOf(type);
    return new SqlPeerRow(
      id,
      range.userMarked.length > 0 && range.userMarked.includes(type!) ? id : markedId,
      accessHash,
      kind,
      usernames,
      phone,
      name === null || name === undefined ? null : String(name),
    );
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
    const extras = this.names && this.extraNames(lists.flatMap((rows, c) => rows.map((row) => [row, this.ranges[c]!] as const)));
    const placed = order && this.place(order, start, end, lists, extras);
    if (placed) return placed;
    const skip = order ? 0 : start;
    const out: PeerRow[] = [];
    let n = 0;
    merge(this.ranges, lists.map(keyList), (r, i) => {
      if (n++ >= skip && out.length < limit) out.push(this.toRow(lists[r]![i]!, this.ranges[r], extras));
    });
    return out;
  }

  /**
   * The rows in the order's sequence of classes, without comparing ids; undefined when a row
   * is not the one the order expects (the file changed since it was built), for the merge.
   */
  private place(order: IdOrder, start: number, end: number, lists: Row[][], extras: ExtraNames | undefined): PeerRow[] | undefined {
    const pos = this.ranges.map(() => 0);
    const out: PeerRow[] = [];
    for (let i = start; i < end; i++) {
      const c = order.cls[i]!;
      const row = lists[c]![pos[c]!++];
      if (row === undefined || row[0] !== order.ids[i]) return undefined;
      out.push(this.toRow(row, this.ranges[c], extras));
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
    merge(this.ranges, lists, (r, i) => {
      ids.push(lists[r]!.ids[i]!);
      cls.push(r);
    });
    this.idSequence = {
      ids: this.big ? BigInt64Array.from(ids as bigint[]) : Float64Array.from(ids as number[]),
      cls: Uint8Array.from(cls),
    };
    return this.idSequence;
  }

  /** A class's ids in order; where the table has types, the merge's rare tie-breaks look one up by id. */
  private ids(r: ClassRange, where: string, params: readonly unknown[]): KeyList {
    const ids = this.all(`SELECT ${quote(this.t.id)} ${this.from(r, where)} ${this.order(r)}`, params, { pluck: true, big: this.big }) as Id[];
    const type = this.typeSql;
    if (!type) return { ids, typeAt: untyped };
    return { ids, typeAt: (i) => this.all(`SELECT ${type} FROM ${quote(this.t.table)} WHERE ${quote(this.t.id)} = ?`, [ids[i]], { pluck: true })[0] as string | null };
  }

  /** Substring search over bare id, marked id, @username, phone and name, as MemoryPeerSource's haystack. */
  private searchWhere(r: ClassRange, needle: string): { where: string; params: unknown[] } {
    // Ids are digits and a sign: a needle with anything else cannot match them.
    const marked = r.userMarked.length > 0 ? `CASE WHEN ${this.typeSql} IN (${r.userMarked.map(text).join(', ')}) THEN ${r.bareSql} ELSE ${quote(this.t.id)} END` : quote(this.t.id);
    const ids = /^-?\d*$/.test(needle) ? [`CAST(${r.bareSql} AS TEXT)`, `CAST(${marked} AS TEXT)`] : [];
    const fields = [...ids, `('@' || NULLIF(${this.col.username}, ''))`, `CAST(${this.col.phone} AS TEXT)`, this.col.name];
    // LIKE folds ASCII case only; a needle with other letters is matched on JS-lower-cased text.
    const ascii = /^[\x20-\x7e]*$/.test(needle);
    const test = ascii ? (f: string) => `${f} LIKE ? ESCAPE '\\'` : (f: string) => `instr(sd_lower(${f}), ?) > 0`;
    const param = ascii ? likePattern(needle) : needle;
    const tests = fields.map(test);
    if (this.names) tests.push(`${quote(this.t.id)} IN (SELECT m FROM (${this.names.mapped}) WHERE ${test(`('@' || n)`)})`);
    return { where: ` AND (${tests.join(' OR ')})`, params: tests.map(() => param) };
  }

  private view(q: PeerQuery, needle: string): Id[] {
    const key = JSON.stringify([needle, q.kind, q.sort, q.desc]);
    const hit = this.views.find((v) => v.key === key);
    if (hit) return hit.ids;
    const ranges = this.ranges.filter((r) => !q.kind || r.kinds.includes(q.kind as PeerKind));
    const filter = (r: ClassRange) => {
      const search = needle ? this.searchWhere(r, needle) : { where: '', params: [] };
      // Within a class of several kinds, the kind is a type condition.
      const types = q.kind && r.kinds.length > 1 ? r.typesOf?.(q.kind) : undefined;
      return types ? { where: ` AND ${this.typeSql} IN (${types.map(text).join(', ')})${search.where}`, params: search.params } : search;
    };
    let ids: Id[];
    if (q.sort === 'id') {
      const lists = ranges.map((r) => {
        const f = filter(r);
        return this.ids(r, f.where, f.params);
      });
      ids = [];
      merge(ranges, lists, (r, i) => ids.push(lists[r]!.ids[i]!));
      if (q.desc) ids.reverse();
    } else {
      const entries: SortEntry[] = [];
      // A row's username is its own, else the first from the second table.
      const firstNames = q.sort === 'username' && this.names ? this.firstNames(this.names) : undefined;
      for (const r of ranges) {
        const f = filter(r);
        const field = this.sortSql(q.sort);
        const rows = this.all(`SELECT ${quote(this.t.id)}, ${field}, ${this.typeSql ?? 'NULL'} ${this.from(r, f.where)}`, f.params, {
          raw: true,
          big: this.big,
        }) as [Id, unknown, string | null][];
        for (const [id, v, type] of rows) {
          const kind = r.kindOf(type);
          const value = q.sort === 'kind' ? kind : (v ?? firstNames?.get(String(id)));
          entries.push({ id, bare: r.bare(id), kind, v: value === null || value === undefined ? undefined : String(value).toLowerCase() });
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

  /** Each stored id's first name in the second table. */
  private firstNames(names: NameSql): Map<string, string> {
    const rows = this.all(`SELECT m, n, min(r) FROM (${names.mapped}) GROUP BY m`, [], { raw: true, big: this.big }) as [Id, string][];
    return new Map(rows.map(([m, n]) => [String(m), n]));
  }

  private sortSql(sort: Exclude<PeerQuery['sort'], 'id'>): string {
    if (sort === 'username') return `NULLIF(${this.col.username}, '')`;
    if (sort === 'phone') return `CAST(${this.col.phone} AS TEXT)`;
    if (sort === 'name') return this.col.name;
    return 'NULL';
  }

  private rowsByIds(ids: readonly Id[]): PeerRow[] {
    if (ids.length === 0) return [];
    const rows = this.rows(`${quote(this.t.id)} IN (SELECT value FROM json_each(?))`, [`[${ids.join(',')}]`]);
    const byId = new Map(rows.map((r) => [String(r[0]), r]));
    const extras = this.names && this.extraNames(rows.map((r) => [r, this.byClass.get(classOf(r[0]))!] as const));
    return ids.flatMap((id) => {
      const r = byId.get(String(id));
      return r ? [this.toRow(r, undefined, extras)] : [];
    });
  }

  /**
   * The second table's usernames of these rows, as the reader attaches them: by the stored
   * peer id, or (a positive id that is no user's) as a bare channel id. One query for a page.
   */
  private extraNames(rows: readonly (readonly [Row, ClassRange])[]): ExtraNames | undefined {
    if (!this.names || rows.length === 0) return undefined;
    if (!this.namesIndexed) return (this.allNames ??= this.collectNames(this.all(`SELECT m, n FROM (${this.names.mapped}) ORDER BY r`, [], { raw: true, big: this.big })));
    const marked = rows.map(([row]) => row[0]);
    const bare = rows.filter(([, r]) => r.cls === 'channel').map(([row, r]) => r.bare(row[0]));
    return this.collectNames(this.all(this.names.pageSql, [`[${marked.join(',')}]`, `[${bare.join(',')}]`], { raw: true, big: this.big }));
  }

  private collectNames(found: unknown[]): ExtraNames {
    const out: ExtraNames = new Map();
    for (const [m, name] of found as [Id, string][]) {
      const key = String(m);
      const list = out.get(key);
      if (list) list.push(name);
      else out.set(key, [name]);
    }
    return out;
  }
}
