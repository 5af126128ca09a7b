import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SessionError } from '../../electron/core/errors.js';
import { formatById } from '../../electron/core/formats/registry.js';
import { kurigramSqlite, pyroforkSqlite, pyrogramSqlite } from '../../electron/core/formats/pyrogram-sqlite.js';
import { decodePyrogramString, encodePyrogramString, pyrogramString } from '../../electron/core/formats/pyrogram-string.js';
import type { SqliteFormat } from '../../electron/core/formats/types.js';
import { normalizeSession } from '../../electron/core/model/normalize.js';
import type { Peer, Session } from '../../electron/core/model/session.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { openDatabase, openReadOnly, readSchema } from '../../electron/core/sqlite/open.js';

const FLAVOURS: SqliteFormat[] = [pyrogramSqlite, kurigramSqlite, pyroforkSqlite];
const KEY = new Uint8Array(randomBytes(256));
const CH = 1_000_000_000_000n;

function session(over: Partial<Session> = {}): Session {
  const s = emptySession();
  s.homeDc = 2;
  s.dcs = [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: KEY })];
  s.user = { id: 7_000_000_123n, isBot: false };
  s.testMode = false;
  s.apiId = 123456;
  return Object.assign(s, over);
}

const peer = (id: bigint, kind: Peer['kind'], extra: Partial<Peer> = {}): Peer => ({
  id,
  kind,
  accessHash: kind === 'chat' ? 0n : -5_000_000_000_000_000_001n + id,
  usernames: [],
  seenAt: 1_700_000_000,
  ...extra,
});

function memory(): Database.Database {
  return new Database(':memory:');
}

/** Which of the three formats claim a database: exactly one must. */
function claimants(db: Database.Database): string[] {
  const schema = readSchema(db);
  return FLAVOURS.filter((f) => f.matches(schema)).map((f) => f.id);
}

function thrown(fn: () => unknown): SessionError | undefined {
  try {
    fn();
  } catch (e) {
    return e as SessionError;
  }
  return undefined;
}

function readWith(f: SqliteFormat, db: Database.Database) {
  return f.read(db, readSchema(db));
}

// ---------------------------------------------------------------------------------------
// Python's struct module packs the layouts from Pyrogram's own format strings: an oracle
// for the byte layout that does not share code with ours.
function pyPack(fmt: string, args: string): string {
  const code = `import struct,base64,sys\nprint(base64.urlsafe_b64encode(struct.pack(${JSON.stringify(fmt)}, ${args})).decode().rstrip("="))`;
  const r = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}
function pyUnpack(fmt: string, text: string): string {
  const code = `import struct,base64\ns=${JSON.stringify(text)}\nv=struct.unpack(${JSON.stringify(fmt)}, base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))\nprint(repr([x.hex() if isinstance(x, bytes) else x for x in v]))`;
  const r = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}
const keyHex = Buffer.from(KEY).toString('hex');
const pyKey = `bytes.fromhex("${keyHex}")`;

