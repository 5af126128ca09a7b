import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../helpers/errors.js';
import { decodeFerogramBinary, encodeFerogramBinary, ferogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import { sameSession } from '../../electron/core/model/normalize.js';
import type { Session } from '../../electron/core/model/session.js';
import { emptySession, makeDc, PEER_KINDS } from '../../electron/core/model/session.js';
import { fullSession, peer } from '../helpers/ferogram-sessions.js';
import { ascii, bytes, i32le, i64le, str8, testKey, u16le, u8 } from '../helpers/le-bytes.js';

const KEY = testKey(1);

/** One DC as ferogram lays it out; `flags` undefined = a pre-v3 entry without the byte. */
function dcBytes(o: { id: number; key?: Uint8Array; hasKey?: number; salt?: bigint; off?: number; addr: string; flags?: number }): number[] {
  const hasKey = o.hasKey ?? (o.key ? 1 : 0);
  return [
    ...i32le(o.id),
    ...u8(hasKey),
    ...(o.key ? [...o.key] : []),
    ...i64le(o.salt ?? 0n),
    ...i32le(o.off ?? 0),
    ...str8(o.addr),
    ...(o.flags === undefined ? [] : u8(o.flags)),
  ];
}

const state = (pts: number, qts: number, date: number, seq: number): number[] => [...i32le(pts), ...i32le(qts), ...i32le(date), ...i32le(seq)];


describe('legacy v1 (no version byte)', () => {
  it('reads home DC from the first four LE bytes, then DCs without flags, then stops', () => {
    const b = bytes(i32le(1), u8(1), dcBytes({ id: 1, key: KEY, salt: -5n, off: -30, addr: '149.154.175.53:443' }), ascii('trailing junk'));
    const { session, version } = decodeFerogramBinary(b);
    expect(version).toBe(1);
    expect(session.homeDc).toBe(1);
    expect(session.dcs).toHaveLength(1);
    const dc = session.dcs[0]!;
    expect([dc.id, dc.address, dc.port, dc.salt, dc.timeOffset, dc.ipv6]).toEqual([1, '149.154.175.53', 443, -5n, -30, false]);
    expect(Buffer.from(dc.authKey!).equals(Buffer.from(KEY))).toBe(true);
    expect(session.peers).toEqual([]);
    expect(session.updates.pts).toBe(0);
  });

  it('any first byte outside 2..8 is legacy: home DC 0, 9, 0x0301 (first byte 1)', () => {
    for (const home of [0, 9, 0x0301, 203]) {
      const r = decodeFerogramBinary(bytes(i32le(home), u8(0)));
      expect([r.version, r.session.homeDc]).toEqual([1, home]);
    }
  });

  it('the v1 ambiguity: a v1 file with home DC 2..5 is read as that version and fails as truncated', () => {
    // Home 2, one keyless DC: as v2 the bytes give home 0x01000000, dc_count 2 and then an
    // address length of 0x31 ('1') with 10 bytes left.
    const one = bytes(i32le(2), u8(1), dcBytes({ id: 2, addr: '1.2.3.4:443' }));
    expect(codeOf(() => decodeFerogramBinary(one))).toBe('truncated');
    for (const home of [2, 3, 4, 5]) {
      expect(codeOf(() => decodeFerogramBinary(bytes(i32le(home), u8(0))))).toBe('truncated');
    }
  });

  it('empty input is truncated', () => expect(codeOf(() => decodeFerogramBinary(new Uint8Array()))).toBe('truncated'));
});

describe('versioned layouts v2..v8, hand-built byte by byte', () => {
  const peersV2 = [
    [...i64le(10n), ...i64le(1111n), ...u8(0)], // user
    [...i64le(20n), ...i64le(2222n), ...u8(1)], // channel with hash
    [...i64le(30n), ...i64le(0n), ...u8(1)], // channel without hash = min channel
  ];

  it('v2: DCs without flags, state, channel pts, peers type 0/1, nothing more', () => {
    const b = bytes(
      u8(2), i32le(4),
      u8(1), dcBytes({ id: 4, key: KEY, salt: 0x7fff_ffff_ffff_ffffn, off: -7, addr: '[2001:b28:f23d:f001::a]:443' }),
      state(100, 5, 1_700_000_000, 42),
      u16le(2), i64le(1_234_567_890n), i32le(77), i64le(5n), i32le(-1),
      u16le(3), ...peersV2,
    );
    const { session: s, version } = decodeFerogramBinary(b);
    expect(version).toBe(2);
    expect(s.homeDc).toBe(4);
    const dc = s.dcs[0]!;
    expect([dc.address, dc.port, dc.salt, dc.timeOffset]).toEqual(['2001:b28:f23d:f001::a', 443, 0x7fff_ffff_ffff_ffffn, -7]);
    // No flags byte before v3: ferogram's flags are empty, so not marked IPv6 even for a bracketed address.
    expect([dc.ipv6, dc.mediaOnly, dc.cdn]).toEqual([false, false, false]);
    expect([s.updates.pts, s.updates.qts, s.updates.date, s.updates.seq]).toEqual([100, 5, 1_700_000_000, 42]);
    expect([...s.updates.channels]).toEqual([[1_234_567_890n, 77], [5n, -1]]);
    expect(s.peers.map((p) => [p.id, p.kind, p.accessHash])).toEqual([[10n, 'user', 1111n], [20n, 'channel', 2222n], [30n, 'min-channel', 0n]]);
    expect(s.minPeers).toEqual([]);
    expect(s.futureAuthToken).toBeUndefined();
  });

  it('v2 ends after the peers: a v2 file cut there is complete', () => {
    expect(decodeFerogramBinary(bytes(u8(2), i32le(1), u8(0), state(0, 0, 0, 0), u16le(0), u16le(0))).version).toBe(2);
  });

  it('v3: per-DC flags byte (every flag bit)', () => {
    const b = bytes(
      u8(3), i32le(2), u8(3),
      dcBytes({ id: 2, addr: '149.154.167.51:443', flags: 0 }),
      dcBytes({ id: 2, addr: '[2001:67c:4e8:f002::a]:443', flags: 1 | 2 }),
      dcBytes({ id: 203, addr: '91.105.192.100:443', flags: 4 | 8 | 16 }),
      state(0, 0, 0, 0), u16le(0), u16le(0),
    );
    const { session: s, version } = decodeFerogramBinary(b);
    expect(version).toBe(3);
    const f = s.dcs.map((d) => [d.id, d.ipv6, d.mediaOnly, d.tcpoOnly, d.cdn, d.static]);
    expect(f).toEqual([[2, false, false, false, false, false], [2, true, true, false, false, false], [203, false, false, true, true, true]]);
  });

  for (const v of [4, 5]) {
    it(`v${v}: + min peers${v === 5 ? ' (same bytes as v4; peer type 2 = chat)' : ''}`, () => {
      const b = bytes(
        u8(v), i32le(5), u8(0), state(1, 2, 3, 4), u16le(0),
        u16le(2), i64le(40n), i64le(0n), u8(2), i64le(50n), i64le(-9n), u8(0),
        u16le(1), i64le(777n), i64le(888n), i32le(999),
      );
      const { session: s, version } = decodeFerogramBinary(b);
      expect(version).toBe(v);
      expect(s.peers.map((p) => [p.id, p.kind, p.accessHash])).toEqual([[40n, 'chat', 0n], [50n, 'user', -9n]]);
      expect(s.minPeers).toEqual([{ userId: 777n, peerId: 888n, msgId: 999 }]);
    });
  }

  it('v6: + channel_kind (0 broadcast, 1 megagroup, 2 gigagroup, 0xFF and unknown = none)', () => {
    const peerV6 = (id: bigint, type: number, kind: number) => [...i64le(id), ...i64le(100n + id), ...u8(type), ...u8(kind)];
    const b = bytes(
      u8(6), i32le(1), u8(0), state(0, 0, 0, 0), u16le(0),
      u16le(6), peerV6(1n, 1, 0), peerV6(2n, 1, 1), peerV6(3n, 1, 2), peerV6(4n, 1, 0xff), peerV6(5n, 1, 9), peerV6(6n, 7, 0xff),
      u16le(0),
    );
    const { session: s, version } = decodeFerogramBinary(b);
    expect(version).toBe(6);
    expect(s.peers.map((p) => p.kind)).toEqual(['channel', 'megagroup', 'gigagroup', 'channel', 'channel', 'user']);
  });

  it('v7: + future auth token (absent and present)', () => {
    const head = [u8(7), i32le(2), u8(0), state(0, 0, 0, 0), u16le(0), u16le(0), u16le(0)];
    expect(decodeFerogramBinary(bytes(...head, u8(0))).session.futureAuthToken).toBeUndefined();
    const withToken = decodeFerogramBinary(bytes(...head, u8(1), u16le(3), [9, 8, 7]));
    expect(withToken.version).toBe(7);
    expect([...withToken.session.futureAuthToken!]).toEqual([9, 8, 7]);
    // has_token other than 1 means none.
    expect(decodeFerogramBinary(bytes(...head, u8(2))).session.futureAuthToken).toBeUndefined();
  });

  it('v8: + is_community (any non-zero byte), which wins over every other flag', () => {
    const peerV8 = (id: bigint, hash: bigint, type: number, kind: number, comm: number) => [...i64le(id), ...i64le(hash), ...u8(type), ...u8(kind), ...u8(comm)];
    const b = bytes(
      u8(8), i32le(3), u8(0), state(0, 0, 0, 0), u16le(0),
      u16le(4), peerV8(1n, 5n, 0, 0xff, 1), peerV8(2n, 5n, 1, 1, 7), peerV8(3n, 0n, 2, 0xff, 1), peerV8(4n, 6n, 1, 1, 0),
      u16le(0), u8(0),
    );
    const { session: s, version } = decodeFerogramBinary(b);
    expect(version).toBe(8);
    expect(s.peers.map((p) => p.kind)).toEqual(['community', 'community', 'community', 'megagroup']);
  });

  it('has_key other than 1 consumes no key bytes', () => {
    const b = bytes(u8(8), i32le(1), u8(1), dcBytes({ id: 1, hasKey: 2, addr: '1.1.1.1:443', flags: 0 }), state(0, 0, 0, 0), u16le(0), u16le(0), u16le(0), u8(0));
    const s = decodeFerogramBinary(b).session;
    expect(s.dcs[0]!.authKey).toBeUndefined();
    expect(s.dcs[0]!.address).toBe('1.1.1.1');
  });

  it('trailing bytes after a complete v8 file are ignored', () => {
    const b = bytes(u8(8), i32le(1), u8(0), state(0, 0, 0, 0), u16le(0), u16le(0), u16le(0), u8(0), [1, 2, 3]);
    expect(decodeFerogramBinary(b).session.homeDc).toBe(1);
  });

  it('sniff accepts version bytes 2..8 only', () => {
    expect(ferogramBinary.sniff(bytes(u8(8), i32le(0)))).toBe(true);
    expect(ferogramBinary.sniff(bytes(u8(1), i32le(0)))).toBe(false);
    expect(ferogramBinary.sniff(bytes(u8(9), i32le(0)))).toBe(false);
  });
});

describe('v8 round trip', () => {
  it('every peer kind, DC flags, salts, negative offsets, future token', () => {
    const s = fullSession();
    const back = decodeFerogramBinary(encodeFerogramBinary(s));
    expect(back.version).toBe(8);
    expect(sameSession(back.session, s)).toBe(true);
  });

  it('a bot is stored as a user and reads back as a user', () => {
    const s = emptySession();
    s.peers = [peer(99n, 'bot', 5n)];
    expect(decodeFerogramBinary(encodeFerogramBinary(s)).session.peers[0]!.kind).toBe('user');
  });

  it('covers every kind in PEER_KINDS', () => {
    expect(new Set([...fullSession().peers.map((p) => p.kind), 'bot'])).toEqual(new Set(PEER_KINDS));
  });

  it('v8 layout matches the spec byte by byte for a one-DC, one-peer session', () => {
    const s = emptySession();
    s.homeDc = 1;
    s.dcs = [makeDc({ id: 1, address: '149.154.175.53', port: 443, salt: 3n, timeOffset: -2 })];
    s.peers = [peer(8n, 'megagroup', 9n)];
    const want = bytes(
      u8(8), i32le(1), u8(1), dcBytes({ id: 1, salt: 3n, off: -2, addr: '149.154.175.53:443', flags: 0 }),
      state(0, 0, 0, 0), u16le(0), u16le(1), i64le(8n), i64le(9n), u8(1), u8(1), u8(0), u16le(0), u8(0),
    );
    expect(Buffer.from(encodeFerogramBinary(s)).equals(Buffer.from(want))).toBe(true);
  });
});

describe('strictness', () => {
  it('every truncation point of a valid v8 file is a SessionError truncated/malformed', () => {
    const full = encodeFerogramBinary(fullSession());
    for (let n = 0; n < full.length; n++) {
      expect(['truncated', 'malformed']).toContain(codeOf(() => decodeFerogramBinary(full.subarray(0, n))));
    }
  });

  it('random bytes never throw anything but SessionError', () => {
    const versioned = fc.tuple(fc.integer({ min: 0, max: 10 }), fc.uint8Array({ maxLength: 400 })).map(([v, rest]) => new Uint8Array([v, ...rest]));
    const prop = fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), versioned), (b) => codeOf(() => decodeFerogramBinary(b)) !== 'not a SessionError');
    expect(() => fc.assert(prop, { numRuns: 3000, seed: 20240601 })).not.toThrow();
  });
});

