/**
 * fast-check generators of sessions as real libraries hold them: DC addresses from Telegram's
 * own tables (formats that store only a DC id derive the address from there), marked-id
 * ranges respected (basic chats and channels below 10^12), usernames as Telegram allows them.
 * Shared by the property tests and the fuzzer (which mutates encodings of these sessions).
 */
import fc from 'fast-check';
import type { Capabilities } from '../../electron/core/formats/types.js';
import type { DcEntry, MinPeer, Peer, PeerKind, Session } from '../../electron/core/model/session.js';
import { PEER_KINDS, emptySession, homeDcEntry, makeDc } from '../../electron/core/model/session.js';
import { PRODUCTION_DCS, PRODUCTION_PORT, TEST_DCS, TEST_PORT, testModeFromAddress } from '../../electron/core/model/dc-table.js';

const i32 = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
const nonNegI32 = fc.integer({ min: 0, max: 0x7fff_ffff });
const i64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
/** Positive ids as Telegram hands them out; channels and chats stay below 10^12 (marked-id room). */
const userId = fc.bigInt({ min: 1n, max: (1n << 52n) - 1n });
const groupId = fc.bigInt({ min: 1n, max: 999_999_999_999n });
const authKey = fc.uint8Array({ minLength: 256, maxLength: 256 }).filter((k) => k.some((b) => b !== 0));
/** Telegram usernames: a letter, then letters, digits and underscores; 5–32 characters, lower case. */
const username = fc.stringMatching(/^[a-z][a-z0-9_]{3,30}[a-z0-9]$/);
const phone = fc.stringMatching(/^[1-9][0-9]{6,14}$/);
const peerName = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme-ascii' }).filter((s) => s.trim() === s && s.length > 0);
/** Six-character IPv6 literals are enough to exercise the IPv6 paths of every codec. */
const IPV6: Readonly<Record<number, string>> = {
  1: '2001:b28:f23d:f001::a',
  2: '2001:67c:4e8:f002::a',
  3: '2001:b28:f23d:f003::a',
  4: '2001:67c:4e8:f004::a',
  5: '2001:b28:f23f:f005::a',
};

interface DcShape {
  id: number;
  key: Uint8Array | null;
  salt: bigint;
  timeOffset: number;
  ipv6: boolean;
  media: boolean;
  cdn: boolean;
  tcpoOnly: boolean;
  static: boolean;
}

const dcShape = (ids: number[]) =>
  fc.record({
    id: fc.constantFrom(...ids),
    key: fc.option(authKey, { nil: null }),
    salt: i64,
    timeOffset: i32,
    ipv6: fc.boolean(),
    media: fc.boolean(),
    cdn: fc.boolean(),
    tcpoOnly: fc.boolean(),
    static: fc.boolean(),
  });

function dcOf(d: DcShape, testMode: boolean): DcEntry {
  const table = testMode ? TEST_DCS : PRODUCTION_DCS;
  const v6 = d.ipv6 && IPV6[d.id] !== undefined;
  return makeDc({
    id: d.id,
    address: v6 ? IPV6[d.id]! : table[d.id]!,
    port: testMode ? TEST_PORT : PRODUCTION_PORT,
    ipv6: v6,
    mediaOnly: d.media,
    cdn: d.cdn,
    tcpoOnly: d.tcpoOnly,
    static: d.static,
    ...(d.key ? { authKey: d.key } : {}),
    salt: d.salt,
    timeOffset: d.timeOffset,
  });
}

const peerArb: fc.Arbitrary<Peer> = fc
  .record({
    kind: fc.constantFrom(...PEER_KINDS),
    userId,
    groupId,
    accessHash: i64.filter((h) => h !== 0n),
    usernames: fc.array(username, { maxLength: 3 }),
    phone: fc.option(phone, { nil: undefined }),
    name: fc.option(peerName, { nil: undefined }),
    seenAt: fc.option(fc.integer({ min: 1, max: 2_000_000_000 }), { nil: undefined }),
  })
  .map((r) => {
    const kind: PeerKind = r.kind;
    const userLike = kind === 'user' || kind === 'bot';
    const hashless = kind === 'chat' || kind === 'min-channel';
    const p: Peer = {
      id: userLike ? r.userId : r.groupId,
      kind,
      accessHash: hashless ? 0n : r.accessHash,
      usernames: hashless ? [] : [...new Set(r.usernames)],
    };
    if (userLike && r.phone !== undefined) p.phone = r.phone;
    if (r.name !== undefined) p.name = r.name;
    if (r.seenAt !== undefined) p.seenAt = r.seenAt;
    return p;
  });

const minPeerArb: fc.Arbitrary<MinPeer> = fc.record({
  userId,
  peerId: fc.bigInt({ min: -1_999_999_999_999n, max: -1n }),
  msgId: fc.integer({ min: 1, max: 0x7fff_ffff }),
});

