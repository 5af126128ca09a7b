/** Sessions shared by the ferogram codec, backend and store tests. */
import type { Peer, PeerKind, Session } from '../../electron/core/model/session.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { testKey } from './le-bytes.js';

export function peer(id: bigint, kind: PeerKind, accessHash: bigint): Peer {
  return { id, kind, accessHash, usernames: [] };
}

/** A session using every field ferogram keeps. */
export function fullSession(): Session {
  const s = emptySession();
  s.homeDc = 2;
  s.dcs = [
    makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: testKey(2), salt: -0x1234_5678_9abc_def0n, timeOffset: -3600 }),
    makeDc({ id: 2, address: '2001:67c:4e8:f002::a', port: 443, ipv6: true, mediaOnly: true, salt: 1n, timeOffset: 12 }),
    makeDc({ id: 4, address: '149.154.167.91', port: 443, cdn: true, tcpoOnly: true, static: true, authKey: testKey(4) }),
  ];
  s.updates = { pts: 123_456, qts: -1, date: 1_700_000_000, seq: 2_147_483_647, channels: new Map([[1_000_000_001n, 55], [9_223_372_036_854_775_807n, 1]]) };
  s.peers = [
    peer(1n, 'user', -1n),
    peer(2n, 'chat', 0n),
    peer(3n, 'channel', 0x7fff_ffff_ffff_ffffn),
    peer(4n, 'megagroup', -0x8000_0000_0000_0000n),
    peer(5n, 'gigagroup', 42n),
    peer(6n, 'community', 43n),
    peer(7n, 'min-channel', 0n),
  ];
  s.minPeers = [{ userId: 11n, peerId: -100n, msgId: 2_000_000_000 }];
  s.futureAuthToken = new Uint8Array([0, 255, 1, 254]);
  return s;
}

