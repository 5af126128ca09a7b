/**
 * What the UI and `inspect --json` see of a session, library entry and peer, as zod schemas:
 * the contract validates with them and every side takes its types from them (z.output), so
 * the shapes are written once. The core imports these types (never the contract). 64-bit
 * values are decimal strings; auth keys appear only as `authKeyId` fingerprints. Nothing here
 * is secret.
 */
import { z } from 'zod';

export const int64 = z.string().regex(/^-?\d{1,20}$/, 'expected a decimal integer string');

export const DcSchema = z.object({
  id: z.number(),
  address: z.string(),
  port: z.number(),
  ipv6: z.boolean(),
  mediaOnly: z.boolean(),
  cdn: z.boolean(),
  tcpoOnly: z.boolean(),
  static: z.boolean(),
  home: z.boolean(),
  authKeyId: z.string().nullable(),
  salt: int64,
  timeOffset: z.number(),
});

export const PeerCountsSchema = z.object({
  total: z.number(),
  users: z.number(),
  bots: z.number(),
  chats: z.number(),
  channels: z.number(),
  megagroups: z.number(),
  gigagroups: z.number(),
  communities: z.number(),
  min: z.number(),
});

export const PeerRowSchema = z.object({
  id: int64,
  markedId: int64,
  accessHash: int64,
  kind: z.string(),
  username: z.string().nullable(),
  usernames: z.array(z.string()),
  phone: z.string().nullable(),
  name: z.string().nullable(),
});

export const SummarySchema = z.object({
  format: z.string(),
  formatVersion: z.union([z.string(), z.number()]).nullable(),
  homeDc: z.number().nullable(),
  testMode: z.boolean().nullable(),
  apiId: z.number().nullable(),
  takeoutId: int64.nullable(),
  user: z.object({ id: int64, isBot: z.boolean().nullable() }).nullable(),
  dcs: z.array(DcSchema),
  updates: z.object({
    pts: z.number(),
    qts: z.number(),
    date: z.number(),
    seq: z.number(),
    channels: z.array(z.object({ id: int64, pts: z.number() })),
  }),
  peers: PeerCountsSchema,
  minPeers: z.number(),
  hasFutureAuthToken: z.boolean(),
  warnings: z.array(z.string()),
  inferences: z.array(z.string()),
});

const source = z.string().nullable();
export const AccountSchema = z.object({
  userId: int64.nullable(),
  isBot: z.boolean().nullable(),
  name: z.string().nullable(),
  username: z.string().nullable(),
  phone: z.string().nullable(),
  /** Where each fact came from: "session", "peer cache" or the sidecar's file name. */
  from: z.object({ userId: source, isBot: source, name: source, username: source, phone: source }),
});

/** A sidecar without its secrets: the 2FA password is only `has2fa`, the app hash masked. */
export const SidecarFactsSchema = z.object({
  path: z.string(),
  userId: int64.nullable(),
  phone: z.string().nullable(),
  username: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  apiId: z.number().nullable(),
  apiHash: z.string().nullable(),
  device: z.string().nullable(),
  systemVersion: z.string().nullable(),
  appVersion: z.string().nullable(),
  langPack: z.string().nullable(),
  langCode: z.string().nullable(),
  systemLangPack: z.string().nullable(),
  systemLangCode: z.string().nullable(),
  has2fa: z.boolean(),
  premium: z.boolean().nullable(),
  otherKeys: z.array(z.string()),
  warnings: z.array(z.string()),
});

export const EntrySchema = z.object({
  path: z.string(),
  name: z.string(),
  /** The library root (added folder or file) this entry was found under. */
  root: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  /** locked: a Telegram Desktop tdata behind a local passcode (`tdata.unlock` reads it). */
  status: z.enum(['ok', 'unknown', 'error', 'locked']),
  format: z.string().nullable(),
  formatVersion: z.union([z.string(), z.number()]).nullable(),
  userId: int64.nullable(),
  isBot: z.boolean().nullable(),
  homeDc: z.number().nullable(),
  testMode: z.boolean().nullable(),
  peers: z.number().nullable(),
  /** Update-state date (unix seconds), 0 when the format keeps none. */
  lastActivity: z.number(),
  warnings: z.array(z.string()),
  error: z.string().nullable(),
  likelyExpired: z.boolean(),
  /** The home DC auth key's fingerprint: what labels are kept by and duplicates are found by. */
  authKeyId: z.string().nullable(),
  account: AccountSchema.nullable(),
  sidecar: SidecarFactsSchema.nullable(),
  /** Other entries holding the same home-DC auth key. */
  duplicates: z.array(z.string()),
  labels: z.array(z.string()),
  note: z.string().nullable(),
});

export const PeerQuerySchema = z.strictObject({
  search: z.string().max(200).default(''),
  kind: z.string().max(20).default(''),
  sort: z.enum(['id', 'kind', 'username', 'name', 'phone']).default('id'),
  desc: z.boolean().default(false),
});

export type DcSummary = z.output<typeof DcSchema>;
export type PeerCounts = z.output<typeof PeerCountsSchema>;
export type PeerRow = z.output<typeof PeerRowSchema>;
export type SessionSummary = z.output<typeof SummarySchema>;
/** Who a session is, as far as its files know it (electron/core/accounts/identity.ts). */
export type AccountInfo = z.output<typeof AccountSchema>;
/** Where an account fact came from: "session", "peer cache", or the sidecar's file name. */
export type AccountFrom = AccountInfo['from'];
export type SidecarFacts = z.output<typeof SidecarFactsSchema>;
export type LibraryEntry = z.output<typeof EntrySchema>;
export type PeerQuery = z.output<typeof PeerQuerySchema>;
