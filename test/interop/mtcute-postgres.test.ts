/**
 * mtcute's PostgreSQL storage against @mtcute/postgres itself on a private PostgreSQL server:
 * sessions mtcute writes (through its client's storage services, offline) are listed and read
 * field by field; sessions we write are read back by mtcute. Bad input is one line and
 * changes nothing.
 */
import { PostgresStorage } from '@mtcute/postgres';
import { TelegramClient } from '@mtcute/node';
import { Long } from '@mtcute/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/core/store/open-store.js';
import { makeDc, emptySession, type Session } from '../../electron/core/model/session.js';
import { authKeyId } from '../../electron/core/model/fingerprint.js';
import { asyncCodeOf, asyncSessionErrorOf } from '../helpers/errors.js';
import { fakeKey, peerOf } from '../helpers/sessions.js';
import { SERVER_PASSWORD, startPostgres, type PgServer } from '../helpers/servers.js';

let server: PgServer;
let url: string;

beforeAll(async () => {
  server = await startPostgres();
  server.psql('CREATE DATABASE fleet');
  url = server.url('fleet');
}, 60_000);
afterAll(() => server?.stop());

async function withMtcute<T>(account: string, fn: (tg: TelegramClient, storage: PostgresStorage) => Promise<T>, at = url): Promise<T> {
  const pool = new pg.Pool({ connectionString: at });
  const storage = new PostgresStorage(pool, { account });
  const tg = new TelegramClient({ apiId: 1, apiHash: 'x', storage, disableUpdates: true });
  try {
    await tg.prepare();
    return await fn(tg, storage);
  } finally {
    await tg.destroy();
    await pool.end();
  }
}

/** Every row of the data tables, hashed: equal before and after means nothing was written. */
const fingerprint = () =>
  ['peers', 'key_value', 'auth_keys'].map((t) => server.psql(`SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM mtcute.${t} x`, 'fleet')).join('');

/** mtcute's DC service: public at runtime, not in the client's storage type. */
const dcsOf = (tg: TelegramClient) =>
  (tg.storage as unknown as { mt: { dcs: { store(d: unknown): Promise<void>; fetch(): Promise<{ main: unknown } | null> } } }).mt.dcs;

const KEY2 = fakeKey(2);
const KEY4 = fakeKey(4);

async function mtcuteWrites(account: string, userId: number): Promise<void> {
  await withMtcute(account, async (tg, storage) => {
    await storage.authKeys.set(2, KEY2);
    await storage.authKeys.set(4, KEY4);
    await dcsOf(tg).store({ main: { id: 2, ipAddress: '149.154.167.50', port: 443 }, media: { id: 2, ipAddress: '149.154.167.222', port: 443, mediaOnly: true } });
    await tg.storage.self.store({ userId, isBot: false, isPremium: false, usernames: ['alice'] });
    await tg.storage.updates.setPts(100);
    await tg.storage.updates.setQts(5);
    await tg.storage.updates.setDate(1_700_000_000);
    await tg.storage.updates.setSeq(7);
    await tg.storage.peers.store({ _: 'user', id: userId, accessHash: Long.fromString('1234567890123'), firstName: 'Alice', username: 'alice', self: true, min: false } as never);
    await tg.storage.peers.store({ _: 'channel', id: 777, accessHash: Long.fromString('-42'), title: 'Chan', username: 'chan', date: 0, photo: { _: 'chatPhotoEmpty' }, min: false } as never);
  });
}

