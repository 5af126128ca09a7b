/**
 * The canonical session model: a superset of ferogram's PersistedSession plus the fields
 * other libraries carry. Every format maps to and from this; ids are kept BARE (unmarked)
 * with an explicit kind, marked ids are a view computed at the edges (see peer-id.ts).
 */

export const DcFlag = {
  IPV6: 1,
  MEDIA_ONLY: 2,
  TCPO_ONLY: 4,
  CDN: 8,
  STATIC: 16,
} as const;

export interface DcEntry {
  id: number;
  /** Host only: an IPv4/IPv6 literal (no brackets) or a host name. */
  address: string;
  port: number;
  ipv6: boolean;
  mediaOnly: boolean;
  cdn: boolean;
  tcpoOnly: boolean;
  static: boolean;
  /** 256 bytes when present. */
  authKey?: Uint8Array;
  salt: bigint;
  /** Server minus local seconds. */
  timeOffset: number;
}

export interface UpdateState {
  pts: number;
  qts: number;
  date: number;
  seq: number;
  /** Bare channel id → pts. */
  channels: Map<bigint, number>;
}

export type PeerKind =
  | 'user'
  | 'bot'
  | 'chat'
  | 'channel'
  | 'megagroup'
  | 'gigagroup'
  | 'community'
  | 'min-channel';

export const PEER_KINDS: readonly PeerKind[] = [
  'user',
  'bot',
  'chat',
  'channel',
  'megagroup',
  'gigagroup',
  'community',
  'min-channel',
];

export interface Peer {
  /** Bare id (positive for every kind). */
  id: bigint;
  kind: PeerKind;
  /** 0n for basic chats and min channels. */
  accessHash: bigint;
  usernames: string[];
  phone?: string;
  name?: string;
  /** Unix seconds when the library last wrote this row, if it keeps that. */
  seenAt?: number;
}

export interface MinPeer {
  userId: bigint;
  peerId: bigint;
  msgId: number;
}

export interface SessionUser {
  id: bigint;
  isBot?: boolean;
}

export interface Session {
  homeDc: number;
  dcs: DcEntry[];
  user?: SessionUser;
  testMode?: boolean;
  apiId?: number;
  takeoutId?: bigint;
  updates: UpdateState;
  peers: Peer[];
  minPeers: MinPeer[];
  futureAuthToken?: Uint8Array;
  /** From ferogram compact V1 strings: kept because they are useful, never invented. */
  seqNo?: number;
  layer?: number;
}

export function emptyUpdateState(): UpdateState {
  return { pts: 0, qts: 0, date: 0, seq: 0, channels: new Map() };
}

export function emptySession(): Session {
  return { homeDc: 0, dcs: [], updates: emptyUpdateState(), peers: [], minPeers: [] };
}

/**
 * A deep copy whose byte fields own their memory. structuredClone alone would copy the whole
 * buffer behind each key, and a decoded key is a view into its string's bytes (see bytes.ts):
 * every copy would carry the rest of them along.
 */
export function cloneSession(s: Session): Session {
  const own = (b: Uint8Array | undefined) => b && new Uint8Array(b);
  const copy: Session = structuredClone({ ...s, dcs: s.dcs.map((d) => ({ ...d, authKey: undefined })), futureAuthToken: undefined });
  copy.dcs.forEach((d, i) => {
    const key = own(s.dcs[i]!.authKey);
    if (key) d.authKey = key;
    else delete d.authKey;
  });
  const token = own(s.futureAuthToken);
  if (token) copy.futureAuthToken = token;
  else delete copy.futureAuthToken;
  return copy;
}

/**
 * The session with keys of its own (the rest shared, as nothing else in it is secret): what a
 * holder hands out, so that wiping its own copy never reaches bytes a caller is still writing.
 */
export function withOwnKeys(s: Session): Session {
  const copy: Session = { ...s, dcs: s.dcs.map((d) => (d.authKey ? { ...d, authKey: new Uint8Array(d.authKey) } : { ...d })) };
  if (s.futureAuthToken) copy.futureAuthToken = new Uint8Array(s.futureAuthToken);
  return copy;
}

/** Zeroes the session's auth keys and login token in place (they are its own buffers: see bytes.ts). */
export function wipeKeys(s: Session): void {
  for (const d of s.dcs) d.authKey?.fill(0);
  s.futureAuthToken?.fill(0);
}

export function makeDc(
  fields: Pick<DcEntry, 'id' | 'address' | 'port'> & Partial<DcEntry>,
): DcEntry {
  return {
    ipv6: fields.address.includes(':'),
    mediaOnly: false,
    cdn: false,
    tcpoOnly: false,
    static: false,
    salt: 0n,
    timeOffset: 0,
    ...fields,
  };
}

/** The DC entry the session logs in through: home id, preferring IPv4 and non-media. */
export function homeDcEntry(s: Session): DcEntry | undefined {
  const same = s.dcs.filter((d) => d.id === s.homeDc);
  return (
    same.find((d) => !d.mediaOnly && !d.ipv6) ??
    same.find((d) => !d.mediaOnly) ??
    same[0]
  );
}

export function isChannelKind(kind: PeerKind): boolean {
  return (
    kind === 'channel' || kind === 'megagroup' || kind === 'gigagroup' || kind === 'min-channel'
  );
}

/** A DC entry's non-secret fields in a fixed key order (salt as a decimal string), for views and comparisons. */
export function dcPublicFields(d: DcEntry) {
  return {
    id: d.id,
    address: d.address,
    port: d.port,
    ipv6: d.ipv6,
    mediaOnly: d.mediaOnly,
    cdn: d.cdn,
    tcpoOnly: d.tcpoOnly,
    static: d.static,
    salt: d.salt.toString(),
    timeOffset: d.timeOffset,
  };
}