/** Any session the model can hold with realistic values; every optional field sometimes absent. */
export const sessionArb: fc.Arbitrary<Session> = fc
  .record({
    testMode: fc.option(fc.boolean(), { nil: undefined }),
    home: fc.integer({ min: 1, max: 5 }),
    dcs: fc.array(dcShape([1, 2, 3, 4, 5]), { maxLength: 6 }),
    homeKey: fc.option(authKey, { nil: null }),
    user: fc.option(fc.record({ id: userId, isBot: fc.option(fc.boolean(), { nil: undefined }) }), { nil: undefined }),
    apiId: fc.option(fc.integer({ min: 1, max: 0x7fff_ffff }), { nil: undefined }),
    takeoutId: fc.option(fc.bigInt({ min: 1n, max: (1n << 62n) - 1n }), { nil: undefined }),
    updates: fc.record({ pts: nonNegI32, qts: nonNegI32, date: nonNegI32, seq: nonNegI32 }),
    channels: fc.array(fc.tuple(groupId, nonNegI32), { maxLength: 5 }),
    peers: fc.array(peerArb, { maxLength: 12 }),
    minPeers: fc.array(minPeerArb, { maxLength: 3 }),
    futureAuthToken: fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { nil: undefined }),
  })
  .map((r) => {
    const s = emptySession();
    const test = r.testMode === true;
    // Test DCs exist for ids 1–3 only.
    const ok = (id: number) => !test || TEST_DCS[id] !== undefined;
    s.homeDc = ok(r.home) ? r.home : 2;
    const main = dcOf({ id: s.homeDc, key: r.homeKey, salt: 0n, timeOffset: 0, ipv6: false, media: false, cdn: false, tcpoOnly: false, static: false }, test);
    // An IPv6 entry comes with the IPv4 one: clients learn both from the same DC option list.
    const rest = r.dcs.filter((d) => ok(d.id)).flatMap((d) => (d.ipv6 ? [dcOf({ ...d, ipv6: false }, test), dcOf(d, test)] : [dcOf(d, test)]));
    // One entry per (id, family, media role): libraries key their DC tables that way.
    const seen = new Set([`${main.id}:${main.ipv6}:${main.mediaOnly}`]);
    s.dcs = [main, ...rest.filter((d) => !seen.has(`${d.id}:${d.ipv6}:${d.mediaOnly}`) && seen.add(`${d.id}:${d.ipv6}:${d.mediaOnly}`))];
    // An auth key belongs to a DC id: every entry (IPv6, media) of one DC shares it.
    const keyOf = new Map<number, Uint8Array | undefined>();
    for (const d of s.dcs) {
      if (!keyOf.has(d.id)) keyOf.set(d.id, d.authKey);
      const key = keyOf.get(d.id);
      if (key) d.authKey = key;
      else delete d.authKey;
    }
    if (r.testMode !== undefined) s.testMode = r.testMode;
    if (r.user) s.user = r.user.isBot === undefined ? { id: r.user.id } : { id: r.user.id, isBot: r.user.isBot };
    if (r.apiId !== undefined) s.apiId = r.apiId;
    if (r.takeoutId !== undefined) s.takeoutId = r.takeoutId;
    s.updates = { ...r.updates, channels: new Map(r.channels) };
    // One peer per id: ferogram keys its cache by bare id, the others by marked id.
    const byKey = new Map<string, Peer>();
    for (const p of r.peers) byKey.set(p.id.toString(), p);
    s.peers = [...byKey.values()];
    s.minPeers = [...new Map(r.minPeers.map((m) => [m.userId, m])).values()];
    if (r.futureAuthToken) s.futureAuthToken = r.futureAuthToken;
    return s;
  });

/**
 * Fills what a format cannot be written without, as the converter would (asking the user, or
 * settling test mode from the DC table): its `requires`, the bot flag where it stores one
 * with the user, test mode where it stores it, and a home key where keyless DCs are not kept
 * (such a format has no way to name a home DC without its key).
 */
export function withRequired(s: Session, caps: Capabilities): Session {
  const out: Session = { ...s, dcs: s.dcs.map((d) => ({ ...d })) };
  const needs = new Set<string>(caps.requires);
  if (!caps.keylessDcs) needs.add('authKey');
  if (needs.has('user') && !out.user) out.user = { id: 777_000_123n };
  if ((needs.has('isBot') || caps.user === 'id-and-bot') && out.user && out.user.isBot === undefined) {
    out.user = { ...out.user, isBot: false };
  }
  if (needs.has('apiId') && out.apiId === undefined) out.apiId = 611335;
  const home = homeDcEntry(out);
  if (needs.has('authKey') && home && !home.authKey) {
    const key = new Uint8Array(256).fill(7);
    for (const d of out.dcs) if (d.id === home.id) d.authKey = key;
  }
  if (caps.testMode && out.testMode === undefined && home) out.testMode = testModeFromAddress(home.address);
  return out;
}
