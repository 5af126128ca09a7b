import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { toBase64Url, toHex } from '../../electron/core/bytes.js';
import { projectSession } from '../../electron/core/convert/project.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { SessionError } from '../../electron/core/errors.js';
import { readSqlite } from '../../electron/core/formats/detect.js';
import { telethonCapabilities, telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { decodeTelethonString, encodeTelethonString, telethonString } from '../../electron/core/formats/telethon-string.js';
import { telethonV2 } from '../../electron/core/formats/telethon-v2.js';
import { CHANNEL_MARK } from '../../electron/core/model/peer-id.js';
import { sameSession } from '../../electron/core/model/normalize.js';
import type { Peer, PeerKind, Session } from '../../electron/core/model/session.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { buildOldFile, oldFileKey as key } from '../helpers/telethon-old.js';

const dir = mkdtempSync(join(tmpdir(), 'telethon-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tmp = (ext = '.session') => join(dir, `f${n++}${ext}`);


function fullSession(): Session {
  const s = emptySession();
  s.homeDc = 2;
  s.dcs = [
    makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: key(1), salt: 99n, timeOffset: 3 }),
    makeDc({ id: 2, address: '2001:67c:4e8:f002::a', port: 443 }),
    makeDc({ id: 4, address: '149.154.167.91', port: 443, authKey: key(2) }),
  ];
  s.user = { id: 5_000_000_001n, isBot: false };
  s.takeoutId = -8_000_000_000_000_000_001n;
  s.updates = { pts: 100, qts: 7, date: 1_700_000_000, seq: 3, channels: new Map([[1_234_567_890n, 55]]) };
  const peer = (id: bigint, kind: PeerKind, extra: Partial<Peer> = {}): Peer => ({
    id,
    kind,
    accessHash: kind === 'chat' || kind === 'min-channel' ? 0n : -(id * 3n),
    usernames: [],
    ...extra,
  });
  s.peers = [
    peer(10n, 'user', { usernames: ['alicealice', 'second'], phone: '15550001111', name: 'Alice A', seenAt: 1_690_000_000 }),
    peer(9_000_000_000_000n, 'bot', { usernames: ['somebot'], name: 'Bot' }),
    peer(20n, 'chat', { name: 'Small group', seenAt: 1_690_000_001 }),
    peer(1_234_567_890n, 'channel', { usernames: ['newschannel'], name: 'News' }),
    peer(1_987_654_321n, 'megagroup', { name: 'Mega' }),
    peer(1_111_111_111n, 'min-channel'),
  ];
  s.minPeers = [{ userId: 10n, peerId: 20n, msgId: 4 }];
  return s;
}

/** The SessionError code a call fails with ('none' when it does not fail, 'other' for any other error). */
function errorCode(fn: () => unknown): string {
  try {
    fn();
    return 'none';
  } catch (e) {
    return e instanceof SessionError ? e.code : 'other';
  }
}

function writeTelethon(s: Session): string {
  const path = tmp();
  writeOutput(telethonSqlite, s, path);
  return path;
}

describe('Telethon SQLite (spec §2.1)', () => {
  it('round-trips everything the format holds, and nothing else', () => {
    const { session: projected, losses } = projectSession(fullSession(), telethonCapabilities, 'Telethon');
    const back = readSqlite(writeTelethon(projected));
    expect(back.format).toBe('telethon');
    expect(back.formatVersion).toBe(7);
    expect(back.warnings).toEqual([]);
    expect(sameSession(back.session, projected)).toBe(true);
    // What the projection changed is what Telethon cannot keep.
    const fields = losses.map((l) => l.field);
    expect(fields).toEqual(expect.arrayContaining(['dcs', 'isBot', 'minPeers', 'peers.min-channel', 'peers.kind', 'peers.usernames']));
    const kinds = Object.fromEntries(back.session.peers.map((p) => [p.id.toString(), p.kind]));
    expect(kinds).toEqual({ '10': 'user', '9000000000000': 'user', '20': 'chat', '1234567890': 'channel', '1987654321': 'channel' });
    expect(back.session.dcs).toHaveLength(1);
    expect(back.session.user).toEqual({ id: 5_000_000_001n });
    expect(back.session.takeoutId).toBe(-8_000_000_000_000_000_001n);
  });

  it('stores marked ids, lower-case usernames, INTEGER phones and the self row id 0', () => {
    const s = fullSession();
    s.peers[0]!.usernames = ['AliceAlice'];
    const db = new Database(writeTelethon(projectSession(s, telethonCapabilities, 't').session), { readonly: true });
    const rows = db.prepare('select id, hash, username, phone, typeof(phone) t, name from entities order by id').safeIntegers(true).all();
    db.close();
    expect(rows).toEqual([
      { id: -1_001_987_654_321n, hash: -5_962_962_963n, username: null, phone: null, t: 'null', name: 'Mega' },
      { id: -1_001_234_567_890n, hash: -3_703_703_670n, username: 'newschannel', phone: null, t: 'null', name: 'News' },
      { id: -20n, hash: 0n, username: null, phone: null, t: 'null', name: 'Small group' },
      { id: 0n, hash: 5_000_000_001n, username: null, phone: null, t: 'null', name: null },
      { id: 10n, hash: -30n, username: 'alicealice', phone: 15_550_001_111n, t: 'integer', name: 'Alice A' },
      { id: 9_000_000_000_000n, hash: -27_000_000_000_000n, username: 'somebot', phone: null, t: 'null', name: 'Bot' },
    ]);
  });

  it('a session with no DC writes the fresh row (0, NULL, NULL, empty, NULL) and reads back empty', () => {
    const path = writeTelethon(emptySession());
    const db = new Database(path, { readonly: true });
    const row = db.prepare('select dc_id, server_address, port, hex(auth_key) k, typeof(auth_key) t, takeout_id from sessions').get();
    db.close();
    expect(row).toEqual({ dc_id: 0, server_address: null, port: null, k: '', t: 'blob', takeout_id: null });
    const back = readSqlite(path);
    expect(sameSession(back.session, emptySession())).toBe(true);
  });

  it('property: random sessions round-trip after projection', () => {
    const bare = fc.bigInt({ min: 1n, max: (1n << 52n) - 1n });
    const hash = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
    const peerArb = fc.record({
      id: bare,
      kind: fc.constantFrom<PeerKind>('user', 'bot', 'chat', 'channel', 'megagroup', 'gigagroup'),
      accessHash: hash,
      usernames: fc.array(fc.stringMatching(/^[a-z][a-z0-9_]{4,15}$/), { maxLength: 2 }),
      phone: fc.option(fc.stringMatching(/^[1-9][0-9]{6,13}$/), { nil: undefined }),
      name: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      seenAt: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.option(fc.uint8Array({ minLength: 256, maxLength: 256 }), { nil: undefined }),
        fc.uniqueArray(peerArb, { selector: (p) => `${p.id % CHANNEL_MARK}`, maxLength: 8 }),
        fc.record({ pts: fc.nat(), qts: fc.nat(), date: fc.nat(), seq: fc.nat() }),
        fc.array(fc.tuple(bare, fc.nat()), { maxLength: 4 }),
        fc.option(bare, { nil: undefined }),
        (dcId, authKey, peers, st, channels, userId) => {
          const s = emptySession();
          s.homeDc = dcId;
          s.dcs = [makeDc({ id: dcId, address: `149.154.167.${dcId}`, port: 443, ...(authKey ? { authKey } : {}) })];
          // Basic chat ids stay below 10^12, where the marked forms of chats and channels meet.
          s.peers = peers.map((p) => (p.kind === 'chat' ? { ...p, id: p.id % CHANNEL_MARK || 1n, accessHash: 0n } : p));
          s.updates = { ...st, channels: new Map(channels) };
          if (userId !== undefined) s.user = { id: userId };
          const projected = projectSession(s, telethonCapabilities, 't').session;
          const back = readSqlite(writeTelethon(projected));
          expect(sameSession(back.session, projected)).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('Telethon SQLite: older schema versions', () => {
  for (const version of [1, 2, 3, 4, 5, 6]) {
    for (const withoutRowid of version <= 2 ? [false, true] : [false]) {
      it(`reads version ${version}${withoutRowid ? ' (WITHOUT ROWID)' : ''}`, () => {
        const path = tmp();
        buildOldFile(path, version, withoutRowid);
        const r = readSqlite(path);
        expect(r.format).toBe('telethon');
        expect(r.formatVersion).toBe(version);
        expect(r.warnings).toEqual([]);
        const s = r.session;
        expect(s.homeDc).toBe(4);
        expect(s.dcs).toHaveLength(1);
        expect(s.dcs[0]!.address).toBe('149.154.167.91');
        expect(toHex(s.dcs[0]!.authKey!)).toBe(toHex(key(9)));
        expect(s.takeoutId).toBe(version >= 5 ? 77n : undefined);
        const peers = [...s.peers].sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(peers).toEqual([
          { id: 555n, kind: 'chat', accessHash: 0n, usernames: [], name: 'Old Chat' },
          { id: 777n, kind: 'channel', accessHash: 4242n, usernames: ['oldchannel'], name: 'Old Channel' },
          { id: 123_456n, kind: 'user', accessHash: -42n, usernames: ['olduser'], phone: '15551234567', name: 'Old User' },
        ]);
        // The REAL date 1600000000.75 reads as whole seconds; before version 4 there is no state.
        const state = version >= 4 ? { pts: 11, qts: 12, date: 1_600_000_000, seq: 13, channels: new Map([[777n, 21]]) } : emptySession().updates;
        expect(s.updates).toEqual(state);
      });
    }
  }

  it('reports tampering: extra tables, columns, triggers and odd rows', () => {
    const path = tmp();
    buildOldFile(path, 7);
    const db = new Database(path);
    db.exec('create table stolen (x)');
    db.exec('alter table entities add column evil text');
    db.exec("create trigger t after insert on entities begin insert into stolen values ('x'); end");
    db.exec("insert into sessions values (5, '91.108.56.130', 443, x'0102', null)");
    db.exec('insert into update_state values (-1000000000777, 1, 0, 0, 0)');
    db.exec('update sessions set auth_key = x\'00\' where dc_id = 4');
    db.close();
    const r = readSqlite(path);
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('unexpected table "stolen"'),
        expect.stringContaining('entities: evil'),
        expect.stringContaining('unexpected trigger "t"'),
        expect.stringContaining('2 rows'),
        expect.stringContaining('1 bytes, not 256'),
        expect.stringContaining('negative id'),
      ]),
    );
    expect(r.session.dcs[0]!.authKey).toBeUndefined();
  });

  it('refuses unknown versions, empty version tables and wrong value types', () => {
    const cases: [string, string][] = [
      ['update version set version = 8', 'unsupported'],
      ['delete from version', 'malformed'],
      ["update entities set hash = 'abc' where id = 123456", 'malformed'],
      ["update sessions set auth_key = 'text'", 'malformed'],
    ];
    for (const [sql, code] of cases) {
      const path = tmp();
      buildOldFile(path, 7);
      const db = new Database(path);
      db.exec(sql);
      db.close();
      expect([sql, errorCode(() => readSqlite(path))]).toEqual([sql, code]);
    }
  });

  it('truncated or garbage files fail with a SessionError', () => {
    const path = writeTelethon(projectSession(fullSession(), telethonCapabilities, 't').session);
    const size = readFileSync(path).length;
    truncateSync(path, Math.floor(size / 2));
    expect(() => readSqlite(path)).toThrow(SessionError);
    const garbage = tmp();
    writeFileSync(garbage, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(500, 0xab)]));
    expect(() => readSqlite(garbage)).toThrow(SessionError);
  });
});

describe('Telethon StringSession (spec §2.2)', () => {
  const s4 = (): Session => {
    const s = emptySession();
    s.homeDc = 2;
    s.dcs = [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: key(3) })];
    return s;
  };

  it('IPv4: 353 characters, "1" + padded b64url of >B4sH256s', () => {
    const text = encodeTelethonString(s4());
    expect(text).toHaveLength(353);
    const expected = Buffer.concat([Buffer.from([2, 149, 154, 167, 51, 0x01, 0xbb]), Buffer.from(key(3))]);
    expect(text).toBe(`1${toBase64Url(expected, true)}`);
    expect(text.endsWith('=')).toBe(true);
    const back = decodeTelethonString(`  ${text}\n`);
    expect(sameSession(back.session, s4())).toBe(true);
  });

  it('IPv6: 369 characters, round trip', () => {
    const s = s4();
    s.dcs = [makeDc({ id: 2, address: '2001:67c:4e8:f002::a', port: 443, authKey: key(4) })];
    const text = telethonString.encode(s);
    expect(text).toHaveLength(369);
    const back = telethonString.decode(text);
    expect(back.session.dcs[0]!.ipv6).toBe(true);
    expect(sameSession(back.session, s)).toBe(true);
  });

  it('refuses host names, missing keys and bad DC ids with clear errors', () => {
    const s = s4();
    s.dcs[0]!.address = 'vesta.web.telegram.org';
    expect(() => encodeTelethonString(s)).toThrow(/host name/);
    const k = s4();
    delete k.dcs[0]!.authKey;
    expect(() => encodeTelethonString(k)).toThrow(SessionError);
    const d = s4();
    d.homeDc = 300;
    d.dcs[0]!.id = 300;
    expect(() => encodeTelethonString(d)).toThrow(SessionError);
  });

  it('strict decoding: lengths, padding, alphabet, trailing bits, GramJS layout', () => {
    const good = encodeTelethonString(s4());
    const bad = [
      good.slice(0, -1), // no padding
      `1${'A'.repeat(352)}`, // the right length, no padding (IPv4)
      `1${'A'.repeat(368)}`, // the right length, no padding (IPv6): once read as junk, found by the fuzzer
      good.slice(0, 200), // truncated
      `${good}AAAA`, // too long
      `2${good.slice(1)}`, // wrong version
      `1${good.slice(1, 100)}+${good.slice(101)}`, // standard alphabet
      `${good.slice(0, -2)}B=`, // non-canonical trailing bits
      '',
      'garbage',
    ];
    for (const t of bad) expect(errorCode(() => decodeTelethonString(t))).toMatch(/^(malformed|unknown-format|truncated)$/);
    // A GramJS string with a 14-character IPv4 is 275 bytes, like a Telethon IPv6 one.
    const addr = Buffer.from('149.154.167.91');
    const gram = Buffer.concat([Buffer.from([4, 0, addr.length]), addr, Buffer.from([0x01, 0xbb]), Buffer.from(key(5))]);
    expect(gram.length).toBe(275);
    // Telethon's layout fits too (it would misread the address): the reading says so, and the
    // detector reports both (test/unit/detect.test.ts).
    expect(decodeTelethonString(`1${toBase64Url(gram, true)}`).warnings).toEqual([
      expect.stringContaining('also read as a GramJS string session'),
    ]);
  });
});

describe('Telethon v2 SQLite (spec §2.3)', () => {
  function v2Session(): Session {
    const s = emptySession();
    s.homeDc = 4;
    s.dcs = [
      makeDc({ id: 4, address: '149.154.167.91', port: 443, authKey: key(6) }),
      makeDc({ id: 4, address: '2001:67c:4e8:f004::a', port: 443, authKey: key(6) }),
      makeDc({ id: 2, address: '149.154.167.51', port: 443 }),
    ];
    s.user = { id: 6_000_000_000n, isBot: true };
    s.updates = { pts: 1, qts: 2, date: 1_700_000_001, seq: 4, channels: new Map([[77n, 8]]) };
    return s;
  }

  it('writes version 10 and reads it back', () => {
    const path = tmp();
    writeOutput(telethonV2, v2Session(), path);
    const r = readSqlite(path);
    expect(r.format).toBe('telethon-v2');
    expect(r.formatVersion).toBe(10);
    expect(r.warnings).toEqual([]);
    expect(sameSession(r.session, v2Session())).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('select id, ipv4_addr, ipv6_addr from datacenter order by id').all()).toEqual([
      { id: 2, ipv4_addr: '149.154.167.51:443', ipv6_addr: null },
      { id: 4, ipv4_addr: '149.154.167.91:443', ipv6_addr: '[2001:67c:4e8:f004::a]:443' },
    ]);
    expect(db.prepare('select id, dc, bot from user').safeIntegers(true).get()).toEqual({ id: 6_000_000_000n, dc: 4n, bot: 1n });
    db.close();
  });

  it('reads the early alpha layout (datacenter.addr, user without username)', () => {
    const path = tmp();
    const db = new Database(path);
    db.exec(`create table version (version integer primary key);
      create table datacenter(id integer primary key, addr text not null, auth blob);
      create table user(id integer primary key, dc integer not null, bot integer not null);
      create table state(pts integer not null, qts integer not null, date integer not null, seq integer not null);
      create table channelstate(id integer primary key, pts integer not null);
      insert into version values (10);
      insert into user values (42, 2, 0);
      insert into state values (5, 6, 7, 8);`);
    db.prepare('insert into datacenter values (?, ?, ?)').run(2, '149.154.167.51:443', Buffer.from(key(8)));
    db.close();
    const r = readSqlite(path);
    expect(r.session.homeDc).toBe(2);
    expect(r.session.user).toEqual({ id: 42n, isBot: false });
    expect(r.session.dcs.map((d) => [d.id, d.address, d.port, toHex(d.authKey!)])).toEqual([[2, '149.154.167.51', 443, toHex(key(8))]]);
    expect(r.session.updates).toEqual({ pts: 5, qts: 6, date: 7, seq: 8, channels: new Map() });
  });

  it('refuses to write a keyed session without the user id or bot flag', () => {
    const s = v2Session();
    delete s.user;
    expect(() => writeOutput(telethonV2, s, tmp())).toThrow(/user id/);
    const b = v2Session();
    b.user = { id: 1n };
    expect(() => writeOutput(telethonV2, b, tmp())).toThrow(/bot/);
  });
});
