/**
 * What a target format keeps of a session: `projectSession` returns the session the target
 * will hold plus one loss line per dropped field, with counts. Re-reading a written file must
 * give exactly the projected session (the conversion matrix test checks that).
 */
import type { DcEntry, Peer, PeerKind, Session } from '../model/session.js';
import type { Capabilities } from '../formats/types.js';

export interface Loss {
  field: string;
  /** How many items were dropped or changed (1 for a single field). */
  count: number;
  text: string;
}

/** A kind the target lacks is written as the nearest kind it has, else dropped. */
const FALLBACK: Partial<Record<PeerKind, PeerKind[]>> = {
  bot: ['user'],
  megagroup: ['channel'],
  gigagroup: ['megagroup', 'channel'],
};

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function pickDcs(dcs: DcEntry[], homeDc: number, caps: Capabilities): DcEntry[] {
  const mediaOk = (d: DcEntry) => !d.mediaOnly || caps.mediaDcs === true || (caps.mediaDcs === 'home' && d.id === homeDc);
  let kept = dcs.filter((d) => (caps.keylessDcs || d.authKey !== undefined) && mediaOk(d));
  if (caps.dcs === 'home') kept = kept.filter((d) => d.id === homeDc);
  if (caps.dcs !== 'all') {
    // One entry per DC id (and per media role where media DCs are kept), IPv4 preferred.
    const byKey = new Map<string, DcEntry>();
    for (const d of kept) {
      const key = `${d.id}:${d.mediaOnly}`;
      const have = byKey.get(key);
      if (!have || (have.ipv6 && !d.ipv6)) byKey.set(key, d);
    }
    kept = [...byKey.values()];
  }
  return kept.map((d) => ({
    ...d,
    salt: caps.salt ? d.salt : 0n,
    timeOffset: caps.timeOffset ? d.timeOffset : 0,
    ...(caps.dcFlags ? {} : { cdn: false, tcpoOnly: false, static: false }),
  }));
}

function mapKind(kind: PeerKind, caps: Capabilities): PeerKind | undefined {
  if (caps.peerKinds.includes(kind)) return kind;
  return FALLBACK[kind]?.find((k) => caps.peerKinds.includes(k));
}

export function projectSession(s: Session, caps: Capabilities, target: string): { session: Session; losses: Loss[] } {
  const losses: Loss[] = [];
  const lose = (field: string, count: number, text: string) => {
    if (count > 0) losses.push({ field, count, text });
  };

  const dcs = pickDcs(s.dcs, s.homeDc, caps);
  lose('dcs', s.dcs.length - dcs.length, `${plural(s.dcs.length - dcs.length, 'DC entry', 'DC entries')} dropped: ${target} keeps ${describeDcs(caps)}`);
  if (!caps.salt) lose('salt', s.dcs.filter((d) => d.salt !== 0n && dcs.some((k) => k.id === d.id)).length, `server salts dropped: ${target} does not store them`);
  if (!caps.timeOffset) lose('timeOffset', s.dcs.filter((d) => d.timeOffset !== 0 && dcs.some((k) => k.id === d.id)).length, `time offsets dropped: ${target} does not store them`);

  const out: Session = { homeDc: s.homeDc, dcs, updates: { pts: 0, qts: 0, date: 0, seq: 0, channels: new Map() }, peers: [], minPeers: [] };

  if (s.user) {
    if (caps.user === 'none') lose('user', 1, `own user id dropped: ${target} does not store it`);
    else {
      out.user = caps.user === 'id-and-bot' ? { ...s.user } : { id: s.user.id };
      if (caps.user === 'id' && s.user.isBot !== undefined) lose('isBot', 1, `bot flag dropped: ${target} does not store it`);
    }
  }
  if (s.testMode !== undefined) {
    if (caps.testMode) out.testMode = s.testMode;
    else if (s.testMode) lose('testMode', 1, `test mode dropped: ${target} does not store it`);
  }
  if (s.apiId !== undefined) {
    if (caps.apiId) out.apiId = s.apiId;
    else lose('apiId', 1, `api_id dropped: ${target} does not store it`);
  }
  if (s.takeoutId !== undefined) {
    if (caps.takeoutId) out.takeoutId = s.takeoutId;
    else lose('takeoutId', 1, `takeout id dropped: ${target} does not store it`);
  }
  if (s.futureAuthToken) {
    if (caps.futureAuthToken) out.futureAuthToken = s.futureAuthToken;
    else lose('futureAuthToken', 1, `future auth token dropped: ${target} does not store it`);
  }
  if (caps.seqNoAndLayer) {
    if (s.seqNo !== undefined) out.seqNo = s.seqNo;
    if (s.layer !== undefined) out.layer = s.layer;
  }

  const u = s.updates;
  const hasState = u.pts !== 0 || u.qts !== 0 || u.date !== 0 || u.seq !== 0;
  if (caps.updates) out.updates = { ...u, channels: new Map() };
  else lose('updates', hasState ? 1 : 0, `update state dropped: ${target} has no place for it`);
  if (caps.channelPts) out.updates.channels = new Map(u.channels);
  else lose('channelPts', u.channels.size, `${plural(u.channels.size, 'channel pts entry', 'channel pts entries')} dropped: ${target} has no place for them`);

  if (caps.peers) {
    projectPeers(s.peers, caps, out, lose);
    if (caps.ownPeerFollowsBot) ownPeerKind(out, target, lose);
  } else {
    lose('peers', s.peers.length, `${plural(s.peers.length, 'peer')} dropped: ${target} has no peer cache`);
  }

  if (caps.minPeers) out.minPeers = [...s.minPeers];
  else lose('minPeers', s.minPeers.length, `${plural(s.minPeers.length, 'min-peer context')} dropped: ${target} does not store them`);

  return { session: out, losses };
}

