/**
 * telethon-session-redis (teleredis RedisSession) in Redis: under a hive (default
 * `telethon:client`), `{hive}:{session}:sessions:{dc}` holds the DC row as JSON (auth_key in
 * standard base64) and `{hive}:{session}:entities:{marked id}` each entity (id 0: the own user
 * id in `hash`); the rows mean what Telethon's own file keeps (telethon-rows.ts). It keeps no
 * update state. A value packed with pickle (its first byte 0x80) is refused, never decoded.
 * JSON numbers are parsed losslessly: access hashes are 64-bit.
 */
import { isSafeNumber, parse, stringify } from 'lossless-json';
import { createClient, RESP_TYPES } from 'redis';
import { SessionError } from '../errors.js';
import { readTelethonDc, readTelethonEntities, telethonRowsOf } from '../formats/telethon-rows.js';
import type { ReadResult } from '../formats/types.js';
import { emptySession, type Session } from '../model/session.js';
import type { SqlRow as CellRow } from '../sqlite/values.js';
import { existingSession, idsForAccount, missingSession, type SaveOptions, type SessionStore, type StoredSession } from './session-store.js';

export const DEFAULT_HIVE = 'telethon:client';
const CONNECT_TIMEOUT_MS = 5000;
const SCAN_COUNT = 1000;

type Client = ReturnType<typeof createBufferClient>;
const createBufferClient = (url: string, password: string | undefined) =>
  createClient({ url, ...(password !== undefined ? { password } : {}), socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false } }).withTypeMapping({
    [RESP_TYPES.BLOB_STRING]: Buffer,
  });

/** A Redis failure → one line with a stable code, never the password. */
function redisError(e: unknown, location: string): SessionError {
  if (e instanceof SessionError) return e;
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? String(e);
  if (/WRONGPASS|invalid username-password/i.test(msg)) return new SessionError('bad-password', `${location}: Redis refused the user name or password`);
  if (/NOAUTH/i.test(msg)) return new SessionError('needs-password', `${location}: the server wants a password (put it in the URL, REDISCLI_AUTH, or type it when asked)`);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'].includes(err.code ?? '') || /timeout|closed/i.test(msg)) {
    return new SessionError('unreachable', `${location}: the Redis server does not answer${err.code ? ` (${err.code})` : ''}`);
  }
  return new SessionError('io', `${location}: ${msg.split('\n')[0]}`, { cause: e });
}

