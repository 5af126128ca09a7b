import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionBackend } from '../../electron/core/backends/backend.js';
import { BinaryFileBackend } from '../../electron/core/backends/binary-file.js';
import { LibSqlBackend } from '../../electron/core/backends/libsql.js';
import { InMemoryBackend } from '../../electron/core/backends/memory.js';
import { SqliteBackend } from '../../electron/core/backends/sqlite.js';
import { StringSessionBackend } from '../../electron/core/backends/string-session.js';
import { SessionError } from '../../electron/core/errors.js';
import { decodeNativeString } from '../../electron/core/formats/ferogram-strings.js';
import { decodeTelethonString, encodeTelethonString } from '../../electron/core/formats/telethon-string.js';
import { ferogramSqlite } from '../../electron/core/formats/ferogram-sqlite.js';
import { sameSession } from '../../electron/core/model/normalize.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { openDatabase, openReadOnly, readSchema } from '../../electron/core/sqlite/open.js';
import { asyncCodeOf } from '../helpers/errors.js';
import { fullSession, peer } from '../helpers/ferogram-sessions.js';
import { testKey } from '../helpers/le-bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'deck-backends-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (ext: string) => join(dir, `s${++n}${ext}`);

const closers: (() => void)[] = [];
afterAll(() => closers.forEach((c) => c()));

const factories: [string, () => SessionBackend][] = [
  ['in-memory', () => new InMemoryBackend()],
  ['string-session', () => new StringSessionBackend()],
  ['binary-file', () => new BinaryFileBackend(fresh('.session'))],
  ['sqlite (file)', () => track(new SqliteBackend(fresh('.sqlite')))],
  ['sqlite (:memory:)', () => track(new SqliteBackend(':memory:'))],
  ['libsql (file)', () => track(new LibSqlBackend({ url: fresh('.db') }))],
  ['libsql (:memory:)', () => track(new LibSqlBackend({ url: ':memory:' }))],
];

function track<T extends { close(): void }>(b: T): T {
  closers.push(() => b.close());
  return b;
}


describe.each(factories)('%s backend', (_label, make) => {
  it('loads nothing before a save, the same session after, nothing after delete', async () => {
    const b = make();
    expect(await b.load()).toBeUndefined();
    const s = fullSession();
    await b.save(s);
    expect(sameSession((await b.load())!, s)).toBe(true);
    await b.save(s); // a second save replaces, never duplicates
    expect(sameSession((await b.load())!, s)).toBe(true);
    await b.delete();
    expect(await b.load()).toBeUndefined();
  });

  it('the default session round-trips (no DCs, no peers)', async () => {
    const b = make();
    await b.save(emptySession());
    expect(sameSession((await b.load())!, emptySession())).toBe(true);
  });

  it('granular ops: updateDc, setHomeDc, applyUpdateState, cachePeer', async () => {
    const b = make();
    await b.save(fullSession());
    const v4 = makeDc({ id: 2, address: '9.9.9.9', port: 80, authKey: testKey(9), salt: 5n, timeOffset: -1 });
    await b.updateDc(v4); // replaces the IPv4 DC 2 entry
    await b.updateDc(makeDc({ id: 5, address: '91.108.56.130', port: 443 })); // new
    await b.setHomeDc(5);
    await b.applyUpdateState({ kind: 'primary', pts: 7, date: 8, seq: 9 });
    await b.applyUpdateState({ kind: 'secondary', qts: 99 });
    await b.applyUpdateState({ kind: 'channel', id: 1_000_000_001n, pts: 56 });
    await b.applyUpdateState({ kind: 'channel', id: 77n, pts: 1 });
    await b.cachePeer(peer(3n, 'megagroup', 4444n)); // replaces channel 3
    await b.cachePeer(peer(500n, 'chat', 0n)); // new

    const s = (await b.load())!;
    expect(s.homeDc).toBe(5);
    const dc2v4 = s.dcs.filter((d) => d.id === 2 && !d.ipv6);
    expect(dc2v4).toHaveLength(1);
    expect([dc2v4[0]!.address, dc2v4[0]!.port, dc2v4[0]!.salt]).toEqual(['9.9.9.9', 80, 5n]);
    expect(s.dcs.filter((d) => d.id === 2 && d.ipv6)).toHaveLength(1);
    expect(s.dcs.map((d) => d.id).sort()).toEqual([2, 2, 4, 5]);
    expect([s.updates.pts, s.updates.qts, s.updates.date, s.updates.seq]).toEqual([7, 99, 8, 9]);
    expect(s.updates.channels.get(1_000_000_001n)).toBe(56);
    expect(s.updates.channels.get(77n)).toBe(1);
    expect(s.updates.channels.size).toBe(3);
    expect(s.peers.find((p) => p.id === 3n)).toMatchObject({ kind: 'megagroup', accessHash: 4444n });
    expect(s.peers.find((p) => p.id === 500n)?.kind).toBe('chat');
    expect(s.peers).toHaveLength(8);

    await b.applyUpdateState({ kind: 'all', state: { pts: 1, qts: 2, date: 3, seq: 4, channels: new Map([[9n, 9]]) } });
    const after = (await b.load())!;
    expect([after.updates.pts, after.updates.qts, after.updates.date, after.updates.seq]).toEqual([1, 2, 3, 4]);
    expect([...after.updates.channels]).toEqual([[9n, 9]]);
  });

  it('setHomeDc on an empty backend creates a session', async () => {
    const b = make();
    await b.setHomeDc(4);
    expect((await b.load())?.homeDc).toBe(4);
  });
});

