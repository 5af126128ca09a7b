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
  peerList?: PeerRow[];
}
