/**
 * telethon-session-sqlalchemy's store (AlchemySessionContainer), on PostgreSQL or in an SQLite
 * file: `{prefix}version`, `{prefix}sessions (session_id, dc_id, server_address, port,
 * auth_key)`, `{prefix}entities (session_id, id, hash, username, phone, name)`,
 * `{prefix}sent_files`, `{prefix}update_state (session_id, entity_id, pts, qts, date, seq
 * [, unread_count])`; the rows mean what Telethon's own SQLite file keeps (telethon-rows.ts).
 * Version 1 has no update_state; 2 (what the container writes) and 3 (a 1 it upgraded) have
 * it, with unread_count unless a version 2 predates that column: columns are checked, not the
 * number. `auth_key` is an empty byte string, never NULL, when there is none.
 */
import { SessionError } from '../errors.js';
import { alchemyPrefixes } from '../formats/store-formats.js';
import { readTelethonDc, readTelethonEntities, readTelethonUpdates, telethonRowsOf } from '../formats/telethon-rows.js';
import type { ReadResult } from '../formats/types.js';
import { emptySession, type Session } from '../model/session.js';
import type { SqlRow as CellRow } from '../sqlite/values.js';
import { existingSession, idsForAccount, missingSession, type EntityRows, type LoadOptions, type SaveOptions, type SessionStore, type StoredSession } from './session-store.js';
import { ident, type SqlClient, type SqlParam } from './sql/client.js';

/** The version the container writes into a new database (its LATEST_VERSION). */
const WRITTEN_VERSION = 2;
const KNOWN_VERSIONS = [1, 2, 3];

function ddl(engine: SqlClient['engine'], t: (name: string) => string): string[] {
  const blob = engine === 'postgresql' ? 'bytea' : 'BLOB';
  return [
    `CREATE TABLE ${t('version')} (version INTEGER NOT NULL, PRIMARY KEY (version))`,
    `CREATE TABLE ${t('sessions')} (session_id VARCHAR(255) NOT NULL, dc_id INTEGER NOT NULL, server_address VARCHAR(255), port INTEGER, auth_key ${blob}, PRIMARY KEY (session_id, dc_id))`,
    `CREATE TABLE ${t('entities')} (session_id VARCHAR(255) NOT NULL, id BIGINT NOT NULL, hash BIGINT NOT NULL, username VARCHAR(32), phone BIGINT, name VARCHAR(255), PRIMARY KEY (session_id, id))`,
    `CREATE TABLE ${t('sent_files')} (session_id VARCHAR(255) NOT NULL, md5_digest ${blob} NOT NULL, file_size INTEGER NOT NULL, type INTEGER NOT NULL, id BIGINT, hash BIGINT, PRIMARY KEY (session_id, md5_digest, file_size, type))`,
    `CREATE TABLE ${t('update_state')} (session_id VARCHAR(255) NOT NULL, entity_id BIGINT NOT NULL, pts BIGINT, qts BIGINT, date BIGINT, seq BIGINT, unread_count INTEGER, PRIMARY KEY (session_id, entity_id))`,
  ];
}

/** Rows per INSERT: well under SQLite's 32,766 parameters and PostgreSQL's 65,535. */
const BATCH = 2000;
/**
 * After writing this many entity rows into PostgreSQL the table is analysed: until autovacuum
 * gets to it the planner guesses a few hundred rows for the session, and counting a million
 * for the session view took 300–350 ms by bitmap scan, 150–190 ms by the plan fresh statistics give.
 */
const ANALYZE_AFTER = 10_000;

export class TelethonAlchemyStore implements SessionStore {
  readonly format = 'telethon-alchemy' as const;
  readonly location: string;

  private constructor(
    private readonly db: SqlClient,
    /** A PostgreSQL schema other than the search path's (`?schema=`). */
    private readonly schema: string | undefined,
    private readonly prefix: string,
    private readonly version: number,
    private readonly hasUpdates: boolean,
    private readonly hasUnread: boolean,
    readonly layout: string,
  ) {
    this.location = db.location;
  }