describe('Pyrogram session strings (spec §3.4)', () => {
  it('reads the three layouts as Python struct packs them', () => {
    const old = decodePyrogramString(pyPack('>B?256sI?', `4, False, ${pyKey}, 4000000000, True`));
    expect(old.formatVersion).toBe('old');
    expect(old.session.user).toEqual({ id: 4_000_000_000n, isBot: true });
    expect(old.session.homeDc).toBe(4);
    expect(old.session.dcs[0]).toMatchObject({ address: '149.154.167.91', port: 443 });
    expect(old.session.apiId).toBeUndefined();

    const old64 = decodePyrogramString(pyPack('>B?256sQ?', `2, True, ${pyKey}, 9007199254740993, False`));
    expect(old64.formatVersion).toBe('old-64');
    expect(old64.session.user).toEqual({ id: 9_007_199_254_740_993n, isBot: false });
    expect(old64.session.testMode).toBe(true);
    expect(old64.session.dcs[0]).toMatchObject({ address: '149.154.167.40', port: 80 });

    const text = pyPack('>BI?256sQ?', `203, 4294967295, False, ${pyKey}, 6000000001, False`);
    expect(text).toHaveLength(362);
    const cur = decodePyrogramString(text);
    expect(cur.formatVersion).toBe('current');
    expect(cur.session.apiId).toBe(4294967295);
    expect(cur.session.homeDc).toBe(203);
    expect(cur.session.dcs[0]).toMatchObject({ address: '91.105.192.100', port: 443 });
    expect(Buffer.from(cur.session.dcs[0]!.authKey!).toString('hex')).toBe(keyHex);
  });

  it('writes what Python struct unpacks with Pyrogram formats', () => {
    const s = session({ user: { id: 5_000_000_007n, isBot: true }, apiId: 2040 });
    const cur = encodePyrogramString(s);
    expect(cur).toHaveLength(362);
    expect(pyUnpack('>BI?256sQ?', cur)).toBe(`[2, 2040, False, '${keyHex}', 5000000007, True]`);
    const legacy = encodePyrogramString(s, { legacy: true });
    expect(legacy).toHaveLength(356);
    expect(pyUnpack('>B?256sQ?', legacy)).toBe(`[2, False, '${keyHex}', 5000000007, True]`);
    expect(normalizeSession(pyrogramString.decode(cur).session)).toEqual(normalizeSession(s));
  });

  it('is strict: lengths, booleans and DC ids', () => {
    const bytes = Buffer.from(encodePyrogramString(session()), 'base64url');
    const bad = (mutate: (b: Buffer) => void): string => {
      const c = Buffer.from(bytes);
      mutate(c);
      return c.toString('base64url');
    };
    expect(() => decodePyrogramString(bad((b) => (b[5] = 2)))).toThrow(/test_mode byte is 2/);
    expect(() => decodePyrogramString(bad((b) => (b[270] = 7)))).toThrow(/is_bot byte is 7/);
    expect(() => decodePyrogramString(bad((b) => (b[0] = 6)))).toThrow(/DC 6/);
    // test mode on DC 4: Pyrogram has no such test DC
    expect(() => decodePyrogramString(bad((b) => ((b[0] = 4), (b[5] = 1))))).toThrow(/test DC 4/);
    expect(() => decodePyrogramString('1' + 'A'.repeat(352))).toThrow(SessionError);
    expect(() => decodePyrogramString('A'.repeat(361))).toThrow(/351, 356 or 362/);
    expect(() => decodePyrogramString('+'.repeat(362))).toThrow(/base64url/);
  });

  it('infers test mode from a Pyrogram test address only when the model does not say', () => {
    const s = session({ testMode: undefined });
    s.dcs = [makeDc({ id: 2, address: '149.154.167.40', port: 80, authKey: KEY })];
    expect(Buffer.from(encodePyrogramString(s), 'base64url')[5]).toBe(1);
    s.testMode = false;
    expect(Buffer.from(encodePyrogramString(s), 'base64url')[5]).toBe(0);
  });

  it('refuses to write without user id, is_bot or (current layout) api_id', () => {
    const noUser = session({ user: undefined });
    expect(() => encodePyrogramString(noUser)).toThrow(/--user-id/);
    const noBot = session({ user: { id: 1n } });
    expect(() => encodePyrogramString(noBot)).toThrow(/--bot/);
    const noApi = session({ apiId: undefined });
    expect(() => encodePyrogramString(noApi)).toThrow(/--api-id/);
    expect(encodePyrogramString(noApi, { legacy: true })).toHaveLength(356);
    expect(thrown(() => encodePyrogramString(noUser))?.code).toBe('missing-field');
  });
});

