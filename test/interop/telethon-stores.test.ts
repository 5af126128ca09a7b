/**
 * The Telethon stores against Telethon (Debian) with SQLAlchemy, psycopg2 and redis-py, as
 * telethon_store_oracle.py restates telethon-session-sqlalchemy and telethon-session-redis:
 * sessions the oracle writes are listed and read field by field; sessions we write are read
 * back by Telethon (DC, key, update state, lookups by id, username and phone). On a private
 * PostgreSQL server, in an SQLite file, and (telethon-redis) on a private Redis server.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../electron/core/bytes.js';
import { openStore } from '../../electron/core/store/open-store.js';
import type { SessionStore } from '../../electron/core/store/session-store.js';
import { emptySession, makeDc, type Session } from '../../electron/core/model/session.js';
import { asyncCodeOf, asyncSessionErrorOf } from '../helpers/errors.js';
import { tempDir } from '../helpers/format-io.js';
import { fakeKey } from '../helpers/sessions.js';
import { SERVER_PASSWORD, startPostgres, startRedis, type PgServer, type RedisServer } from '../helpers/servers.js';

const PYTHON = '/usr/bin/python3';
const ORACLE = fileURLToPath(new URL('./telethon_store_oracle.py', import.meta.url));

type Command = { cmd: string } & Record<string, unknown>;
type PeerAnswer = { type: string; id: string; hash?: string } | null;
interface Answer {
  dc_id: number;
  server_address: string | null;
  port: number | null;
  auth_key: string | null;
  state: { pts: number; qts: number; date: number; seq: number } | null;
  by_id: Record<string, PeerAnswer>;
  by_key: Record<string, PeerAnswer>;
}

function oracle(commands: Command[]): Answer[] {
  const r = spawnSync(PYTHON, [ORACLE], { input: JSON.stringify(commands), encoding: 'utf8', timeout: 60_000, env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new Error(`telethon_store_oracle.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Answer[];
}

let pg: PgServer;
let rd: RedisServer;
const dir = tempDir('sd-telethon-stores-');
beforeAll(async () => {
  pg = await startPostgres();
  pg.psql('CREATE DATABASE alchemy');
  rd = await startRedis();
}, 60_000);
afterAll(async () => {
  pg?.stop();
  await rd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const KEY = fakeKey(21);
/** What the oracle is asked to store (ids and hashes as decimal strings). */
const SPEC = {
  dc: { id: 4, address: '149.154.167.91', port: 443 },
  auth_key: toHex(KEY),
  self_id: '7000001',
  users: [{ id: '7000002', access_hash: '-5000000000000000001', username: 'ann_r', phone: '447700900123', first_name: 'Ann' }],
  channels: [{ id: '1500000003', access_hash: '9000000000000000003', title: 'News', username: 'news_c' }],
  chats: [{ id: '300004', title: 'Group' }],
  state: { pts: 51, qts: 2, date: 1_731_000_000, seq: 9 },
};

function ours(): Session {
  const s = emptySession();
  s.homeDc = 2;
  s.user = { id: 8_000_001n };
  s.dcs = [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: fakeKey(22) })];
  s.updates = { pts: 70, qts: 3, date: 1_732_000_000, seq: 11, channels: new Map([[1_500_000_009n, 40]]) };
  s.peers = [
    { id: 8_000_002n, kind: 'user', accessHash: 1234567890123456789n, usernames: ['zed_q'], phone: '15550100', name: 'Zed' },
    { id: 1_500_000_010n, kind: 'channel', accessHash: -987654321987654321n, usernames: ['chan_z'], name: 'Chan' },
  ];
  return s;
}

/** Checks a store against the oracle both ways: its session read by us, ours read by it. */
async function bothWays(store: () => Promise<SessionStore>, where: Record<string, unknown>, withState: boolean): Promise<Answer> {
  oracle([{ cmd: 'make_store', ...where, session_id: 'bot-one', ...SPEC }]);
  const s = await store();
  try {
    const ids = await s.listIds();
    expect(ids).toContain('bot-one');
    const listed = (await s.list()).find((x) => x.id === 'bot-one')!;
    expect(listed.head.user?.id).toBe(7_000_001n);
    expect(listed.peers).toBe(3);
    const r = (await s.load('bot-one')).session;
    expect(r.homeDc).toBe(4);
    expect(r.dcs).toHaveLength(1);
    expect(r.dcs[0]).toMatchObject({ id: 4, address: '149.154.167.91', port: 443 });
    expect(toHex(r.dcs[0]!.authKey!)).toBe(toHex(KEY));
    expect(r.user).toEqual({ id: 7_000_001n });
    expect(r.updates).toMatchObject(withState ? { pts: 51, qts: 2, date: 1_731_000_000, seq: 9 } : { pts: 0, qts: 0, date: 0, seq: 0 });
    const byId = new Map(r.peers.map((p) => [`${p.kind}:${p.id}`, p]));
    expect(byId.get('user:7000002')).toMatchObject({ accessHash: -5000000000000000001n, usernames: ['ann_r'], phone: '447700900123', name: 'Ann' });
    expect(byId.get('channel:1500000003')).toMatchObject({ accessHash: 9000000000000000003n, usernames: ['news_c'] });
    expect(byId.get('chat:300004')).toMatchObject({ accessHash: 0n });
    await s.save('ours', ours());
    expect(await asyncCodeOf(s.save('ours', ours()))).toBe('exists');
  } finally {
    await s.close();
  }
  const [a] = oracle([{ cmd: 'read_store', ...where, session_id: 'ours', ids: ['8000002', '-1001500000010'], keys: ['zed_q', 'chan_z', '+15550100'] }]);
  expect(a!.dc_id).toBe(2);
  expect(a!.server_address).toBe('149.154.167.51');
  expect(a!.auth_key).toBe(toHex(fakeKey(22)));
  expect(a!.state).toEqual(withState ? { pts: 70, qts: 3, date: 1_732_000_000, seq: 11 } : null);
  expect(a!.by_id['8000002']).toEqual({ type: 'user', id: '8000002', hash: '1234567890123456789' });
  expect(a!.by_id['-1001500000010']).toEqual({ type: 'channel', id: '1500000010', hash: '-987654321987654321' });
  expect(a!.by_key.zed_q).toEqual({ type: 'user', id: '8000002', hash: '1234567890123456789' });
  expect(a!.by_key.chan_z).toEqual({ type: 'channel', id: '1500000010', hash: '-987654321987654321' });
  expect(a!.by_key['+15550100']).toEqual({ type: 'user', id: '8000002', hash: '1234567890123456789' });
  return a!;
}

