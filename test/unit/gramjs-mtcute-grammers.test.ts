/**
 * GramJS, mtcute and grammers codecs: round trips, byte layouts from the spec, strictness
 * (another library's data fails with a SessionError) and every truncation.
 */
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteReader, ByteWriter, fromBase64Std, fromBase64Url, toBase64Std, toBase64Url } from '../../electron/core/bytes.js';
import { SessionError } from '../../electron/core/errors.js';
import { decodeGramjsString, encodeGramjsString } from '../../electron/core/formats/gramjs-string.js';
import { gramjsStore, storeFileName } from '../../electron/core/formats/gramjs-store.js';
import { decodeMtcuteString, encodeMtcuteString } from '../../electron/core/formats/mtcute-string.js';
import { mtcuteSqlite } from '../../electron/core/formats/mtcute-sqlite.js';
import { longFromFast, longToFast } from '../../electron/core/formats/mtcute-rows.js';
import { grammers } from '../../electron/core/formats/grammers.js';
import { readTlBytes, writeTlBytes } from '../../electron/core/formats/tl-bytes.js';
import type { SqliteFormat } from '../../electron/core/formats/types.js';
import { normalizeSession } from '../../electron/core/model/normalize.js';
import type { Session } from '../../electron/core/model/session.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { readSchema } from '../../electron/core/sqlite/open.js';
import { fakeKey, peerOf } from '../helpers/sessions.js';
import { tempDir } from '../helpers/format-io.js';

const dir = tempDir('sd-gmg-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function oneDc(address = '149.154.167.91', port = 443, id = 4): Session {
  const s = emptySession();
  s.homeDc = id;
  s.dcs = [makeDc({ id, address, port, authKey: fakeKey(id) })];
  return s;
}

describe('GramJS StringSession', () => {
  it('lays out u8 dc | i16 BE len | ASCII | i16 BE port | key; 14-char IPv4 gives 368 chars after "1"', () => {
    const text = encodeGramjsString(oneDc());
    expect(text[0]).toBe('1');
    expect(text.length).toBe(369);
    const b = fromBase64Std(text.slice(1), 'x');
    expect(b.length).toBe(275);
    expect([b[0], b[1], b[2]]).toEqual([4, 0, 14]);
    expect(Buffer.from(b.subarray(3, 17)).toString('ascii')).toBe('149.154.167.91');
    expect((b[17]! << 8) | b[18]!).toBe(443);
    expect(Buffer.compare(b.subarray(19), fakeKey(4))).toBe(0);
  });

  it('round-trips IPv4, IPv6 and host names', () => {
    for (const s of [oneDc(), oneDc('2001:67c:4e8:f004::a', 443), oneDc('vesta.web.telegram.org', 443, 2)]) {
      const back = decodeGramjsString(encodeGramjsString(s)).session;
      expect(normalizeSession(back)).toEqual(normalizeSession(s));
    }
  });

  it('rejects Telethon strings, missing padding, the url alphabet and every truncation', () => {
    const telethonV4 = '1' + toBase64Url(new Uint8Array([2, 149, 154, 167, 51, 1, 187, ...fakeKey(2)]), true);
    expect(telethonV4.length).toBe(353);
    expect(() => decodeGramjsString(telethonV4)).toThrow(SessionError);
    const ip6 = [0x20, 0x01, 0x06, 0x7c, 0x04, 0xe8, 0xf0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x0a];
    expect(() => decodeGramjsString('1' + toBase64Std(new Uint8Array([2, ...ip6, 1, 187, ...fakeKey(2)])))).toThrow(SessionError);
    const good = encodeGramjsString(oneDc());
    expect(() => decodeGramjsString(good.replace(/=+$/, '') + 'A')).toThrow(SessionError);
    expect(() => decodeGramjsString('2' + good.slice(1))).toThrow(SessionError);
    const bytes = fromBase64Std(good.slice(1), 'x');
    for (let n = 0; n < bytes.length; n++) {
      expect(() => decodeGramjsString('1' + toBase64Std(bytes.subarray(0, n)))).toThrow(SessionError);
    }
    expect(() => decodeGramjsString('1' + toBase64Std(new Uint8Array([...bytes, 0])))).toThrow(SessionError);
  });

  it('refuses what GramJS would misread: ports over 32767, no key, over-long addresses', () => {
    expect(() => encodeGramjsString(oneDc('149.154.167.91', 40000))).toThrow(SessionError);
    const keyless = oneDc();
    delete keyless.dcs[0]!.authKey;
    expect(() => encodeGramjsString(keyless)).toThrow(SessionError);
    expect(() => encodeGramjsString(oneDc('a'.repeat(101) + '.org'))).toThrow(SessionError);
  });
});

