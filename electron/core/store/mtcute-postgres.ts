/**
 * mtcute's PostgreSQL storage (@mtcute/postgres): one schema (default `mtcute`) whose tables
 * hold every account's rows, keyed by `account`; the rows mean what mtcute's SQLite storage
 * keeps (formats/mtcute-rows.ts). Migrations per repository reach version 2 (the `account`
 * column); a newer schema is read with a warning and never written.
 */
import { SessionError } from '../errors.js';
import {
  addMtcutePeers,
  migrationWarnings,
  mtcuteRowsOf,
  sessionFromMtcuteRows,
  type MtcutePeerRow,
} from '../formats/mtcute-rows.js';
import type { ReadResult } from '../formats/types.js';
import type { Session } from '../model/session.js';
import { existingSession, missingSession, idsForAccount, type SaveOptions, type SessionStore, type StoredSession } from './session-store.js';
import { ident, type SqlClient } from './sql/client.js';

/** The repositories and the version whose tables we read and write. */
const MIGRATIONS: readonly (readonly [string, number])[] = [
  ['auth_keys', 2],
  ['kv', 2],
  ['peers', 2],
  ['ref_messages', 2],
];
const DATA_TABLES = ['auth_keys', 'temp_auth_keys', 'key_value', 'peers', 'message_refs'] as const;
export const MTCUTE_DEFAULT_SCHEMA = 'mtcute';

/** The tables as mtcute's migrations leave them at version 2 (its v2 adds `account` to each key). */
const ddl = (q: (t: string) => string) => [
  `CREATE TABLE IF NOT EXISTS ${q('migrations')} (repo text NOT NULL PRIMARY KEY, version integer NOT NULL)`,
  `CREATE TABLE ${q('auth_keys')} (dc integer NOT NULL, key bytea NOT NULL, account text NOT NULL DEFAULT 'default', PRIMARY KEY (account, dc))`,
  `CREATE TABLE ${q('temp_auth_keys')} (dc integer NOT NULL, idx integer NOT NULL, key bytea NOT NULL, expires integer NOT NULL, account text NOT NULL DEFAULT 'default', PRIMARY KEY (account, dc, idx))`,
  `CREATE TABLE ${q('key_value')} (key text NOT NULL, value bytea NOT NULL, account text NOT NULL DEFAULT 'default', PRIMARY KEY (account, key))`,
  `CREATE TABLE ${q('peers')} (id bigint NOT NULL, hash text NOT NULL, is_min boolean NOT NULL DEFAULT false, usernames jsonb NOT NULL, updated bigint NOT NULL, phone text, complete bytea, account text NOT NULL DEFAULT 'default', PRIMARY KEY (account, id))`,
  `CREATE TABLE ${q('message_refs')} (peer_id bigint NOT NULL, chat_id bigint NOT NULL, msg_id integer NOT NULL, account text NOT NULL DEFAULT 'default')`,
  `CREATE INDEX idx_message_refs ON ${q('message_refs')} (account, chat_id, msg_id)`,
  `CREATE INDEX idx_message_refs_peer ON ${q('message_refs')} (account, peer_id)`,
  `CREATE INDEX idx_peers_phone ON ${q('peers')} (account, phone)`,
];

const bytes = (v: unknown) => new Uint8Array(v as Buffer);

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** Whether a schema's tables are mtcute's (any version). */
export function isMtcuteSchema(tables: ReadonlyMap<string, readonly string[]>): boolean {
  return ['migrations', 'auth_keys', 'key_value'].every((t) => tables.has(t)) && (tables.get('migrations') ?? []).includes('repo');
}

export class MtcutePostgresStore implements SessionStore {
  readonly format = 'mtcute-postgres' as const;
  readonly location: string;

  private constructor(
    private readonly db: SqlClient,
    private readonly schema: string,
    private readonly versionWarnings: string[],
    readonly layout: string,
  ) {
    this.location = db.location;
  }

  /** Opens the schema; `create` makes mtcute's tables in a schema that has none. */
  static async open(db: SqlClient, schema = MTCUTE_DEFAULT_SCHEMA, opts: { create?: boolean } = {}): Promise<MtcutePostgresStore> {
    let tables = await db.tables(schema);
    if (!isMtcuteSchema(tables)) {
      if (!opts.create || tables.size > 0) {
        throw new SessionError('unknown-format', `${db.location}: schema "${schema}" holds no mtcute tables (migrations, auth_keys, key_value)`);
      }
      await db.transaction(async (tx) => {
        await tx.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
        for (const sql of ddl((t) => `${ident(schema)}.${ident(t)}`)) await tx.query(sql);
        for (const [repo, version] of MIGRATIONS) await tx.query(`INSERT INTO ${ident(schema)}.migrations (repo, version) VALUES (?, ?)`, [repo, version]);
      });
      tables = await db.tables(schema);
    }
    const versions = await db.query<{ repo: string; version: number }>(`SELECT repo, version FROM ${ident(schema)}.migrations ORDER BY repo`);
    if (!(tables.get('auth_keys') ?? []).includes('account')) {
      throw new SessionError('unsupported', `${db.location}: schema "${schema}" is from mtcute before its accounts (migration 2): open it once with mtcute to upgrade`);
    }
    const layout = `schema ${schema}; migrations ${versions.map((v) => `${v.repo} ${v.version}`).join(', ')}`;
    return new MtcutePostgresStore(db, schema, migrationWarnings(`${schema}.migrations`, versions, MIGRATIONS), layout);
  }

  private t(name: string): string {
    return `${ident(this.schema)}.${ident(name)}`;
  }