// ---------------------------------------------------------------------------------------
describe('Pyrogram SQLite flavours: writing and reading back', () => {
  const full = (): Session => {
    const s = session();
    s.peers = [
      peer(11n, 'user', { usernames: ['alice'], phone: '15550001' }),
      peer(12n, 'bot', { usernames: ['some_bot'] }),
      peer(13n, 'chat'),
      peer(14n, 'channel', { usernames: ['news', 'news_alt'] }),
      peer(15n, 'megagroup'),
    ];
    s.updates = { pts: 10, qts: 2, date: 1_700_000_100, seq: 4, channels: new Map([[14n, 77], [15n, 88]]) };
    return s;
  };

  for (const f of FLAVOURS) {
    it(`${f.id}: round trip, and the file is claimed by ${f.id} only`, () => {
      const db = memory();
      const s = full();
      f.write(db, s);
      expect(claimants(db)).toEqual([f.id]);
      const r = readWith(f, db);
      expect(r.warnings).toEqual([]);
      expect(r.format).toBe(f.id);
      const expected = full();
      if (f.id === 'pyrogram') {
        // upstream keeps one username per peer and no update state
        expected.updates = emptySession().updates;
        for (const p of expected.peers) p.usernames = p.usernames.slice(0, 1);
      }
      expect(normalizeSession(r.session)).toEqual(normalizeSession(expected));
    });
  }

  it('each flavour writes its library schema: tables, columns in order, version row', () => {
    const cols = (db: Database.Database, t: string) =>
      (db.prepare('SELECT name FROM pragma_table_info(?)').all(t) as { name: string }[]).map((c) => c.name);
    const names = (db: Database.Database, type: string) =>
      (db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').all(type) as { name: string }[]).map((r) => r.name);
    const version = (db: Database.Database) => (db.prepare('SELECT number FROM version').get() as { number: number }).number;

    const up = memory();
    pyrogramSqlite.write(up, session());
    expect(names(up, 'table')).toEqual(['peers', 'sessions', 'version']);
    expect(cols(up, 'sessions')).toEqual(['dc_id', 'api_id', 'test_mode', 'auth_key', 'date', 'user_id', 'is_bot']);
    expect(cols(up, 'peers')).toEqual(['id', 'access_hash', 'type', 'username', 'phone_number', 'last_update_on']);
    expect(names(up, 'index')).toEqual(['idx_peers_id', 'idx_peers_phone_number', 'idx_peers_username']);
    expect(names(up, 'trigger')).toEqual(['trg_peers_last_update_on']);
    expect(version(up)).toBe(3);

    const ku = memory();
    kurigramSqlite.write(ku, session());
    expect(names(ku, 'table')).toEqual(['peers', 'sessions', 'update_state', 'usernames', 'version']);
    expect(cols(ku, 'sessions')).toEqual([
      'dc_id', 'server_address', 'port', 'api_id', 'test_mode', 'auth_key', 'date', 'user_id', 'is_bot',
    ]);
    expect(cols(ku, 'peers')).toEqual(['id', 'access_hash', 'type', 'phone_number', 'last_update_on']);
    expect(cols(ku, 'usernames')).toEqual(['id', 'username']);
    expect(names(ku, 'index')).toEqual(['idx_peers_id', 'idx_peers_phone_number', 'idx_usernames_id', 'idx_usernames_username']);
    expect(version(ku)).toBe(7);
    expect(ku.prepare('SELECT server_address, port FROM sessions').get()).toEqual({ server_address: '149.154.167.51', port: 443 });

    const pf = memory();
    pyroforkSqlite.write(pf, session());
    expect(names(pf, 'table')).toEqual(['peers', 'sessions', 'update_state', 'usernames', 'version']);
    expect(cols(pf, 'usernames')).toEqual(['id', 'peer_id', 'last_update_on']);
    expect(names(pf, 'trigger')).toEqual(['trg_peers_last_update_on', 'trg_usernames_last_update_on']);
    expect(version(pf)).toBe(4);
  });

  it('stores marked ids (spec §7), test mode, user, bot flag and api_id as Pyrogram reads them', () => {
    const db = memory();
    const s = session({ testMode: true, homeDc: 3, user: { id: 42n, isBot: true } });
    s.dcs = [makeDc({ id: 3, address: '149.154.175.117', port: 80, authKey: KEY })];
    s.peers = [peer(13n, 'chat'), peer(14n, 'channel'), peer(99n, 'gigagroup'), peer(98n, 'min-channel')];
    s.updates.channels.set(14n, 5);
    kurigramSqlite.write(db, s);
    expect(db.prepare('SELECT dc_id, api_id, test_mode, user_id, is_bot, length(auth_key) AS k FROM sessions').get()).toEqual({
      dc_id: 3, api_id: 123456, test_mode: 1, user_id: 42, is_bot: 1, k: 256,
    });
    const rows = db.prepare('SELECT id, type FROM peers ORDER BY id').safeIntegers(true).all();
    expect(rows).toEqual([
      { id: -(CH + 99n), type: 'supergroup' },
      { id: -(CH + 14n), type: 'channel' },
      { id: -13n, type: 'group' },
    ]);
    const states = db.prepare('SELECT id, pts FROM update_state ORDER BY id').safeIntegers(true).all();
    expect(states).toEqual([{ id: -(CH + 14n), pts: 5n }, { id: 0n, pts: 0n }]);
  });

  it('refuses to write without the user id, and writes nothing', () => {
    for (const f of FLAVOURS) {
      const db = memory();
      const err = thrown(() => f.write(db, session({ user: undefined })));
      expect(err?.code).toBe('missing-field');
      expect(err?.message).toMatch(/--user-id/);
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master").get()).toEqual({ n: 0 });
    }
    expect(() => pyrogramSqlite.write(memory(), session({ apiId: undefined }))).toThrow(/--api-id/);
    expect(() => pyrogramSqlite.write(memory(), session({ user: { id: 5n } }))).toThrow(/--bot/);
    const keyless = session();
    keyless.dcs = [makeDc({ id: 2, address: '149.154.167.51', port: 443 })];
    expect(() => pyrogramSqlite.write(memory(), keyless)).toThrow(/auth key/);
  });
});

// ---------------------------------------------------------------------------------------
// Older schemas, built here from the libraries' own migration steps (spec §3.1–3.3).
const UPSTREAM_V2 = `
CREATE TABLE sessions (dc_id INTEGER PRIMARY KEY, test_mode INTEGER, auth_key BLOB, date INTEGER NOT NULL, user_id INTEGER, is_bot INTEGER);
CREATE TABLE peers (id INTEGER PRIMARY KEY, access_hash INTEGER, type INTEGER NOT NULL, username TEXT, phone_number TEXT,
  last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)));
CREATE TABLE version (number INTEGER PRIMARY KEY);
CREATE INDEX idx_peers_id ON peers (id);
CREATE INDEX idx_peers_username ON peers (username);
CREATE INDEX idx_peers_phone_number ON peers (phone_number);
CREATE TRIGGER trg_peers_last_update_on AFTER UPDATE ON peers
BEGIN UPDATE peers SET last_update_on = CAST(STRFTIME('%s', 'now') AS INTEGER) WHERE id = NEW.id; END;
INSERT INTO version VALUES (2);`;
const KURI_USERNAMES = `CREATE TABLE usernames (id INTEGER, username TEXT, FOREIGN KEY (id) REFERENCES peers(id));
CREATE INDEX idx_usernames_username ON usernames (username);`;
const UPDATE_STATE = `CREATE TABLE update_state (id INTEGER PRIMARY KEY, pts INTEGER, qts INTEGER, date INTEGER, seq INTEGER);`;
const PYROFORK_USERNAMES = `CREATE TABLE IF NOT EXISTS usernames (id TEXT PRIMARY KEY, peer_id INTEGER NOT NULL,
  last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER)));
CREATE TRIGGER IF NOT EXISTS trg_usernames_last_update_on AFTER UPDATE ON usernames
BEGIN UPDATE usernames SET last_update_on = CAST(STRFTIME('%s', 'now') AS INTEGER) WHERE id = NEW.id; END;`;

function build(sql: string[], version: number, sessionRow: Record<string, unknown>): Database.Database {
  const db = memory();
  db.exec(UPSTREAM_V2);
  for (const step of sql) db.exec(step);
  db.prepare('UPDATE version SET number = ?').run(version);
  const cols = Object.keys(sessionRow);
  db.prepare(`INSERT INTO sessions (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...Object.values(sessionRow));
  return db;
}
const ROW = { dc_id: 4, test_mode: 0, auth_key: Buffer.from(KEY), date: 1_690_000_000, user_id: 777, is_bot: 0 };
const ADD_API_ID = 'ALTER TABLE sessions ADD api_id INTEGER;';
const ADD_ADDRESS = 'ALTER TABLE sessions ADD server_address TEXT; ALTER TABLE sessions ADD port INTEGER;';

describe('Pyrogram SQLite: older versions and flavour detection by columns', () => {
  it('upstream v2 (no api_id) reads with the DC address from Pyrogram\'s table', () => {
    const db = build([], 2, ROW);
    db.prepare("INSERT INTO peers (id, access_hash, type, username, phone_number) VALUES (?, ?, 'user', 'bob', '1555')").run(5, 9);
    expect(claimants(db)).toEqual(['pyrogram']);
    const r = readWith(pyrogramSqlite, db);
    expect(r.formatVersion).toBe(2);
    expect(r.session.apiId).toBeUndefined();
    expect(r.session.user).toEqual({ id: 777n, isBot: false });
    expect(r.session.dcs[0]).toMatchObject({ id: 4, address: '149.154.167.91', port: 443 });
    expect(r.inferences).toEqual([expect.stringContaining('149.154.167.91:443')]);
    expect(r.session.peers[0]).toMatchObject({ id: 5n, kind: 'user', accessHash: 9n, usernames: ['bob'], phone: '1555' });
  });

  it('a migrated upstream v3 file has api_id as the LAST column and still reads by name', () => {
    const db = build([ADD_API_ID], 3, { ...ROW, api_id: 31337 });
    const cols = (db.prepare("SELECT name FROM pragma_table_info('sessions')").all() as { name: string }[]).map((c) => c.name);
    expect(cols.at(-1)).toBe('api_id');
    const r = readWith(pyrogramSqlite, db);
    expect(r.session.apiId).toBe(31337);
    expect(r.session.user).toEqual({ id: 777n, isBot: false });
    expect(r.session.testMode).toBe(false);
    expect(r.warnings).toEqual([]);
  });

  it('Kurigram v4, v5, v6 and a migrated v7 are Kurigram; v7 keeps its stored address', () => {
    const v4 = [ADD_API_ID, KURI_USERNAMES];
    const v5 = [...v4, UPDATE_STATE];
    const v6 = [...v5, 'CREATE INDEX idx_usernames_id ON usernames (id);'];
    const v7 = [...v6, ADD_ADDRESS];
    for (const [steps, version] of [[v4, 4], [v5, 5], [v6, 6]] as const) {
      const db = build([...steps], version, { ...ROW, api_id: 1 });
      expect(claimants(db)).toEqual(['kurigram']);
      const r = readWith(kurigramSqlite, db);
      expect(r.formatVersion).toBe(version);
      expect(r.warnings).toEqual([]);
      expect(r.session.dcs[0]).toMatchObject({ address: '149.154.167.91', port: 443 });
    }
    const db = build(v7, 7, { ...ROW, api_id: 1, server_address: '10.0.0.1', port: 8443 });
    db.prepare("INSERT INTO peers (id, access_hash, type) VALUES (?, ?, 'forum')").run(-(CH + 50n), 3);
    db.prepare('INSERT INTO usernames (id, username) VALUES (?, ?), (?, ?)').run(-(CH + 50n), 'a', -(CH + 50n), 'b');
    db.prepare('INSERT INTO update_state (id, pts, qts, date, seq) VALUES (0, 1, 2, 3, 4), (?, 9, NULL, NULL, NULL)').run(-(CH + 50n));
    expect(claimants(db)).toEqual(['kurigram']);
    const r = readWith(kurigramSqlite, db);
    expect(r.session.dcs[0]).toMatchObject({ address: '10.0.0.1', port: 8443 });
    expect(r.inferences).toEqual([]);
    expect(r.session.peers).toEqual([expect.objectContaining({ id: 50n, kind: 'megagroup', usernames: ['a', 'b'] })]);
    expect(r.session.updates).toMatchObject({ pts: 1, qts: 2, date: 3, seq: 4 });
    expect([...r.session.updates.channels]).toEqual([[50n, 9]]);
    expect(r.warnings).toEqual(['1 peer(s) of Kurigram type "forum" read as megagroup']);
  });

  it('Pyrofork v3 (update_state, usernames added on open) and v4 are Pyrofork', () => {
    const v3 = build([ADD_API_ID, UPDATE_STATE, PYROFORK_USERNAMES], 3, { ...ROW, api_id: 5 });
    v3.prepare("INSERT INTO peers (id, access_hash, type, username) VALUES (?, 1, 'supergroup', 'first')").run(-(CH + 8n));
    v3.prepare('INSERT INTO usernames (id, peer_id) VALUES (?, ?), (?, ?)').run('first', -(CH + 8n), 'second', -(CH + 8n));
    // some Pyrofork builds stored the bare channel id in peer_id
    v3.prepare('INSERT INTO usernames (id, peer_id) VALUES (?, ?)').run('third', 8);
    expect(claimants(v3)).toEqual(['pyrofork']);
    const r = readWith(pyroforkSqlite, v3);
    expect(r.session.peers).toEqual([expect.objectContaining({ id: 8n, kind: 'megagroup', usernames: ['first', 'second', 'third'] })]);
    const updateOnly = build([ADD_API_ID, UPDATE_STATE], 3, { ...ROW, api_id: 5 });
    expect(claimants(updateOnly)).toEqual(['pyrofork']);
  });

  it('maps every peer type and reports what it cannot keep', () => {
    const db = build([ADD_API_ID, KURI_USERNAMES, UPDATE_STATE, ADD_ADDRESS], 7, { ...ROW, api_id: 1 });
    const ins = db.prepare('INSERT INTO peers (id, access_hash, type) VALUES (?, ?, ?)');
    const rows: [bigint, string][] = [
      [1n, 'user'], [2n, 'bot'], [-3n, 'group'], [-(CH + 4n), 'channel'], [-(CH + 5n), 'supergroup'],
      [-(CH + 6n), 'forum'], [-(CH + 7n), 'direct'], [-(CH + 8n), 'community'],
      [-9n, 'user'], [10n, 'channel'], [-(CH + 11n), 'group'], [12n, 'martian'],
    ];
    for (const [id, type] of rows) ins.run(id, 100, type);
    const r = readWith(kurigramSqlite, db);
    const kinds = Object.fromEntries(r.session.peers.map((p) => [p.id.toString(), p.kind]));
    expect(kinds).toEqual({
      '1': 'user', '2': 'bot', '3': 'chat', '4': 'channel', '5': 'megagroup',
      '6': 'megagroup', '7': 'megagroup', '8': 'community',
    });
    expect(r.session.peers.find((p) => p.id === 3n)?.accessHash).toBe(0n);
    expect(r.warnings).toEqual(expect.arrayContaining([
      '1 peer(s) of unknown type "martian" skipped',
      '3 peer(s) whose id sign does not fit their type skipped',
      '1 peer(s) of Kurigram type "direct" read as megagroup',
    ]));
    // community goes back to Kurigram channel-marked, and is left out of upstream Pyrogram
    const back = memory();
    kurigramSqlite.write(back, { ...session(), peers: r.session.peers });
    expect(back.prepare("SELECT id FROM peers WHERE type = 'community'").safeIntegers(true).get()).toEqual({ id: -(CH + 8n) });
    const up = memory();
    pyrogramSqlite.write(up, { ...session(), peers: r.session.peers });
    expect(up.prepare("SELECT count(*) AS n FROM peers WHERE id = ?").get(-(CH + 8n))).toEqual({ n: 0 });
  });

  it('audits: extra tables, triggers, views, columns, short keys, NULL fields', () => {
    const db = build([ADD_API_ID], 3, { ...ROW, auth_key: Buffer.alloc(255), user_id: null });
    db.exec(`CREATE TABLE exfil (x); CREATE VIEW v AS SELECT 1;
      CREATE TRIGGER steal AFTER INSERT ON peers BEGIN INSERT INTO exfil VALUES (NEW.id); END;
      ALTER TABLE peers ADD extra TEXT;`);
    expect(claimants(db)).toEqual(['pyrogram']);
    const r = readWith(pyrogramSqlite, db);
    expect(r.warnings).toEqual(expect.arrayContaining([
      'unexpected table "exfil" (Pyrogram does not create it)',
      'unexpected view "v" (Pyrogram does not create it)',
      'unexpected trigger "steal" (Pyrogram does not create it)',
      'unexpected column(s) in peers: extra',
      'the auth key has 255 bytes, not 256: ignored',
      'NULL user_id: Pyrogram treats this session as not logged in',
    ]));
    expect(r.session.dcs[0]?.authKey).toBeUndefined();
    expect(r.session.user).toBeUndefined();
  });

  it('is not fooled by other libraries\' tables', () => {
    const telethon = memory();
    telethon.exec(`create table version (version integer primary key);
      create table sessions (dc_id integer primary key, server_address text, port integer, auth_key blob, takeout_id integer);
      create table entities (id integer primary key, hash integer not null, username text, phone integer, name text, date integer);`);
    expect(claimants(telethon)).toEqual([]);
    expect(() => readWith(kurigramSqlite, build([], 2, ROW))).toThrow(/not a Kurigram session file/);
  });

  it('reads a real file opened read-only, and is registered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pyro-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'a.session');
    const w = openDatabase(path);
    pyroforkSqlite.write(w, session());
    w.close();
    const db = openReadOnly(path);
    const r = readWith(pyroforkSqlite, db);
    db.close();
    expect(r.session.user).toEqual({ id: 7_000_000_123n, isBot: false });
    for (const id of ['pyrogram', 'kurigram', 'pyrofork', 'pyrogram-string']) expect(formatById(id)?.id).toBe(id);
  });
});
