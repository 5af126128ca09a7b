/** Sessions for tests: deterministic, covering every field and peer kind of the model. */
import { createHash } from 'node:crypto';
import type { Peer, PeerKind, Session } from '../../electron/core/model/session.js';
import { PEER_KINDS, emptySession, makeDc } from '../../electron/core/model/session.js';

/** A deterministic 256-byte auth key (SHA-256 chain), different per seed. */
export function fakeKey(seed: number): Uint8Array {
  const out = new Uint8Array(256);
  let block = createHash('sha256').update(`key-${seed}`).digest();
  for (let i = 0; i < 8; i++) {
    out.set(block, i * 32);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** A session with one DC (DC 2, its home) holding `fakeKey(seed)`, and the user id when given. */
export function oneDcSession(seed: number, userId?: bigint): Session {
  const s: Session = { ...emptySession(), homeDc: 2, dcs: [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: fakeKey(seed) })] };
  if (userId !== undefined) s.user = { id: userId };
  return s;
}

const PEER_ID_BASE: Record<PeerKind, bigint> = {
  user: 100_000_000n,
  bot: 200_000_000n,
  chat: 300_000_000n,
  channel: 1_400_000_000n,
  megagroup: 1_500_000_000n,
  gigagroup: 1_600_000_000n,
  community: 1_700_000_000n,
  'min-channel': 1_800_000_000n,
};

export function peerOf(kind: PeerKind, n: number, opts: { extras?: boolean } = {}): Peer {
  const id = PEER_ID_BASE[kind] + BigInt(n);
  const hashless = kind === 'chat' || kind === 'min-channel';
  const p: Peer = {
    id,
    kind,
    accessHash: hashless ? 0n : -(0x7123456789abcdefn - BigInt(n) * 7919n),
    usernames: [],
  };
  if (opts.extras) {
    if (kind !== 'chat' && kind !== 'min-channel') p.usernames = [`${kind.replace('-', '')}_${n}`];
    if (kind === 'user') p.phone = `4470000${String(n).padStart(4, '0')}`;
    p.name = `${kind} ${n}`;
    p.seenAt = 1_700_000_000 + n;
  }
  return p;
}

/** Everything the model can hold, filled. */
export function fullSession(): Session {
  const s = emptySession();
  s.homeDc = 2;
  s.dcs = [
    makeDc({ id: 1, address: '149.154.175.53', port: 443, authKey: fakeKey(1), salt: 1234567890123n, timeOffset: -3 }),
    makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: fakeKey(2), salt: -987654321n, timeOffset: 5 }),
    makeDc({ id: 2, address: '2001:67c:4e8:f002::a', port: 443, ipv6: true, authKey: fakeKey(2) }),
    makeDc({ id: 4, address: '149.154.167.91', port: 443, authKey: fakeKey(4) }),
    makeDc({ id: 4, address: '149.154.167.92', port: 443, mediaOnly: true, authKey: fakeKey(40) }),
    makeDc({ id: 5, address: '91.108.56.130', port: 443 }),
  ];
  s.user = { id: 777_000_123n, isBot: false };
  s.testMode = false;
  s.apiId = 611335;
  s.takeoutId = 5_555_555_555n;
  s.updates = {
    pts: 1200,
    qts: 33,
    date: 1_731_000_000,
    seq: 77,
    channels: new Map([
      [1_400_000_001n, 501],
      [1_500_000_002n, 9001],
    ]),
  };
  s.peers = PEER_KINDS.flatMap((k) => [peerOf(k, 1, { extras: true }), peerOf(k, 2, { extras: true })]);
  s.peers.push({ ...peerOf('user', 3, { extras: true }), usernames: ['first_name', 'second_name'] });
  s.minPeers = [{ userId: 100_000_009n, peerId: -1_001_400_000_001n, msgId: 42 }];
  s.futureAuthToken = new Uint8Array([9, 8, 7, 6, 5]);
  return s;
}