describe('telethon-alchemy', () => {
  it('on PostgreSQL with a table prefix', async () => {
    const url = `${pg.url('alchemy')}?prefix=telethon_`;
    const sa = pg.url('alchemy').replace('postgresql://', 'postgresql+psycopg2://');
    expect((await bothWays(() => openStore(url, { write: true }), { kind: 'alchemy', url: sa, prefix: 'telethon_' }, true)).dc_id).toBe(2);
    // Found from the tables alone, without ?prefix=.
    const found = await openStore(pg.url('alchemy'));
    expect(found.format).toBe('telethon-alchemy');
    expect(found.layout).toBe('tables "telethon_…", version 2');
    await found.close();
  });

  it('in an SQLite file, without a prefix', async () => {
    const file = join(dir, 'alchemy.db');
    expect((await bothWays(() => openStore(file, { write: true }), { kind: 'alchemy', url: `sqlite:///${file}` }, true)).dc_id).toBe(2);
  });

  it('bad input is one line and changes nothing', async () => {
    pg.psql('CREATE DATABASE two');
    pg.psql('CREATE TABLE a_version (version int); CREATE TABLE a_sessions (session_id text, dc_id int, server_address text, port int, auth_key bytea); CREATE TABLE a_entities (session_id text, id bigint, hash bigint, username text, phone bigint, name text); CREATE TABLE b_sessions (session_id text, dc_id int, server_address text, port int, auth_key bytea); CREATE TABLE b_entities (session_id text, id bigint)', 'two');
    expect((await asyncSessionErrorOf(openStore(pg.url('two')))).message).toMatch(/alchemy tables under 2 prefixes \("a_", "b_"\); choose one with \?prefix=/);
    pg.psql("INSERT INTO a_version VALUES (9); INSERT INTO a_sessions VALUES ('x', 2, '149.154.167.51', 443, '')", 'two');
    const newer = await openStore(`${pg.url('two')}?prefix=a_`, { write: true });
    try {
      expect((await newer.load('x')).warnings).toContain('a_version says 9; telethon-session-sqlalchemy writes 1 to 3');
      expect(await asyncCodeOf(newer.save('y', ours()))).toBe('unsupported');
    } finally {
      await newer.close();
    }
    expect(pg.psql('SELECT count(*) FROM a_sessions', 'two')).toBe('1\n');
    expect((await asyncSessionErrorOf(openStore(`${pg.url('two')}?prefix=c_`))).message).toMatch(/no telethon-session-sqlalchemy tables with the prefix "c_"/);
  });
});

describe('telethon-redis', () => {
  it('on Redis, in the default hive', async () => {
    expect((await bothWays(() => openStore(rd.url(), { write: true }), { kind: 'redis', url: rd.url() }, false)).dc_id).toBe(2);
  });
});

describe('telethon-redis bad input', () => {
  it('refuses pickle without decoding it, a wrong or missing password, an unreachable server: one line each', async () => {
    const c = createClient({ url: rd.url(1) });
    await c.connect();
    // A pickled dict (protocol 4), as teleredis writes with PackFunction.PICKLE.
    await c.set('telethon:client:pickled:sessions:2', Buffer.from('80049505000000000000007d942e', 'hex'));
    await c.close();
    const s = await openStore(rd.url(1));
    try {
      const e = await asyncSessionErrorOf(s.load('pickled'));
      expect(e.message).toMatch(/this store uses pickle \(telethon:client:pickled:sessions:2\); Session Deck never unpickles/);
      expect((await s.list())[0]!.warnings.join('\n')).toMatch(/never unpickles/);
    } finally {
      await s.close();
    }
    const noPass = rd.url(1).replace(/:[^:@/]*@/, '@').replace('redis://@', 'redis://');
    expect((await asyncSessionErrorOf(openStore(noPass))).code).toBe('needs-password');
    expect((await asyncSessionErrorOf(openStore(noPass, { password: 'wrong' }))).code).toBe('bad-password');
    const ok = await openStore(noPass, { password: SERVER_PASSWORD });
    expect(await ok.listIds()).toEqual(['pickled']);
    await ok.close();
    expect((await asyncSessionErrorOf(openStore('redis://127.0.0.1:1/0'))).code).toBe('unreachable');
  });
});
