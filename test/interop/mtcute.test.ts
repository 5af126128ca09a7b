/**
 * Our mtcute, GramJS and grammers-adjacent codecs against mtcute's own code: @mtcute/convert
 * (GramJS / Telethon string readers and writers, GramJS StoreSession folders) and @mtcute/core
 * (v3 string sessions, and its real SQLite repositories over better-sqlite3). Both directions.
 */
import {
  convertFromGramjsSession,
  convertToGramjsSession,
  convertToTelethonSession,
  parseGramjsSession,
  parseTelethonSession,
  readGramjsStoreSession,
  writeGramjsStoreSession,
} from '@mtcute/convert';
import { BaseSqliteStorage, BaseSqliteStorageDriver, TelegramStorageManager } from '@mtcute/core';
import type { ISqliteDatabase } from '@mtcute/core';
import {
  longFromFastString,
  longToFastString,
  parseBasicDcOption,
  readStringSession,
  serializeBasicDcOption,
  writeStringSession,
} from '@mtcute/core/utils.js';
import Database from 'better-sqlite3';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeGramjsString, encodeGramjsString } from '../../electron/core/formats/gramjs-string.js';
import { gramjsStore } from '../../electron/core/formats/gramjs-store.js';
import { mtcuteSqlite } from '../../electron/core/formats/mtcute-sqlite.js';
import { longToFast } from '../../electron/core/formats/mtcute-rows.js';
import { decodeMtcuteString, encodeMtcuteString } from '../../electron/core/formats/mtcute-string.js';
import { telethonString } from '../../electron/core/formats/telethon-string.js';
import { normalizeSession } from '../../electron/core/model/normalize.js';
import type { Session } from '../../electron/core/model/session.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { readSchema } from '../../electron/core/sqlite/open.js';
import { fakeKey } from '../helpers/sessions.js';
import { tempDir } from '../helpers/format-io.js';

