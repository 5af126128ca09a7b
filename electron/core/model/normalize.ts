/**
 * Content equality: formats store DCs and peers in hash-map order, so sessions are compared
 * after sorting. `normalizeSession` returns a plain, JSON-safe, order-independent object.
 */
import { toHex } from '../bytes.js';
import type { Session } from './session.js';
import { dcPublicFields } from './session.js';

const cmpBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

export function normalizeSession(s: Session): unknown {
  return {
    homeDc: s.homeDc,
    user: s.user ? { id: s.user.id.toString(), isBot: s.user.isBot ?? null } : null,
    testMode: s.testMode ?? null,
    apiId: s.apiId ?? null,
    takeoutId: s.takeoutId?.toString() ?? null,
    seqNo: s.seqNo ?? null,
    layer: s.layer ?? null,
    dcs: [...s.dcs]
      // dcPublicFields fixes the key order: spreading a DC would depend on each codec's order.
      .map((d) => ({ ...dcPublicFields(d), authKey: d.authKey ? toHex(d.authKey) : null }))
      .sort((a, b) => a.id - b.id || Number(a.ipv6) - Number(b.ipv6) || Number(a.mediaOnly) - Number(b.mediaOnly) || a.address.localeCompare(b.address)),
    updates: {
      pts: s.updates.pts,
      qts: s.updates.qts,
      date: s.updates.date,
      seq: s.updates.seq,
      channels: [...s.updates.channels.entries()]
        .sort((a, b) => cmpBig(a[0], b[0]))
        .map(([id, pts]) => [id.toString(), pts]),
    },
    peers: [...s.peers]
      .sort((a, b) => cmpBig(a.id, b.id) || a.kind.localeCompare(b.kind))
      .map((p) => ({
        id: p.id.toString(),
        kind: p.kind,
        accessHash: p.accessHash.toString(),
        usernames: p.usernames,
        phone: p.phone ?? null,
        name: p.name ?? null,
        seenAt: p.seenAt ?? null,
      })),
    minPeers: [...s.minPeers]
      .sort((a, b) => cmpBig(a.userId, b.userId))
      .map((m) => ({ userId: m.userId.toString(), peerId: m.peerId.toString(), msgId: m.msgId })),
    futureAuthToken: s.futureAuthToken ? toHex(s.futureAuthToken) : null,
  };
}

export function sameSession(a: Session, b: Session): boolean {
  return JSON.stringify(normalizeSession(a)) === JSON.stringify(normalizeSession(b));
}
