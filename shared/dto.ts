/**
 * What the UI and `inspect --json` see of a session. 64-bit values are decimal strings;
 * auth keys appear only as `authKeyId` fingerprints. Nothing here is secret.
 */
export interface DcSummary {
  id: number;
  address: string;
  port: number;
  ipv6: boolean;
  mediaOnly: boolean;
  cdn: boolean;
  tcpoOnly: boolean;
  static: boolean;
  home: boolean;
  authKeyId: string | null;
  salt: string;
  timeOffset: number;
}

export interface PeerCounts {
  total: number;
  users: number;
  bots: number;
  chats: number;
  channels: number;
  megagroups: number;
  gigagroups: number;
  communities: number;
  min: number;
}

export interface PeerRow {
  id: string;
  markedId: string;
  accessHash: string;
  kind: string;
  username: string | null;
  usernames: string[];
  phone: string | null;
  name: string | null;
}

export interface SessionSummary {
  format: string;
  formatVersion: string | number | null;
  homeDc: number | null;
  testMode: boolean | null;
  apiId: number | null;
  takeoutId: string | null;
  user: { id: string; isBot: boolean | null } | null;
  dcs: DcSummary[];
  updates: { pts: number; qts: number; date: number; seq: number; channels: { id: string; pts: number }[] };
  peers: PeerCounts;
  minPeers: number;
  hasFutureAuthToken: boolean;
  warnings: string[];
  inferences: string[];
}

/** Where an account fact came from: "session", "peer cache", or the sidecar's file name. */
export interface AccountFrom {
  userId: string | null;
  isBot: string | null;
  name: string | null;
  username: string | null;
  phone: string | null;
}

/** Who a session is, as far as its files know it (electron/core/accounts/identity.ts). */
export interface AccountInfo {
  userId: string | null;
  isBot: boolean | null;
  name: string | null;
  username: string | null;
  phone: string | null;
  from: AccountFrom;
}

/** What a session's `.json` sidecar says, without its secrets: the 2FA password is only `has2fa`, the app hash masked. */
export interface SidecarFacts {
  path: string;
  userId: string | null;
  phone: string | null;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  apiId: number | null;
  /** Masked: its first and last characters only. */
  apiHash: string | null;
  device: string | null;
  systemVersion: string | null;
  appVersion: string | null;
  langPack: string | null;
  langCode: string | null;
  systemLangPack: string | null;
  systemLangCode: string | null;
  has2fa: boolean;
  premium: boolean | null;
  otherKeys: string[];
  /** Values it holds that could not be read, and where it contradicts its session. */
  warnings: string[];
}