const dir = tempDir('sd-mtcute-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GRAMJS_SESSION from @mtcute/convert's fixtures: a string made by GramJS itself. */
function gramjsFixture(): string {
  const pkg = dirname(createRequire(import.meta.url).resolve('@mtcute/convert'));
  const m = /"(1[A-Za-z0-9+/=]+)"/.exec(readFileSync(join(pkg, 'gramjs', '__fixtures__', 'session.d.ts'), 'utf8'));
  if (!m?.[1]) throw new Error('no GramJS fixture string');
  return m[1];
}

function session(address: string, port: number, id: number): Session {
  const s = emptySession();
  s.homeDc = id;
  s.dcs = [makeDc({ id, address, port, authKey: fakeKey(id) })];
  return s;
}

type MtDc = { id: number; ipAddress: string; port: number; ipv6?: boolean; mediaOnly?: boolean; testMode?: boolean };
function mtDc(d: MtDc) {
  return { id: d.id, ipAddress: d.ipAddress, port: d.port, ipv6: d.ipv6 ?? false, mediaOnly: d.mediaOnly ?? false };
}

describe('mtcute v3 strings (@mtcute/core)', () => {
  const main: MtDc = { id: 2, ipAddress: '149.154.167.50', port: 443 };
  const media: MtDc = { id: 2, ipAddress: '149.154.167.222', port: 443, mediaOnly: true };
  const variants = [
    { name: 'main only, no self', primaryDcs: { main, media: main }, self: null },
    { name: 'main + media, bot self', primaryDcs: { main, media }, self: { userId: 7_000_000_001, isBot: true } },
    {
      name: 'IPv6, test mode, user self',
      primaryDcs: (() => {
        const m = { id: 1, ipAddress: '2001:67c:4e8:f001::e', port: 443, ipv6: true, testMode: true };
        return { main: m, media: m };
      })(),
      self: { userId: 42, isBot: false },
    },
  ];

  it.each(variants)('we decode what mtcute writes: $name', (v) => {
    const text = writeStringSession({
      version: 3,
      primaryDcs: v.primaryDcs,
      self: v.self ? { ...v.self, isPremium: false, usernames: [] } : null,
      authKey: fakeKey(v.primaryDcs.main.id),
    });
    const s = decodeMtcuteString(text).session;
    expect(s.homeDc).toBe(v.primaryDcs.main.id);
    expect(s.testMode).toBe(v.primaryDcs.main.testMode ?? false);
    expect(s.user).toEqual(v.self ? { id: BigInt(v.self.userId), isBot: v.self.isBot } : undefined);
    const mainDc = s.dcs[0]!;
    expect({ id: mainDc.id, ipAddress: mainDc.address, port: mainDc.port, ipv6: mainDc.ipv6, mediaOnly: mainDc.mediaOnly }).toEqual(mtDc(v.primaryDcs.main));
    expect(s.dcs.length).toBe(v.primaryDcs.media === v.primaryDcs.main ? 1 : 2);
    expect(Buffer.compare(mainDc.authKey!, fakeKey(mainDc.id))).toBe(0);
    // And we write the very same bytes back.
    expect(encodeMtcuteString(s)).toBe(text);
  });

  it.each(variants)('mtcute reads what we write: $name', (v) => {
    const s = emptySession();
    const m = v.primaryDcs.main;
    s.homeDc = m.id;
    s.testMode = m.testMode ?? false;
    s.dcs = [makeDc({ id: m.id, address: m.ipAddress, port: m.port, ipv6: m.ipv6 ?? false, authKey: fakeKey(m.id) })];
    if (v.primaryDcs.media !== m) {
      const d = v.primaryDcs.media;
      s.dcs.push(makeDc({ id: d.id, address: d.ipAddress, port: d.port, mediaOnly: true, authKey: fakeKey(m.id) }));
    }
    if (v.self) s.user = { id: BigInt(v.self.userId), isBot: v.self.isBot };
    const theirs = readStringSession(encodeMtcuteString(s));
    expect(theirs.version).toBe(3);
    expect(mtDc(theirs.primaryDcs!.main)).toEqual(mtDc(m));
    expect(theirs.primaryDcs!.main.testMode).toBe(m.testMode ?? false);
    expect(mtDc(theirs.primaryDcs!.media)).toEqual(mtDc(v.primaryDcs.media));
    expect(theirs.self ? { userId: theirs.self.userId, isBot: theirs.self.isBot } : null).toEqual(v.self);
    expect(Buffer.compare(theirs.authKey, fakeKey(m.id))).toBe(0);
  });

  it('DC blobs: serializeBasicDcOption equals ours and parseBasicDcOption reads ours', () => {
    const s = session('91.108.56.130', 443, 5);
    s.user = { id: 1n, isBot: false };
    const ours = readStringSession(encodeMtcuteString(s)).primaryDcs!.main;
    expect(parseBasicDcOption(serializeBasicDcOption(ours))).toEqual(ours);
    expect(ours).toMatchObject({ id: 5, ipAddress: '91.108.56.130', port: 443 });
  });
});

describe('GramJS strings via @mtcute/convert', () => {
  it('the GramJS-made fixture decodes the same in both', () => {
    const text = gramjsFixture();
    const theirs = parseGramjsSession(text);
    const s = decodeGramjsString(text).session;
    expect(s.homeDc).toBe(theirs.dcId);
    expect(s.dcs[0]!.address).toBe(theirs.ipAddress);
    expect(s.dcs[0]!.port).toBe(theirs.port);
    expect(Buffer.compare(s.dcs[0]!.authKey!, theirs.authKey)).toBe(0);
    expect(encodeGramjsString(s)).toBe(text);
  });

  it.each([
    ['149.154.167.91', 80, 4],
    ['2001:67c:4e8:f002::a', 443, 2],
  ] as const)('mtcute converts ours (%s) and we decode its output', (address, port, id) => {
    const ours = encodeGramjsString(session(address, port, id));
    const converted = convertFromGramjsSession(ours);
    expect(converted.primaryDcs!.main).toMatchObject({ id, ipAddress: address, port, ipv6: address.includes(':') });
    expect(Buffer.compare(converted.authKey, fakeKey(id))).toBe(0);
    const back = convertToGramjsSession(converted);
    expect(back).toBe(ours);
    expect(normalizeSession(decodeGramjsString(back).session)).toEqual(normalizeSession(session(address, port, id)));
  });

  it('an mtcute string converted to Telethon decodes with our Telethon codec to the same DC and key', () => {
    const s = session('149.154.167.51', 443, 2);
    const tele = convertToTelethonSession(encodeMtcuteString(s));
    const ours = telethonString.decode(tele).session;
    expect(ours.homeDc).toBe(2);
    expect(ours.dcs[0]).toMatchObject({ address: '149.154.167.51', port: 443 });
    expect(Buffer.compare(ours.dcs[0]!.authKey!, fakeKey(2))).toBe(0);
    // Our Telethon string is not a GramJS one and vice versa: each decoder refuses the other.
    expect(() => decodeGramjsString(tele)).toThrow(/GramJS/);
    expect(parseTelethonSession(tele).ipAddress).toBe('149.154.167.51');
  });
});

describe('GramJS StoreSession folders via @mtcute/convert', () => {
  it('mtcute reads the folder we wrote', async () => {
    const folder = join(dir, 'acc_ours');
    gramjsStore.write(folder, session('149.154.167.91', 443, 4));
    const theirs = await readGramjsStoreSession(folder);
    expect(theirs).toMatchObject({ dcId: 4, ipAddress: '149.154.167.91', port: 443, ipv6: false });
    expect(Buffer.compare(theirs.authKey, fakeKey(4))).toBe(0);
  });

  it('we read the folder mtcute wrote', async () => {
    const before = process.cwd();
    process.chdir(dir); // mtcute creates the folder relative to the working directory
    try {
      await writeGramjsStoreSession('acc_mtcute', { dcId: 2, ipAddress: '149.154.167.51', port: 443, ipv6: false, authKey: fakeKey(2) });
    } finally {
      process.chdir(before);
    }
    const folder = join(dir, 'acc_mtcute');
    expect(gramjsStore.matches(folder)).toBe(true);
    const r = gramjsStore.read(folder);
    expect(r.warnings).toEqual([]);
    expect(normalizeSession(r.session)).toEqual(normalizeSession(session('149.154.167.51', 443, 2)));
  });
});

/** mtcute's own SQLite storage (migrations, repositories) over better-sqlite3, as @mtcute/node does. */
class TestDriver extends BaseSqliteStorageDriver {
  constructor(readonly path: string) {
    super();
  }
  _createDatabase(): ISqliteDatabase {
    return new Database(this.path) as unknown as ISqliteDatabase;
  }
}

const silentLog = {
  create: () => silentLog,
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  verbose: () => {},
};

async function mtcuteStorage(path: string) {
  const driver = new TestDriver(path);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  driver.setup(silentLog as any, { beforeExit: () => () => {} } as any);
  const storage = new BaseSqliteStorage(driver);
  await driver.load();
  // The high-level services (current user) over the same provider, as a TelegramClient builds them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const mt = { driver, options: { readerMap: {}, writerMap: {} }, log: silentLog } as any;
  const manager = new TelegramStorageManager(mt, { provider: storage });
  return { driver, storage, manager };
}

function i32(v: number, unsigned = false): Uint8Array {
  const b = new Uint8Array(4);
  if (unsigned) new DataView(b.buffer).setUint32(0, v, true);
  else new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

describe('mtcute SQLite (@mtcute/core repositories)', () => {
  it('we read a database mtcute created and filled', async () => {
    const path = join(dir, 'mtcute-made.db');
    const { driver, storage, manager } = await mtcuteStorage(path);
    await manager.self.store({ userId: 6_000_000_007, isBot: false, isPremium: true, usernames: ['me'] });
    const main = { id: 2, ipAddress: '149.154.167.50', port: 443, ipv6: false, mediaOnly: false, testMode: false };
    const media = { ...main, ipAddress: '149.154.167.222', mediaOnly: true };
    storage.kv.set('dc_main', serializeBasicDcOption(main));
    storage.kv.set('dc_media', serializeBasicDcOption(media));
    storage.kv.set('updates_pts', i32(100));
    storage.kv.set('updates_qts', i32(5));
    storage.kv.set('updates_date', i32(1_700_000_000));
    storage.kv.set('updates_seq', i32(9));
    storage.kv.set('updates_channel:1400000001', i32(3000, true));
    storage.authKeys.set(2, fakeKey(2));
    const Long = (await import('@mtcute/core')).Long;
    const hash = Long.fromString('-8152436061464407808');
    storage.peers.store({ id: 123, accessHash: longToFastString(hash), isMin: false, usernames: ['ann'], updated: 1_700_000_000_000, phone: '4470', complete: new Uint8Array() });
    storage.peers.store({ id: -1001400000001, accessHash: longToFastString(Long.fromString('77')), isMin: true, usernames: [], updated: 1_700_000_000_000, complete: new Uint8Array() });
    storage.peers.store({ id: -777, accessHash: '', isMin: false, usernames: [], updated: 1_700_000_000_000, complete: new Uint8Array() });
    await driver.save();
    await driver.destroy();

    const db = new Database(path, { readonly: true });
    const schema = readSchema(db);
    expect(mtcuteSqlite.matches(schema)).toBe(true);
    const r = mtcuteSqlite.read(db, schema);
    db.close();
    expect(r.warnings).toEqual([]);
    const s = r.session;
    expect(s.homeDc).toBe(2);
    expect(s.user).toEqual({ id: 6_000_000_007n, isBot: false });
    expect(s.dcs.map((d) => [d.address, d.mediaOnly])).toEqual([['149.154.167.50', false], ['149.154.167.222', true]]);
    expect(Buffer.compare(s.dcs[0]!.authKey!, fakeKey(2))).toBe(0);
    expect(s.updates).toMatchObject({ pts: 100, qts: 5, date: 1_700_000_000, seq: 9 });
    expect([...s.updates.channels]).toEqual([[1400000001n, 3000]]);
    const byId = new Map(s.peers.map((p) => [p.id, p]));
    expect(byId.get(123n)).toMatchObject({ kind: 'user', accessHash: -8152436061464407808n, usernames: ['ann'], phone: '4470', seenAt: 1_700_000_000 });
    expect(byId.get(1400000001n)).toMatchObject({ kind: 'min-channel', accessHash: 77n });
    expect(byId.get(777n)).toMatchObject({ kind: 'chat', accessHash: 0n });
  });

  it('mtcute opens a database we wrote, migrates nothing, and reads every value', async () => {
    const path = join(dir, 'ours.db');
    const s = session('149.154.167.50', 443, 2);
    s.testMode = false;
    s.user = { id: 5_000_000_001n, isBot: true };
    s.updates = { pts: 11, qts: 22, date: 1_700_000_001, seq: 33, channels: new Map([[1500000002n, 44]]) };
    s.peers = [
      { id: 9n, kind: 'user', accessHash: -(2n ** 62n) + 3n, usernames: ['x', 'y'], phone: '1', seenAt: 1_700_000_002 },
      { id: 1500000002n, kind: 'channel', accessHash: 123n, usernames: [] },
    ];
    const w = new Database(path);
    mtcuteSqlite.write(w, s);
    w.close();
    const versions = () => {
      const db = new Database(path, { readonly: true });
      const rows = db.prepare('SELECT repo, version FROM mtcute_migrations ORDER BY repo').all();
      db.close();
      return rows;
    };
    const versionsBefore = versions();
    expect(versionsBefore).toEqual([
      { repo: 'auth_keys', version: 1 },
      { repo: 'kv', version: 1 },
      { repo: 'peers', version: 2 },
      { repo: 'ref_messages', version: 1 },
    ]);

    const { driver, storage, manager } = await mtcuteStorage(path);
    expect(await manager.self.fetch()).toMatchObject({ userId: 5_000_000_001, isBot: true });
    expect(parseBasicDcOption(storage.kv.get('dc_main')!)).toMatchObject({ id: 2, ipAddress: '149.154.167.50', port: 443 });
    expect(storage.kv.get('dc_media')).toBe(null);
    expect(Buffer.compare(storage.authKeys.get(2)!, fakeKey(2))).toBe(0);
    const pts = (k: string) => new DataView(storage.kv.get(k)!.buffer, storage.kv.get(k)!.byteOffset).getInt32(0, true);
    expect([pts('updates_pts'), pts('updates_qts'), pts('updates_date'), pts('updates_seq'), pts('updates_channel:1500000002')]).toEqual([11, 22, 1_700_000_001, 33, 44]);
    const user = storage.peers.getById(9)!;
    expect(longFromFastString(user.accessHash).toString()).toBe((-(2n ** 62n) + 3n).toString());
    expect(user).toMatchObject({ usernames: ['x', 'y'], phone: '1', updated: 1_700_000_002_000, isMin: false });
    expect(storage.peers.getByUsername('y')?.id).toBe(9);
    const channel = storage.peers.getById(-1001500000002)!;
    expect(channel.accessHash).toBe(longToFast(123n));
    await driver.destroy();
    // mtcute found every migration applied: the version table is unchanged.
    expect(versions()).toEqual(versionsBefore);
  });
});