describe('TL bytes (mtcute)', () => {
  it('encodes 256 bytes as FE 00 01 00 + data and pads short ones to 4', () => {
    const w = new ByteWriter();
    writeTlBytes(w, fakeKey(1));
    const long = w.finish();
    expect([...long.subarray(0, 4)]).toEqual([0xfe, 0x00, 0x01, 0x00]);
    expect(long.length).toBe(260);
    const w2 = new ByteWriter();
    writeTlBytes(w2, new Uint8Array([1, 2, 3, 4, 5]));
    expect([...w2.finish()]).toEqual([5, 1, 2, 3, 4, 5, 0, 0]);
    expect(() => readTlBytes(new ByteReader(new Uint8Array([5, 1, 2, 3, 4, 5, 0, 1])), 'x')).toThrow(SessionError);
  });
});

describe('mtcute string v3', () => {
  function full(): Session {
    const s = oneDc('149.154.167.50', 443, 2);
    s.dcs.push(makeDc({ id: 2, address: '149.154.167.222', port: 443, mediaOnly: true, authKey: fakeKey(2) }));
    s.user = { id: 123456789n, isBot: true };
    s.testMode = true;
    return s;
  }

  it('round-trips main + media DC, self user, bot flag and test mode', () => {
    const s = full();
    const back = decodeMtcuteString(encodeMtcuteString(s));
    expect(normalizeSession(back.session)).toEqual(normalizeSession(s));
    expect(back.formatVersion).toBe(3);
  });

  it('writes version 3, LE flags 1|4 and TL Bool true (0x997275b5) after the int53 id', () => {
    const b = fromBase64Url(encodeMtcuteString(full()), 'x');
    expect(b[0]).toBe(3);
    expect(new DataView(b.buffer, b.byteOffset).getInt32(1, true)).toBe(5);
    const boolAt = b.length - 260 - 4;
    expect(new DataView(b.buffer, b.byteOffset).getUint32(boolAt, true)).toBe(0x997275b5);
    expect(new DataView(b.buffer, b.byteOffset).getBigInt64(boolAt - 8, true)).toBe(123456789n);
  });

  it('rejects every truncation, trailing bytes, unknown flags and foreign strings', () => {
    const b = fromBase64Url(encodeMtcuteString(full()), 'x');
    for (let n = 0; n < b.length; n++) expect(() => decodeMtcuteString(toBase64Url(b.subarray(0, n)))).toThrow(SessionError);
    expect(() => decodeMtcuteString(toBase64Url(new Uint8Array([...b, 0, 0, 0, 0])))).toThrow(SessionError);
    const badFlags = b.slice();
    badFlags[1] = 0x40;
    expect(() => decodeMtcuteString(toBase64Url(badFlags))).toThrow(SessionError);
    expect(() => decodeMtcuteString(encodeGramjsString(oneDc()))).toThrow(SessionError);
  });

  it('needs the bot flag when it stores the user, and an auth key', () => {
    const s = oneDc();
    s.user = { id: 5n };
    expect(() => encodeMtcuteString(s)).toThrow(SessionError);
    s.peers = [{ ...peerOf('user', 1), id: 5n }];
    expect(decodeMtcuteString(encodeMtcuteString(s)).session.user).toEqual({ id: 5n, isBot: false });
  });
});

function sqliteRoundTrip(format: SqliteFormat, s: Session) {
  const path = join(dir, `${format.id}-${Math.random().toString(36).slice(2)}.db`);
  const db = new Database(path);
  format.write(db, s);
  db.close();
  const ro = new Database(path, { readonly: true });
  try {
    const schema = readSchema(ro);
    return { path, schema, result: format.read(ro, schema), matches: format.matches(schema) };
  } finally {
    ro.close();
  }
}