describe('mtcute-postgres', () => {
  it('lists and reads what @mtcute/postgres wrote, field by field, without writing', async () => {
    await mtcuteWrites('a1', 12345);
    await mtcuteWrites('a2', 67890);
    const before = fingerprint();
    const store = await openStore(url);
    try {
      expect(store.format).toBe('mtcute-postgres');
      expect(store.layout).toBe('schema mtcute; migrations auth_keys 2, kv 2, peers 2, ref_messages 2');
      const list = await store.list();
      expect(list.map((s) => [s.id, s.head.user?.id, s.peers])).toEqual([
        ['a1', 12345n, 2],
        ['a2', 67890n, 2],
      ]);
      const r = await store.load('a1');
      const s = r.session;
      expect(s.homeDc).toBe(2);
      expect(s.user).toEqual({ id: 12345n, isBot: false });
      expect(s.updates).toMatchObject({ pts: 100, qts: 5, date: 1_700_000_000, seq: 7 });
      const main = s.dcs.find((d) => d.id === 2 && !d.mediaOnly)!;
      expect(main.address).toBe('149.154.167.50');
      expect(authKeyId(main.authKey)).toBe(authKeyId(KEY2));
      expect(s.dcs.find((d) => d.id === 2 && d.mediaOnly)?.address).toBe('149.154.167.222');
      expect(authKeyId(s.dcs.find((d) => d.id === 4)!.authKey)).toBe(authKeyId(KEY4));
      const byId = new Map(s.peers.map((p) => [p.id, p]));
      expect(byId.get(12345n)).toMatchObject({ kind: 'user', accessHash: 1234567890123n, usernames: ['alice'] });
      expect(byId.get(777n)).toMatchObject({ kind: 'channel', accessHash: -42n, usernames: ['chan'] });
      expect(await store.listForAccount(67890n)).toEqual(['a2']);
      expect(await asyncCodeOf(store.load('nobody'))).toBe('not-found');
      // Opened read-only: a write is refused by the server, and nothing changed.
      expect(await asyncCodeOf(store.save('a3', s))).toBe('usage');
    } finally {
      await store.close();
    }
    const after = fingerprint();
    expect(after).toBe(before);
  });

  function ours(): Session {
    const s = emptySession();
    s.homeDc = 4;
    s.testMode = false;
    s.user = { id: 5_550_001n, isBot: true };
    s.dcs = [makeDc({ id: 4, address: '149.154.167.91', port: 443, authKey: fakeKey(40) }), makeDc({ id: 1, address: '149.154.175.53', port: 443, authKey: fakeKey(41) })];
    s.updates = { pts: 9, qts: 8, date: 1_731_000_000, seq: 6, channels: new Map([[1_400_000_001n, 501]]) };
    s.peers = [peerOf('user', 1, { extras: true }), peerOf('channel', 2, { extras: true }), peerOf('chat', 3)];
    return s;
  }

  it('writes a session that @mtcute/postgres reads back; an existing id needs replace; one transaction', async () => {
    const store = await openStore(url, { write: true });
    try {
      await store.save('ours', ours());
      expect(await asyncCodeOf(store.save('ours', ours()))).toBe('exists');
      const broken = ours();
      broken.dcs[0]!.authKey = new Uint8Array(10);
      expect(await asyncCodeOf(store.save('ours', broken, { replace: true }))).toBe('malformed');
    } finally {
      await store.close();
    }
    await withMtcute('ours', async (tg, storage) => {
      expect(Buffer.from((await storage.authKeys.get(4))!)).toEqual(Buffer.from(fakeKey(40)));
      expect(Buffer.from((await storage.authKeys.get(1))!)).toEqual(Buffer.from(fakeKey(41)));
      expect((await dcsOf(tg).fetch())?.main).toMatchObject({ id: 4, ipAddress: '149.154.167.91', port: 443 });
      expect(await tg.storage.self.fetch()).toMatchObject({ userId: 5_550_001, isBot: true });
      expect(await tg.storage.updates.getState()).toEqual([9, 8, 1_731_000_000, 6]);
      expect(await tg.storage.updates.getChannelPts(1_400_000_001)).toBe(501);
      const peer = peerOf('channel', 2, { extras: true });
      const input = (await tg.storage.peers.getById(-(1_000_000_000_000 + Number(peer.id)))) as { channelId: number; accessHash: { toString(): string } };
      expect(input.channelId).toBe(Number(peer.id));
      expect(input.accessHash.toString()).toBe(peer.accessHash.toString());
      expect((await storage.peers.getByUsername('user_1'))?.id).toBe(Number(peerOf('user', 1).id));
    });
  });

  it('replaces and deletes in one transaction each', async () => {
    const store = await openStore(url, { write: true });
    try {
      const s = ours();
      s.updates.pts = 12;
      await store.save('ours', s, { replace: true });
      expect((await store.load('ours')).session.updates.pts).toBe(12);
      expect(await store.delete('ours')).toBe(true);
      expect(await store.delete('ours')).toBe(false);
      expect(await store.listIds()).toEqual(['a1', 'a2']);
    } finally {
      await store.close();
    }
  });

  it('creates mtcute’s tables in an empty database, which mtcute then uses as its own', async () => {
    server.psql('CREATE DATABASE empty');
    const store = await openStore(server.url('empty'), { create: 'mtcute-postgres' });
    await store.save('fresh', ours());
    await store.close();
    await withMtcute('fresh', async (_tg, storage) => {
      expect(Buffer.from((await storage.authKeys.get(4))!)).toEqual(Buffer.from(fakeKey(40)));
    }, server.url('empty'));
    expect(server.psql('SELECT repo || version FROM mtcute.migrations ORDER BY repo', 'empty')).toBe('auth_keys2\nkv2\npeers2\nref_messages2\n');
  });

  it('bad input is one line and changes nothing', async () => {
    const wrong = url.replace(encodeURIComponent(SERVER_PASSWORD), 'nope');
    const e1 = await asyncSessionErrorOf(openStore(wrong));
    expect(e1.code).toBe('bad-password');
    expect(e1.message).not.toContain('nope');
    const noPassword = url.replace(`:${encodeURIComponent(SERVER_PASSWORD)}@`, '@');
    const saved = process.env.PGPASSWORD;
    delete process.env.PGPASSWORD;
    expect((await asyncSessionErrorOf(openStore(noPassword))).code).toBe('needs-password');
    if (saved !== undefined) process.env.PGPASSWORD = saved;
    const store = await openStore(noPassword, { password: SERVER_PASSWORD });
    expect(await store.listIds()).toEqual(['a1', 'a2']);
    await store.close();
    const closed = `postgresql://sd:x@127.0.0.1:1/fleet`;
    expect((await asyncSessionErrorOf(openStore(closed))).code).toBe('unreachable');
    server.psql('CREATE DATABASE other; ', 'postgres');
    // A schema of that name holding someone else's tables is never added to.
    server.psql('CREATE SCHEMA mtcute; CREATE TABLE mtcute.stuff (a int)', 'other');
    const e2 = await asyncSessionErrorOf(openStore(server.url('other'), { create: 'mtcute-postgres' }));
    expect(e2.code).toBe('unknown-format');
    expect(server.psql("SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = 'mtcute'", 'other')).toBe('stuff\n');
    expect((await asyncSessionErrorOf(openStore(`${url}?schema=elsewhere`))).code).toBe('unknown-format');
    // A schema a newer mtcute migrated: read with a warning, never written.
    server.psql("UPDATE mtcute.migrations SET version = 3 WHERE repo = 'peers'", 'fleet');
    const newer = await openStore(url, { write: true });
    try {
      expect((await newer.load('a1')).warnings).toContain('mtcute.migrations: peers is at version 3, newer than 2');
      expect(await asyncCodeOf(newer.save('x', ours()))).toBe('unsupported');
      expect(await asyncCodeOf(newer.delete('a1'))).toBe('unsupported');
      expect(await newer.listIds()).toEqual(['a1', 'a2']);
    } finally {
      await newer.close();
      server.psql("UPDATE mtcute.migrations SET version = 2 WHERE repo = 'peers'", 'fleet');
    }
  });
});