/** A glob pattern matching `text` literally. */
const literal = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A value as teleredis's JSON pack function wrote it; pickle is refused. */
function unpack(value: Buffer, key: string, location: string): CellRow {
  if (value[0] === 0x80) throw new SessionError('unsupported', `${location}: this store uses pickle (${key}); Session Deck never unpickles`);
  let v: unknown;
  try {
    v = parse(value.toString('utf8'), null, (n) => (isSafeNumber(n) ? Number(n) : BigInt(n)));
  } catch {
    throw new SessionError('malformed', `${location}: ${key} is not JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SessionError('malformed', `${location}: ${key} is not a JSON object`);
  return v as CellRow;
}

/** The DC row of a sessions value: its auth key from base64. */
function dcRow(v: CellRow, key: string, location: string): CellRow {
  const b64 = v.auth_key;
  if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new SessionError('malformed', `${location}: ${key} has no base64 auth_key`);
  return { ...v, auth_key: new Uint8Array(Buffer.from(b64, 'base64')) };
}

export class TelethonRedisStore implements SessionStore {
  readonly format = 'telethon-redis' as const;
  readonly layout: string;
  private readonly keyRe: RegExp;

  private constructor(
    private readonly client: Client,
    readonly location: string,
    private readonly hive: string,
  ) {
    this.layout = `hive ${hive}, JSON values`;
    this.keyRe = new RegExp(`^${escapeRegExp(hive)}:(.+):(sessions|entities):(-?\\d+)$`);
  }

  static async open(url: string, location: string, opts: { hive?: string; password?: string } = {}): Promise<TelethonRedisStore> {
    const client = createBufferClient(url, opts.password);
    // Errors are thrown by the calls that meet them; an idle client's must not crash the process.
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
    } catch (e) {
      await client.destroy();
      throw redisError(e, location);
    }
    return new TelethonRedisStore(client, location, opts.hive ?? DEFAULT_HIVE);
  }

  private async keys(pattern: string): Promise<string[]> {
    const out: string[] = [];
    try {
      for await (const batch of this.client.scanIterator({ MATCH: pattern, COUNT: SCAN_COUNT })) out.push(...batch.map(String));
    } catch (e) {
      throw redisError(e, this.location);
    }
    return out.sort();
  }

  private async values(keys: readonly string[]): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    for (let i = 0; i < keys.length; i += SCAN_COUNT) {
      const batch = keys.slice(i, i + SCAN_COUNT);
      let got: (Buffer | null)[];
      try {
        got = (await this.client.mGet(batch)) as (Buffer | null)[];
      } catch (e) {
        throw redisError(e, this.location);
      }
      batch.forEach((k, j) => got[j] && out.set(k, got[j]!));
    }
    return out;
  }

  private parseKey(key: string): { id: string; kind: 'sessions' | 'entities'; n: string } | undefined {
    const m = this.keyRe.exec(key);
    return m ? { id: m[1]!, kind: m[2] as 'sessions' | 'entities', n: m[3]! } : undefined;
  }

  private prefix(id: string): string {
    return `${this.hive}:${id}`;
  }

  async listIds(): Promise<string[]> {
    const ids = (await this.keys(`${literal(this.hive)}:*:sessions:*`)).map((k) => this.parseKey(k)?.id).filter((x): x is string => x !== undefined);
    return [...new Set(ids)].sort();
  }

  /** The session's DC row: of several DC keys, the one stamped newest (ts_ts), else the last, with a warning. */
  private headOf(id: string, values: readonly [string, Buffer][], warnings: string[]): Session {
    const rows = values.map(([k, v]) => ({ key: k, row: unpack(v, k, this.location) }));
    rows.sort((a, b) => Number(a.row.ts_ts ?? 0) - Number(b.row.ts_ts ?? 0));
    if (rows.length > 1) warnings.push(`${rows.length} DC keys for this session; read ${rows.at(-1)!.key} (teleredis takes whichever KEYS lists last)`);
    const s = emptySession();
    const last = rows.at(-1);
    if (last) readTelethonDc(dcRow(last.row, last.key, this.location), s, warnings, `${this.prefix(id)}:sessions`);
    return s;
  }

  async list(): Promise<StoredSession[]> {
    const sessionKeys = await this.keys(`${literal(this.hive)}:*:sessions:*`);
    const values = await this.values(sessionKeys);
    const byId = new Map<string, [string, Buffer][]>();
    for (const [k, v] of values) {
      const p = this.parseKey(k);
      if (p) byId.set(p.id, [...(byId.get(p.id) ?? []), [k, v]]);
    }
    // Entity keys are counted by their names alone; only the own-user rows (id 0) are read.
    const counts = new Map<string, number>();
    const selfKeys: string[] = [];
    for (const k of await this.keys(`${literal(this.hive)}:*:entities:*`)) {
      const p = this.parseKey(k);
      if (!p) continue;
      if (p.n === '0') selfKeys.push(k);
      else counts.set(p.id, (counts.get(p.id) ?? 0) + 1);
    }
    const selves = await this.values(selfKeys);
    return [...byId].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, vals]) => {
      const warnings: string[] = [];
      let head = emptySession();
      try {
        head = this.headOf(id, vals, warnings);
        const self = selves.get(`${this.prefix(id)}:entities:0`);
        if (self) readTelethonEntities([unpack(self, `${this.prefix(id)}:entities:0`, this.location)], head, warnings, `${this.prefix(id)}:entities`);
      } catch (e) {
        warnings.push((e as Error).message);
      }
      return { id, head, peers: counts.get(id) ?? 0, warnings };
    });
  }

  async load(id: string): Promise<ReadResult> {
    const sessionKeys = await this.keys(`${literal(this.prefix(id))}:sessions:*`);
    if (sessionKeys.length === 0) throw missingSession(this, id);
    const warnings: string[] = [];
    const s = this.headOf(id, [...(await this.values(sessionKeys))], warnings);
    const entities = await this.values(await this.keys(`${literal(this.prefix(id))}:entities:*`));
    const rows = [...entities].map(([k, v]) => unpack(v, k, this.location));
    rows.sort((a, b) => (BigInt(a.id as bigint) < BigInt(b.id as bigint) ? -1 : 1));
    readTelethonEntities(rows, s, warnings, `${this.prefix(id)}:entities`);
    return { format: 'telethon-redis', formatVersion: this.layout, session: s, warnings };
  }

  async save(id: string, session: Session, opts: SaveOptions = {}): Promise<void> {
    const rows = telethonRowsOf(session);
    const dc = rows.dc;
    if (!dc.address || dc.port === null) throw new SessionError('missing-field', 'telethon-redis stores a DC address and port: this session has no home DC entry');
    const mine = await this.keysOf(id);
    if (mine.some((k) => this.parseKey(k)?.kind === 'sessions') && !opts.replace) throw existingSession(this, id);
    // One MULTI/EXEC: the old keys go and the new ones come together, or nothing changes.
    const tx = this.client.multi();
    if (mine.length > 0) tx.del(mine);
    tx.set(`${this.prefix(id)}:sessions:${dc.dcId}`, stringify({ dc_id: dc.dcId, server_address: dc.address, port: dc.port, auth_key: Buffer.from(dc.authKey).toString('base64') })!);
    for (const [eid, hash, username, phone, name] of rows.entities) {
      tx.set(`${this.prefix(id)}:entities:${eid}`, stringify({ id: eid, hash, username, phone, name })!);
    }
    try {
      await tx.exec();
    } catch (e) {
      throw redisError(e, this.location);
    }
  }

  /** Every key of one session (not of another whose name starts with this one's and a colon). */
  private async keysOf(id: string): Promise<string[]> {
    const files = `${this.prefix(id)}:sent_files:`;
    return (await this.keys(`${literal(this.prefix(id))}:*`)).filter((k) => this.parseKey(k)?.id === id || (k.startsWith(files) && !k.slice(files.length).includes(':')));
  }

  async delete(id: string): Promise<boolean> {
    const mine = await this.keysOf(id);
    if (mine.length === 0) return false;
    try {
      await this.client.del(mine);
    } catch (e) {
      throw redisError(e, this.location);
    }
    return true;
  }

  listForAccount(userId: bigint): Promise<string[]> {
    return idsForAccount(this, userId);
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => this.client.destroy());
  }
}
