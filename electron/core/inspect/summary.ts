/** The model → the JSON shape `inspect --json` prints and the UI shows (shared/dto.ts). */
import type { PeerCounts, PeerRow, SessionSummary } from '../../../shared/dto.js';
import type { ReadResult } from '../formats/types.js';
import { authKeyId } from '../model/fingerprint.js';
import { markId } from '../model/peer-id.js';
import type { Peer, PeerKind } from '../model/session.js';
import { dcPublicFields } from '../model/session.js';

export const COUNT_KEY: Record<PeerKind, keyof PeerCounts> = {
  user: 'users',
  bot: 'bots',
  chat: 'chats',
  channel: 'channels',
  megagroup: 'megagroups',
  gigagroup: 'gigagroups',
  community: 'communities',
  'min-channel': 'min',
};

export function zeroCounts(): PeerCounts {
  return { total: 0, users: 0, bots: 0, chats: 0, channels: 0, megagroups: 0, gigagroups: 0, communities: 0, min: 0 };
}

export function countPeers(peers: Iterable<Peer>): PeerCounts {
  const c = zeroCounts();
  for (const p of peers) {
    c.total++;
    c[COUNT_KEY[p.kind]]++;
  }
  return c;
}

export function peerRow(p: Peer): PeerRow {
  return {
    id: p.id.toString(),
    markedId: markId(p.id, p.kind).toString(),
    accessHash: p.accessHash.toString(),
    kind: p.kind,
    username: p.usernames[0] ?? null,
    usernames: p.usernames,
    phone: p.phone ?? null,
    name: p.name ?? null,
  };
}

export function summarize(r: ReadResult): SessionSummary {
  const s = r.session;
  const summary: SessionSummary = {
    format: r.format,
    formatVersion: r.formatVersion,
    homeDc: s.homeDc === 0 ? null : s.homeDc,
    testMode: s.testMode ?? null,
    apiId: s.apiId ?? null,
    takeoutId: s.takeoutId?.toString() ?? null,
    user: s.user ? { id: s.user.id.toString(), isBot: s.user.isBot ?? null } : null,
    dcs: s.dcs.map((d) => ({ ...dcPublicFields(d), home: d.id === s.homeDc, authKeyId: authKeyId(d.authKey) })),
    updates: {
      pts: s.updates.pts,
      qts: s.updates.qts,
      date: s.updates.date,
      seq: s.updates.seq,
      channels: [...s.updates.channels].map(([id, pts]) => ({ id: id.toString(), pts })),
    },
    peers: countPeers(s.peers),
    minPeers: s.minPeers.length,
    hasFutureAuthToken: s.futureAuthToken !== undefined,
    warnings: r.warnings,
    inferences: r.inferences ?? [],
  };
  return summary;
}