  /** Opens the tables (found by their prefix unless given); `create` makes them in a database without any. */
  static async open(db: SqlClient, opts: { schema?: string; prefix?: string; create?: boolean } = {}): Promise<TelethonAlchemyStore> {
    const schema = opts.schema;
    const q = (name: string) => (schema === undefined ? ident(name) : `${ident(schema)}.${ident(name)}`);
    let tables = await db.tables(schema);
    let prefixes = alchemyPrefixes(tables);
    if (opts.prefix !== undefined) prefixes = prefixes.filter((p) => p === opts.prefix);
    if (prefixes.length === 0 && opts.create) {
      const prefix = opts.prefix ?? '';
      if (tables.has(`${prefix}sessions`) || tables.has(`${prefix}version`)) {
        throw new SessionError('unknown-format', `${db.location}: a table ${prefix}sessions or ${prefix}version is there but is not the alchemy store's; nothing was written`);
      }
      await db.transaction(async (tx) => {
        if (schema !== undefined) await tx.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
        for (const sql of ddl(db.engine, (n) => q(prefix + n))) await tx.query(sql);
        await tx.query(`INSERT INTO ${q(`${prefix}version`)} (version) VALUES (?)`, [WRITTEN_VERSION]);
      });
      tables = await db.tables(schema);
      prefixes = [prefix];
    }
    if (prefixes.length === 0) {
      const which = opts.prefix === undefined ? '' : ` with the prefix "${opts.prefix}"`;
      throw new SessionError('unknown-format', `${db.location}: no telethon-session-sqlalchemy tables${which}`);
    }
    if (prefixes.length > 1) {
      throw new SessionError('ambiguous', `${db.location}: alchemy tables under ${prefixes.length} prefixes (${prefixes.map((p) => `"${p}"`).join(', ')}); choose one with ?prefix=`);
    }
    const prefix = prefixes[0]!;
    const rows = tables.has(`${prefix}version`) ? await db.query<{ version: number | bigint }>(`SELECT version FROM ${q(`${prefix}version`)}`) : [];
    // The container reads a missing version row as 1.
    const version = rows[0] === undefined ? 1 : Number(rows[0].version);
    const updateCols = tables.get(`${prefix}update_state`);
    const where = schema === undefined ? '' : ` in schema ${schema}`;
    const layout = `tables ${prefix ? `"${prefix}…"` : 'without a prefix'}${where}, version ${version}`;
    return new TelethonAlchemyStore(db, schema, prefix, version, updateCols !== undefined, updateCols?.includes('unread_count') ?? false, layout);
  }

  private t(name: string): string {
    const table = ident(this.prefix + name);
    return this.schema === undefined ? table : `${ident(this.schema)}.${table}`;
  }

  private get versionWarnings(): string[] {
    return KNOWN_VERSIONS.includes(this.version) ? [] : [`${this.prefix}version says ${this.version}; telethon-session-sqlalchemy writes 1 to 3`];
  }

  async listIds(): Promise<string[]> {
    const rows = await this.db.query<{ session_id: string }>(`SELECT DISTINCT session_id FROM ${this.t('sessions')} ORDER BY session_id`);
    return rows.map((r) => r.session_id);
  }

  async list(): Promise<StoredSession[]> {
    // Four queries for the whole store, whatever its size: DC rows, own users, peer counts, states.
    const dcs = await this.db.query<CellRow & { session_id: string }>(`SELECT session_id, dc_id, server_address, port, auth_key FROM ${this.t('sessions')} ORDER BY session_id`);
    const selves = await this.db.query<CellRow & { session_id: string }>(`SELECT session_id, id, hash FROM ${this.t('entities')} WHERE id = 0`);
    const counts = await this.db.query<{ session_id: string; n: bigint | number }>(`SELECT session_id, count(*) AS n FROM ${this.t('entities')} WHERE id <> 0 GROUP BY session_id`);
    const states = this.hasUpdates
      ? await this.db.query<CellRow & { session_id: string }>(`SELECT session_id, entity_id, pts, qts, date, seq FROM ${this.t('update_state')} WHERE entity_id = 0`)
      : [];
    const peers = new Map(counts.map((c) => [c.session_id, Number(c.n)]));
    const out = new Map<string, StoredSession>();
    for (const r of dcs) {
      if (out.has(r.session_id)) continue;
      const warnings = [...this.versionWarnings];
      const head = emptySession();
      try {
        readTelethonDc(r, head, warnings, `${this.prefix}sessions`);
      } catch (e) {
        warnings.push((e as Error).message);
      }
      out.set(r.session_id, { id: r.session_id, head, peers: peers.get(r.session_id) ?? 0, warnings });
    }
    for (const r of selves) {
      const s = out.get(r.session_id);
      if (s) readTelethonEntities([r], s.head, s.warnings, `${this.prefix}entities`);
    }
    for (const r of states) {
      const s = out.get(r.session_id);
      if (s) readTelethonUpdates([r], s.head, s.warnings, `${this.prefix}update_state`, 'entity_id');
    }
    return [...out.values()];
  }