function richSession(): Session {
  const s = oneDc('149.154.167.51', 443, 2);
  s.dcs.push(makeDc({ id: 4, address: '149.154.167.91', port: 443, authKey: fakeKey(4) }));
  s.user = { id: peerOf('user', 1).id, isBot: false };
  s.updates = { pts: 10, qts: 2, date: 1_700_000_000, seq: 4, channels: new Map([[peerOf('channel', 1).id, 77]]) };
  return s;
}

describe('grammers SQLite', () => {
  it('round-trips and writes marked peer ids, subtype bits, bare channel_state ids, user_version 1', () => {
    const s = richSession();
    s.dcs.push(makeDc({ id: 2, address: '2001:67c:4e8:f002::a', port: 443, ipv6: true, authKey: fakeKey(2) }));
    s.peers = (['user', 'bot', 'chat', 'channel', 'megagroup', 'gigagroup', 'min-channel'] as const).map((k) => peerOf(k, 1));
    const { path, schema, result, matches } = sqliteRoundTrip(grammers, s);
    expect(matches).toBe(true);
    expect(schema.userVersion).toBe(1);
    expect(result.warnings).toEqual([]);
    expect(normalizeSession(result.session)).toEqual(normalizeSession(s));
    const db = new Database(path, { readonly: true });
    db.defaultSafeIntegers(true);
    const rows = db.prepare('SELECT peer_id, hash, subtype FROM peer_info ORDER BY peer_id').all() as { peer_id: bigint; hash: bigint | null; subtype: bigint | null }[];
    const byId = new Map(rows.map((r) => [r.peer_id, r]));
    expect(byId.get(-(1_000_000_000_000n + peerOf('megagroup', 1).id))?.subtype).toBe(4n);
    expect(byId.get(-(1_000_000_000_000n + peerOf('gigagroup', 1).id))?.subtype).toBe(12n);
    expect(byId.get(-(1_000_000_000_000n + peerOf('channel', 1).id))?.subtype).toBe(8n);
    expect(byId.get(-(1_000_000_000_000n + peerOf('min-channel', 1).id))?.hash).toBe(null);
    expect(byId.get(-peerOf('chat', 1).id)?.hash).toBe(null);
    expect(byId.get(peerOf('bot', 1).id)?.subtype).toBe(2n);
    expect(byId.get(peerOf('user', 1).id)?.subtype).toBe(1n); // the self user
    expect(db.prepare('SELECT peer_id FROM channel_state').all()).toEqual([{ peer_id: peerOf('channel', 1).id }]);
    expect(db.prepare('SELECT ipv4, ipv6 FROM dc_option WHERE dc_id = 2').get()).toEqual({
      ipv4: '149.154.167.51:443',
      ipv6: '[2001:67c:4e8:f002::a]:443',
    });
    db.close();
  });

  it("fills a missing IPv6 like grammers (::a.b.c.d) and does not read it back as a DC", () => {
    const { path, result } = sqliteRoundTrip(grammers, richSession());
    expect(result.session.dcs.filter((d) => d.ipv6)).toEqual([]);
    const db = new Database(path, { readonly: true });
    // 149.154.167.91 = 95 9a a7 5b
    expect(db.prepare('SELECT ipv6 FROM dc_option WHERE dc_id = 4').get()).toEqual({ ipv6: '[::959a:a75b]:443' });
    db.close();
    // Rust may print the same placeholder in dotted form.
    const rw = new Database(path);
    rw.prepare("UPDATE dc_option SET ipv6 = '[::149.154.167.91]:443' WHERE dc_id = 4").run();
    expect(grammers.read(rw, readSchema(rw)).session.dcs.filter((d) => d.ipv6)).toEqual([]);
    rw.close();
  });

  it('warns about extra tables, triggers, unknown columns and short auth keys', () => {
    const { path } = sqliteRoundTrip(grammers, richSession());
    const db = new Database(path);
    db.exec(`CREATE TABLE evil (x); ALTER TABLE peer_info ADD COLUMN extra TEXT;
      CREATE TRIGGER t AFTER INSERT ON peer_info BEGIN SELECT 1; END;
      UPDATE dc_option SET auth_key = zeroblob(255) WHERE dc_id = 4;`);
    const w = grammers.read(db, readSchema(db)).warnings;
    db.close();
    expect(w.some((l) => l.includes('"evil"'))).toBe(true);
    expect(w.some((l) => l.includes('peer_info: extra'))).toBe(true);
    expect(w.some((l) => l.includes('trigger "t"'))).toBe(true);
    expect(w.some((l) => l.includes('255 bytes'))).toBe(true);
  });

  it('does not match an mtcute database, and mtcute does not match grammers', () => {
    expect(grammers.matches(sqliteRoundTrip(mtcuteSqlite, richSession()).schema)).toBe(false);
    expect(mtcuteSqlite.matches(sqliteRoundTrip(grammers, richSession()).schema)).toBe(false);
  });
});