describe('writer refuses what would wrap (too-large)', () => {
  const base = () => emptySession();
  const cases: [string, (s: Session) => void][] = [
    ['256 DCs', (s) => { s.dcs = Array.from({ length: 256 }, (_, i) => makeDc({ id: i, address: '1.1.1.1', port: 443 })); }],
    ['a 256-byte address', (s) => { s.dcs = [makeDc({ id: 1, address: 'h'.repeat(252), port: 443 })]; }],
    ['65536 channels', (s) => { s.updates.channels = new Map(Array.from({ length: 65536 }, (_, i) => [BigInt(i), 1])); }],
    ['65536 peers', (s) => { s.peers = Array.from({ length: 65536 }, (_, i) => peer(BigInt(i), 'user', 1n)); }],
    ['65536 min peers', (s) => { s.minPeers = Array.from({ length: 65536 }, (_, i) => ({ userId: BigInt(i), peerId: 1n, msgId: 1 })); }],
    ['a 65536-byte token', (s) => { s.futureAuthToken = new Uint8Array(65536); }],
  ];
  it.each(cases)('%s', (_what, fill) => {
    const s = base();
    fill(s);
    expect(codeOf(() => encodeFerogramBinary(s))).toBe('too-large');
  });

  it('the limits themselves still fit: 255 DCs, 255-byte address, 65535 peers', () => {
    const s = base();
    s.dcs = Array.from({ length: 255 }, (_, i) => makeDc({ id: i, address: i === 0 ? 'h'.repeat(251) : '1.1.1.1', port: 443 }));
    s.peers = Array.from({ length: 65535 }, (_, i) => peer(BigInt(i), 'user', 1n));
    const back = decodeFerogramBinary(encodeFerogramBinary(s)).session;
    expect(back.dcs).toHaveLength(255);
    expect(back.dcs[0]!.address).toHaveLength(251);
    expect(back.peers).toHaveLength(65535);
  });

  it('an auth key that is not 256 bytes is refused', () => {
    const s = base();
    s.dcs = [makeDc({ id: 1, address: '1.1.1.1', port: 443, authKey: new Uint8Array(255) })];
    expect(codeOf(() => encodeFerogramBinary(s))).toBe('malformed');
  });
});