  async load(id: string, opts: LoadOptions = {}): Promise<ReadResult> {
    const dcs = await this.db.query<CellRow>(`SELECT dc_id, server_address, port, auth_key FROM ${this.t('sessions')} WHERE session_id = ?`, [id]);
    if (dcs.length === 0) throw missingSession(this, id);
    const warnings = [...this.versionWarnings];
    if (dcs.length > 1) warnings.push(`${this.prefix}sessions has ${dcs.length} rows for this session; the container uses the first`);
    const s = emptySession();
    readTelethonDc(dcs[0]!, s, warnings, `${this.prefix}sessions`);
    if (this.hasUpdates) {
      const states = await this.db.query<CellRow>(`SELECT entity_id, pts, qts, date, seq FROM ${this.t('update_state')} WHERE session_id = ?`, [id]);
      readTelethonUpdates(states, s, warnings, `${this.prefix}update_state`, 'entity_id');
    }
    const e = this.t('entities');
    // Without its peers the session still names its own user: the id-0 row and that user's own row.
    const only = opts.skipPeers ? ` AND (id = 0 OR id = (SELECT hash FROM ${e} WHERE session_id = ? AND id = 0))` : '';
    const entities = await this.db.query<CellRow>(`SELECT id, hash, username, phone, name FROM ${e} WHERE session_id = ?${only} ORDER BY id`, opts.skipPeers ? [id, id] : [id]);
    readTelethonEntities(entities, s, warnings, `${this.prefix}entities`);
    return { format: 'telethon-alchemy', formatVersion: this.layout, session: s, warnings };
  }

  entityRows(id: string): EntityRows {
    return { db: this.db, table: this.t('entities'), sessionId: id };
  }

  private refuseUnknown(): void {
    if (!KNOWN_VERSIONS.includes(this.version)) throw new SessionError('unsupported', `${this.location}: ${this.versionWarnings[0]}; Session Deck writes only the layouts it knows`);
  }

  async save(id: string, session: Session, opts: SaveOptions = {}): Promise<void> {
    this.refuseUnknown();
    const rows = telethonRowsOf(session);
    if (!this.hasUpdates && rows.states.length > 0) {
      // A version 1 store has no update_state table; the container would create it on its next start.
      throw new SessionError('unsupported', `${this.location}: a version 1 alchemy store has no update_state table (open it once with telethon-session-sqlalchemy to upgrade)`);
    }
    await this.db.transaction(async (tx) => {
      const had = await tx.query(`SELECT 1 FROM ${this.t('sessions')} WHERE session_id = ? LIMIT 1`, [id]);
      if (had.length > 0 && !opts.replace) throw existingSession(this, id);
      await this.deleteRows(tx, id);
      const { dc } = rows;
      await tx.query(`INSERT INTO ${this.t('sessions')} (session_id, dc_id, server_address, port, auth_key) VALUES (?, ?, ?, ?, ?)`, [id, dc.dcId, dc.address, dc.port, dc.authKey]);
      await insertBatches(tx, `INSERT INTO ${this.t('entities')} (session_id, id, hash, username, phone, name) VALUES`, '(?, ?, ?, ?, ?, ?)', rows.entities.map(([eid, hash, username, phone, name]) => [id, eid, hash, username, phoneNumber(phone), name]));
      const unread = this.hasUnread ? ', unread_count' : '';
      await insertBatches(
        tx,
        `INSERT INTO ${this.t('update_state')} (session_id, entity_id, pts, qts, date, seq${unread}) VALUES`,
        this.hasUnread ? '(?, ?, ?, ?, ?, ?, ?)' : '(?, ?, ?, ?, ?, ?)',
        rows.states.map(([eid, pts, qts, date, seq]) => [id, eid, pts, qts, date, seq, ...(this.hasUnread ? [0] : [])]),
      );
    });
    // The rows are written; statistics are only a hint, so a refusal (not the table's owner) changes nothing.
    if (this.db.engine === 'postgresql' && rows.entities.length >= ANALYZE_AFTER) await this.db.query(`ANALYZE ${this.t('entities')}`).catch(() => {});
  }

  private async deleteRows(tx: SqlClient, id: string): Promise<void> {
    for (const t of ['sessions', 'entities', 'sent_files', ...(this.hasUpdates ? ['update_state'] : [])]) {
      await tx.query(`DELETE FROM ${this.t(t)} WHERE session_id = ?`, [id]);
    }
  }

  async delete(id: string): Promise<boolean> {
    this.refuseUnknown();
    return this.db.transaction(async (tx) => {
      const had = (await tx.query(`SELECT 1 FROM ${this.t('sessions')} WHERE session_id = ? LIMIT 1`, [id])).length > 0;
      await this.deleteRows(tx, id);
      return had;
    });
  }

  listForAccount(userId: bigint): Promise<string[]> {
    return idsForAccount(this, userId);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** The entities' phone column is a BIGINT: a phone of digits is stored as its number, anything else is left out. */
const phoneNumber = (phone: string | null) => (phone !== null && /^\d{1,18}$/.test(phone) ? BigInt(phone) : null);

async function insertBatches(tx: SqlClient, head: string, tuple: string, rows: SqlParam[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    await tx.query(`${head} ${batch.map(() => tuple).join(', ')}`, batch.flat());
  }
}