describe('in-memory backend', () => {
  it('stores decoded keys in buffers of their own, never the shared slab they were decoded into', async () => {
    const sessions = [1, 2, 3].map((i) => {
      const s = emptySession();
      s.homeDc = 2;
      s.dcs = [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: testKey(i) })];
      return decodeTelethonString(encodeTelethonString(s)).session;
    });
    const key = sessions[1]!.dcs[0]!.authKey!;
    // The decoder's key is a view on a larger buffer (the slab holds its neighbours).
    expect(key.buffer.byteLength).toBeGreaterThan(256);
    const b = new InMemoryBackend(sessions[1]);
    const loaded = (await b.load())!.dcs[0]!.authKey!;
    expect(loaded.buffer.byteLength).toBe(256);
    expect(Buffer.from(loaded).equals(Buffer.from(key))).toBe(true);
    // And a copy: changing the caller's bytes changes nothing stored.
    key[0] = key[0]! ^ 0xff;
    expect((await b.load())!.dcs[0]!.authKey![0]).toBe(key[0]! ^ 0xff);
  });
});

describe('string-session backend', () => {
  it('exposes the native string after save', async () => {
    const b = new StringSessionBackend();
    expect(b.value).toBe('');
    await b.save(fullSession());
    expect(b.value.startsWith('CA')).toBe(true);
    expect(sameSession(decodeNativeString(b.value).session, fullSession())).toBe(true);
    expect(sameSession((await new StringSessionBackend(` ${b.value}\n`).load())!, fullSession())).toBe(true);
  });
});

describe('binary-file backend', () => {
  it('a corrupt file is reported with a SessionError and left untouched byte for byte', async () => {
    const sub = mkdtempSync(join(dir, 'corrupt-'));
    const path = join(sub, 'bad.session');
    const junk = new Uint8Array([8, 1, 0, 0, 0, 3, 0xde, 0xad]);
    writeFileSync(path, junk);
    const b = new BinaryFileBackend(path);
    const e = await b.load().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SessionError);
    expect((e as SessionError).code).toBe('truncated');
    expect((e as SessionError).message).toContain('bad.session');
    // A read-modify-write must fail the same way instead of overwriting the file.
    expect(await asyncCodeOf(b.setHomeDc(2))).toBe('truncated');
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(junk))).toBe(true);
    expect(readdirSync(sub)).toEqual(['bad.session']);
  });

  it('leaves no temp or lock files behind', async () => {
    const sub = mkdtempSync(join(dir, 'clean-'));
    const b = new BinaryFileBackend(join(sub, 'a.session'));
    await b.save(fullSession());
    await b.cachePeer(peer(1n, 'user', 2n));
    expect(readdirSync(sub)).toEqual(['a.session']);
  });

  it('breaks a stale lock (dead pid) and waits, bounded, on a live one', async () => {
    const path = fresh('.session');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(`${path}.lock`, String(dead));
    const b = new BinaryFileBackend(path, { timeoutMs: 2000 });
    await b.save(emptySession());
    expect(readdirSync(dir)).not.toContain(`s${n}.session.lock`);

    writeFileSync(`${path}.lock`, String(process.pid));
    const held = new BinaryFileBackend(path, { timeoutMs: 200 });
    expect(await asyncCodeOf(held.setHomeDc(3))).toBe('locked');
    rmSync(`${path}.lock`);
    expect((await held.load())?.homeDc).toBe(0);
  });
});

