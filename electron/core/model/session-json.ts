/**
 * A lossless, versioned JSON form of the canonical Session, for our own stores (a folder of
 * session files, the SQLite store): bigints as decimal strings, bytes as base64. Unlike the
 * library formats it keeps every model field (user id, api id, usernames …). Parsing is
 * strict (zod): anything else is a SessionError('malformed').
 */
import { z } from 'zod';
import { SessionError } from '../errors.js';
import { PEER_KINDS, type Session } from './session.js';

export const SESSION_JSON_VERSION = 1;

const big = z.string().regex(/^-?\d{1,20}$/).transform((v) => BigInt(v));
const bytes = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/).transform((v) => new Uint8Array(Buffer.from(v, 'base64')));
const int32 = z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);

const schema = z.object({
  v: z.literal(SESSION_JSON_VERSION),
  homeDc: int32,
  dcs: z.array(
    z.object({
      id: int32,
      address: z.string(),
      port: z.number().int().min(0).max(65535),
      ipv6: z.boolean(),
      mediaOnly: z.boolean(),
      cdn: z.boolean(),
      tcpoOnly: z.boolean(),
      static: z.boolean(),
      authKey: bytes.refine((b) => b.length === 256).optional(),
      salt: big,
      timeOffset: int32,
    }),
  ),
  user: z.object({ id: big, isBot: z.boolean().optional() }).optional(),
  testMode: z.boolean().optional(),
  apiId: z.number().int().optional(),
  takeoutId: big.optional(),
  updates: z.object({
    pts: int32,
    qts: int32,
    date: int32,
    seq: int32,
    channels: z.array(z.tuple([big, int32])),
  }),
  peers: z.array(
    z.object({
      id: big,
      kind: z.enum(PEER_KINDS as [string, ...string[]]),
      accessHash: big,
      usernames: z.array(z.string()),
      phone: z.string().optional(),
      name: z.string().optional(),
      seenAt: z.number().optional(),
    }),
  ),
  minPeers: z.array(z.object({ userId: big, peerId: big, msgId: int32 })),
  futureAuthToken: bytes.optional(),
  seqNo: z.number().int().optional(),
  layer: z.number().int().optional(),
});

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

export function sessionToJson(s: Session): string {
  return JSON.stringify({
    v: SESSION_JSON_VERSION,
    ...s,
    dcs: s.dcs.map((d) => ({ ...d, authKey: d.authKey && b64(d.authKey) })),
    updates: { ...s.updates, channels: [...s.updates.channels] },
    futureAuthToken: s.futureAuthToken && b64(s.futureAuthToken),
  }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export function sessionFromJson(text: string): Session {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SessionError('malformed', 'the stored session is not valid JSON');
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new SessionError('malformed', `the stored session is invalid at ${issue?.path.join('.') ?? '?'}`);
  }
  const { v: _v, ...d } = r.data;
  return {
    ...d,
    peers: d.peers.map((p) => ({ ...p, kind: p.kind as Session['peers'][number]['kind'] })),
    updates: { ...d.updates, channels: new Map(d.updates.channels) },
  };
}