  async listIds(): Promise<string[]> {
    const rows = await this.db.query<{ account: string }>(
      `SELECT account FROM ${this.t('auth_keys')} UNION SELECT account FROM ${this.t('key_value')} ORDER BY 1`,
    );
    return rows.map((r) => r.account);
  }

  async list(): Promise<StoredSession[]> {
    // Three queries for the whole store, whatever its size: the head rows, the keys, the peer counts.
    const kv = await this.db.query<{ account: string; key: string; value: Buffer }>(
      `SELECT account, key, value FROM ${this.t('key_value')} WHERE key IN ('dc_main', 'dc_media', 'current_user', 'updates_pts', 'updates_qts', 'updates_date', 'updates_seq')`,
    );
    const keys = await this.db.query<{ account: string; dc: number; key: Buffer }>(`SELECT account, dc, key FROM ${this.t('auth_keys')} ORDER BY account, dc`);
    const counts = await this.db.query<{ account: string; n: bigint }>(`SELECT account, count(*) AS n FROM ${this.t('peers')} GROUP BY account`);
    const peers = new Map(counts.map((c) => [c.account, Number(c.n)]));
    const kvOf = groupBy(kv, (r) => r.account);
    const keysOf = groupBy(keys, (r) => r.account);
    const ids = [...new Set([...kvOf.keys(), ...keysOf.keys()])].sort();
    return ids.map((id) => {
      const warnings = [...this.versionWarnings];
      const head = this.headOf((kvOf.get(id) ?? []).map((r) => [r.key, bytes(r.value)] as const), keysOf.get(id) ?? [], warnings, []);
      return { id, head, peers: peers.get(id) ?? 0, warnings };
    });
  }

  private headOf(kv: (readonly [string, Uint8Array])[], keys: { dc: number; key: Buffer }[], warnings: string[], inferences: string[]): Session {
    return sessionFromMtcuteRows(kv, keys.map((k) => ({ dc: Number(k.dc), key: bytes(k.key) })), warnings, inferences);
  }

  async load(id: string): Promise<ReadResult> {
    const kv = await this.db.query<{ key: string; value: Buffer }>(`SELECT key, value FROM ${this.t('key_value')} WHERE account = ?`, [id]);
    const keys = await this.db.query<{ dc: number; key: Buffer }>(`SELECT dc, key FROM ${this.t('auth_keys')} WHERE account = ? ORDER BY dc`, [id]);
    if (kv.length === 0 && keys.length === 0) throw missingSession(this, id);
    const warnings = [...this.versionWarnings];
    const inferences: string[] = [];
    const s = this.headOf(kv.map((r) => [r.key, bytes(r.value)] as const), keys, warnings, inferences);
    const peers = await this.db.query<MtcutePeerRow>(
      `SELECT id, hash, usernames, updated, phone, is_min AS "isMin" FROM ${this.t('peers')} WHERE account = ? ORDER BY id`,
      [id],
    );
    addMtcutePeers(s, peers, warnings);
    return { format: 'mtcute-postgres', formatVersion: this.layout, session: s, warnings, inferences };
  }

  private refuseNewer(): void {
    if (this.versionWarnings.length > 0) {
      throw new SessionError('unsupported', `${this.location}: ${this.versionWarnings[0]}; Session Deck writes only the layout it knows`);
    }
  }

  async save(id: string, session: Session, opts: SaveOptions = {}): Promise<void> {
    this.refuseNewer();
    const rows = mtcuteRowsOf(session);
    await this.db.transaction(async (tx) => {
      const had = await tx.query(`SELECT 1 FROM ${this.t('key_value')} WHERE account = ? UNION ALL SELECT 1 FROM ${this.t('auth_keys')} WHERE account = ? LIMIT 1`, [id, id]);
      if (had.length > 0 && !opts.replace) throw existingSession(this, id);
      for (const t of DATA_TABLES) await tx.query(`DELETE FROM ${this.t(t)} WHERE account = ?`, [id]);
      for (const [key, value] of rows.kv) await tx.query(`INSERT INTO ${this.t('key_value')} (account, key, value) VALUES (?, ?, ?)`, [id, key, value]);
      for (const [dc, key] of rows.authKeys) await tx.query(`INSERT INTO ${this.t('auth_keys')} (account, dc, key) VALUES (?, ?, ?)`, [id, dc, key]);
      // Peers in batches: one statement per row would make a big cache take minutes.
      for (let i = 0; i < rows.peers.length; i += PEER_BATCH) {
        const batch = rows.peers.slice(i, i + PEER_BATCH);
        await tx.query(
          `INSERT INTO ${this.t('peers')} (account, id, hash, is_min, usernames, updated, phone, complete) VALUES ${batch.map(() => '(?, ?, ?, ?, ?::jsonb, ?, ?, NULL)').join(', ')}`,
          batch.flatMap((p) => [id, p.id, p.hash, p.isMin, p.usernames, p.updated, p.phone]),
        );
      }
    });
  }

  async delete(id: string): Promise<boolean> {
    this.refuseNewer();
    return this.db.transaction(async (tx) => {
      const had = (await tx.query(`SELECT 1 FROM ${this.t('key_value')} WHERE account = ? UNION ALL SELECT 1 FROM ${this.t('auth_keys')} WHERE account = ? LIMIT 1`, [id, id])).length > 0;
      for (const t of DATA_TABLES) await tx.query(`DELETE FROM ${this.t(t)} WHERE account = ?`, [id]);
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

/** Rows per INSERT: 7 parameters each, well under PostgreSQL's 65,535. */
const PEER_BATCH = 5000;