const OLD_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL DEFAULT 0);
CREATE TABLE dcs (dc_id INTEGER NOT NULL, flags INTEGER NOT NULL DEFAULT 0, addr TEXT NOT NULL, auth_key BLOB,
  first_salt INTEGER NOT NULL DEFAULT 0, time_offset INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (dc_id, flags));
CREATE TABLE update_state (id INTEGER PRIMARY KEY CHECK (id = 1), pts INTEGER NOT NULL DEFAULT 0,
  qts INTEGER NOT NULL DEFAULT 0, date INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0);
CREATE TABLE channel_pts (channel_id INTEGER PRIMARY KEY, pts INTEGER NOT NULL);
CREATE TABLE peers (id INTEGER PRIMARY KEY, access_hash INTEGER NOT NULL, is_channel INTEGER NOT NULL DEFAULT 0);
INSERT INTO meta VALUES ('home_dc_id', 4);
INSERT INTO dcs VALUES (4, 0, '149.154.167.91:443', NULL, -77, -12);
INSERT INTO dcs VALUES (4, 1, '[2001:67c:4e8:f004::a]:443', X'0102', 0, 0);
INSERT INTO update_state VALUES (1, 500, 6, 1700000000, 3);
INSERT INTO channel_pts VALUES (1234, 55);
INSERT INTO peers VALUES (10, 1010, 0), (20, 2020, 1), (30, 0, 1), (9223372036854775807, -9223372036854775808, 0);`;

function oldFile(): string {
  const path = fresh('.sqlite');
  const db = new Database(path);
  db.exec(OLD_SCHEMA);
  db.close();
  return path;
}

function checkOldContent(s: ReturnType<typeof emptySession>): void {
  expect(s.homeDc).toBe(4);
  expect(s.dcs.map((d) => [d.id, d.address, d.ipv6, d.salt, d.timeOffset, d.authKey])).toEqual([
    [4, '149.154.167.91', false, -77n, -12, undefined],
    [4, '2001:67c:4e8:f004::a', true, 0n, 0, undefined], // a 2-byte key reads as no key
  ]);
  expect([s.updates.pts, s.updates.qts, s.updates.date, s.updates.seq]).toEqual([500, 6, 1_700_000_000, 3]);
  expect([...s.updates.channels]).toEqual([[1234n, 55]]);
  expect(s.peers.map((p) => [p.id, p.kind, p.accessHash])).toEqual([
    [10n, 'user', 1010n],
    [20n, 'channel', 2020n],
    [30n, 'min-channel', 0n],
    [9_223_372_036_854_775_807n, 'user', -9_223_372_036_854_775_808n],
  ]);
}

describe('sqlite backend specifics', () => {
  it('migrates an old schema on open (adds is_chat, channel_kind, is_community, min_peers) and keeps the data', async () => {
    const path = oldFile();
    const b = track(new SqliteBackend(path));
    checkOldContent((await b.load())!);
    const db = openReadOnly(path);
    const schema = readSchema(db);
    db.close();
    expect(schema.tables.get('peers')).toEqual(['id', 'access_hash', 'is_channel', 'is_chat', 'channel_kind', 'is_community']);
    expect(schema.tables.get('min_peers')).toEqual(['user_id', 'peer_id', 'msg_id']);
    await b.save(fullSession());
    // The old file's qts (6) is above the new session's (-1): a full save keeps MAX(old, new).
    expect(sameSession((await b.load())!, { ...fullSession(), updates: { ...fullSession().updates, qts: 6 } })).toBe(true);
  });

  it('uses ferogram pragmas: WAL journal', () => {
    const path = fresh('.sqlite');
    track(new SqliteBackend(path));
    const db = openReadOnly(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('a full save never moves pts/qts back (MAX), but replaces date/seq; granular ops do replace', async () => {
    const b = track(new SqliteBackend(':memory:'));
    const s = fullSession();
    s.updates.pts = 100;
    s.updates.qts = 50;
    await b.save(s);
    s.updates.pts = 10;
    s.updates.qts = 5;
    s.updates.date = 1;
    s.updates.seq = 2;
    await b.save(s);
    let u = (await b.load())!.updates;
    expect([u.pts, u.qts, u.date, u.seq]).toEqual([100, 50, 1, 2]);
    await b.applyUpdateState({ kind: 'primary', pts: 3, date: 4, seq: 5 });
    u = (await b.load())!.updates;
    expect([u.pts, u.qts]).toEqual([3, 50]);
  });

  it('updateDc matches on (dc_id, flags) in SQL', async () => {
    const b = track(new SqliteBackend(':memory:'));
    await b.save(emptySession());
    await b.updateDc(makeDc({ id: 1, address: '1.1.1.1', port: 443 }));
    await b.updateDc(makeDc({ id: 1, address: '1.1.1.1', port: 443, mediaOnly: true }));
    await b.updateDc(makeDc({ id: 1, address: '2.2.2.2', port: 443 }));
    const dcs = (await b.load())!.dcs;
    expect(dcs.map((d) => [d.address, d.mediaOnly]).sort()).toEqual([['1.1.1.1', true], ['2.2.2.2', false]]);
  });
});

describe('libsql backend specifics', () => {
  it('migrates the same old schema on a local file', async () => {
    const b = track(new LibSqlBackend({ url: oldFile() }));
    checkOldContent((await b.load())!);
    await b.save(fullSession());
    // The old file's qts (6) is above the new session's (-1): a full save keeps MAX(old, new).
    expect(sameSession((await b.load())!, { ...fullSession(), updates: { ...fullSession().updates, qts: 6 } })).toBe(true);
  });

  it('shares the file layout with the sqlite backend', async () => {
    const path = fresh('.sqlite');
    const a = track(new LibSqlBackend({ url: path }));
    await a.save(fullSession());
    a.close();
    expect(sameSession((await track(new SqliteBackend(path)).load())!, fullSession())).toBe(true);
  });
});

describe('ferogram-sqlite format', () => {
  it('matches and reads an old schema read-only, without migrating', () => {
    const path = oldFile();
    const before = readFileSync(path);
    const db = openReadOnly(path);
    const schema = readSchema(db);
    expect(ferogramSqlite.matches(schema)).toBe(true);
    const r = ferogramSqlite.read(db, schema);
    db.close();
    checkOldContent(r.session);
    expect(r.formatVersion).toBe('older schema');
    expect(r.warnings).toEqual([]);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('writes an empty db with the exact schema, reads it back, flags extra tables', () => {
    const path = fresh('.sqlite');
    const db = openDatabase(path);
    ferogramSqlite.write(db, fullSession());
    const schema = readSchema(db);
    expect([...schema.tables.keys()].sort()).toEqual(['channel_pts', 'dcs', 'meta', 'min_peers', 'peers', 'update_state']);
    expect(schema.tables.get('dcs')).toEqual(['dc_id', 'flags', 'addr', 'auth_key', 'first_salt', 'time_offset']);
    expect(schema.tables.get('update_state')).toEqual(['id', 'pts', 'qts', 'date', 'seq']);
    expect(ferogramSqlite.matches(schema)).toBe(true);
    const r = ferogramSqlite.read(db, schema);
    expect(sameSession(r.session, fullSession())).toBe(true);
    expect(r.formatVersion).toBe('current schema');
    db.exec('CREATE TABLE evil (x); CREATE TRIGGER t AFTER INSERT ON meta BEGIN SELECT 1; END;');
    const odd = ferogramSqlite.read(db, readSchema(db)).warnings;
    expect(odd).toEqual(['unexpected table "evil" (ferogram does not create it)', 'unexpected trigger "t" (ferogram does not create it)']);
    db.close();
  });

  it('does not match other libraries (a Telethon-shaped file)', () => {
    const db = new Database(':memory:');
    db.exec('create table sessions (dc_id integer primary key, server_address text, port integer, auth_key blob, takeout_id integer); create table version (version integer primary key)');
    expect(ferogramSqlite.matches(readSchema(db))).toBe(false);
    db.close();
  });

  it('an empty meta table is "no session"', () => {
    const db = new Database(':memory:');
    ferogramSqlite.write(db, emptySession());
    db.exec('DELETE FROM meta');
    expect(() => ferogramSqlite.read(db, readSchema(db))).toThrow(SessionError);
    db.close();
  });
});