describe('mtcute SQLite', () => {
  it('encodes longs as "<low>|<high>" signed words', () => {
    expect(longToFast(0x0000000100000002n)).toBe('2|1');
    expect(longToFast(-1n)).toBe('-1|-1');
    expect(longToFast(-0x7123456789abcdefn)).toBe(`${0x76543211 | 0}|${-0x71234568}`);
    for (const v of [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), -0x7123456789abcdefn]) expect(longFromFast(longToFast(v))).toBe(v);
    expect(() => longFromFast('1|2|3')).toThrow(SessionError);
    expect(() => longFromFast('4294967296|0')).toThrow(SessionError);
  });

  it('round-trips DCs, user, update state, channel pts and peers', () => {
    const s = richSession();
    s.testMode = false;
    s.dcs.push(makeDc({ id: 2, address: '149.154.167.222', port: 443, mediaOnly: true, authKey: fakeKey(2) }));
    s.peers = (['user', 'chat', 'channel', 'min-channel'] as const).map((k) => peerOf(k, 1, { extras: true }));
    for (const p of s.peers) delete p.name; // mtcute keeps names only inside its TL blob
    const { schema, result, matches } = sqliteRoundTrip(mtcuteSqlite, s);
    expect(matches).toBe(true);
    expect(result.warnings).toEqual([]);
    expect([...schema.tables.keys()].sort()).toEqual(
      ['auth_keys', 'key_value', 'message_refs', 'mtcute_migrations', 'peers', 'temp_auth_keys'],
    );
    // DC 4 has only a key in mtcute's file: its address is inferred and said so.
    expect(result.inferences?.length).toBe(1);
    expect(normalizeSession(result.session)).toEqual(normalizeSession(s));
  });
});

describe('GramJS StoreSession folder', () => {
  it('writes node-localstorage file names and reads them back', () => {
    const s = oneDc();
    s.peers = (['user', 'chat', 'channel', 'min-channel'] as const).map((k) => peerOf(k, 1, { extras: true }));
    const target = join(dir, 'my_account');
    gramjsStore.write(target, s);
    expect(readdirSync(target).sort()).toContain('my_account%3AauthKey');
    expect(readdirSync(target)).toContain(storeFileName(`my_account:${-(1_000_000_000_000n + peerOf('channel', 1).id)}`));
    expect(gramjsStore.matches(target)).toBe(true);
    const back = gramjsStore.read(target);
    expect(back.warnings).toEqual([]);
    expect(normalizeSession(back.session)).toEqual(normalizeSession(s));
    expect(storeFileName("a:b!'()*")).toBe('a%3Ab%21%27%28%29%2A');
  });

  it('matches only folders holding dcId, port and serverAddress; reports strays; refuses two sessions', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(gramjsStore.matches(empty)).toBe(false);
    expect(gramjsStore.matches(join(dir, 'nope'))).toBe(false);
    const target = join(dir, 'acc2');
    gramjsStore.write(target, oneDc());
    writeFileSync(join(target, 'stray.txt'), 'x');
    expect(gramjsStore.read(target).warnings.some((w) => w.includes('stray.txt'))).toBe(true);
    for (const k of ['dcId', 'port', 'serverAddress']) writeFileSync(join(target, storeFileName(`other:${k}`)), '1');
    expect(() => gramjsStore.read(target)).toThrow(/2 GramJS sessions/);
    expect(() => gramjsStore.write(target, oneDc())).toThrow(SessionError);
  });
});