function projectPeers(peers: Peer[], caps: Capabilities, out: Session, lose: (f: string, n: number, t: string) => void) {
  const dropped = new Map<PeerKind, number>();
  const mapped = new Map<string, number>();
  let usernames = 0;
  let phones = 0;
  let names = 0;
  let seen = 0;
  for (const p of peers) {
    const kind = mapKind(p.kind, caps);
    if (!kind) {
      dropped.set(p.kind, (dropped.get(p.kind) ?? 0) + 1);
      continue;
    }
    if (kind !== p.kind) mapped.set(`${p.kind}→${kind}`, (mapped.get(`${p.kind}→${kind}`) ?? 0) + 1);
    const q: Peer = { id: p.id, kind, accessHash: p.accessHash, usernames: [] };
    if (caps.usernames === 'all') q.usernames = [...p.usernames];
    else if (caps.usernames === 'first') q.usernames = p.usernames.slice(0, 1);
    usernames += p.usernames.length - q.usernames.length;
    if (p.phone !== undefined) {
      if (caps.phone) q.phone = p.phone;
      else phones++;
    }
    if (p.name !== undefined) {
      if (caps.name) q.name = p.name;
      else names++;
    }
    if (p.seenAt !== undefined) {
      if (caps.seenAt) q.seenAt = p.seenAt;
      else seen++;
    }
    out.peers.push(q);
  }
  for (const [kind, n] of dropped) lose(`peers.${kind}`, n, `${plural(n, `${kind} peer`)} dropped: the target has no such kind`);
  for (const [change, n] of mapped) lose(`peers.kind`, n, `${plural(n, 'peer')} stored as ${change.split('→')[1]} (was ${change.split('→')[0]})`);
  lose('peers.usernames', usernames, `${plural(usernames, 'extra username')} dropped: the target keeps ${caps.usernames === 'first' ? 'one username per peer' : 'no usernames'}`);
  lose('peers.phone', phones, `${plural(phones, 'phone number')} dropped`);
  lose('peers.name', names, `${plural(names, 'peer name')} dropped`);
  lose('peers.seenAt', seen, `${plural(seen, 'last-seen date')} dropped`);
}

/** The own user's peer entry made to agree with the bot flag, for a target that stores them in one row. */
function ownPeerKind(out: Session, target: string, lose: (f: string, n: number, t: string) => void) {
  const user = out.user;
  if (user?.isBot === undefined) return;
  const kind = user.isBot ? 'bot' : 'user';
  const own = out.peers.find((p) => p.id === user.id && (p.kind === 'user' || p.kind === 'bot'));
  if (!own || own.kind === kind) return;
  lose('peers.kind', 1, `own user's peer stored as ${kind} (was ${own.kind}): ${target} keeps it with the account's bot flag`);
  own.kind = kind;
}

function describeDcs(caps: Capabilities): string {
  const which = caps.dcs === 'home' ? 'the home DC only' : caps.dcs === 'per-id' ? 'one entry per DC id' : 'all DCs';
  const media = caps.mediaDcs === true ? '' : caps.mediaDcs === 'home' ? 'media-only DC for home only' : 'no media-only DCs';
  const extra = [!caps.keylessDcs && 'with a key', media].filter(Boolean).join(', ');
  return extra ? `${which} (${extra})` : which;
}
