/**
 * The `.json` sidecar that account tools keep beside a session (spec §11): parsed into a few
 * normalised facts, with the whole object kept as written so a copy beside a converted session
 * differs only in `session_file`. Numbers are parsed losslessly (lossless-json): a 64-bit user
 * id written as a JSON number above 2^53 keeps every digit. The cloud password it may hold is a
 * secret like an auth key: it lives in `twoFa` only and is never part of `sidecarFacts`.
 */
import { isInteger, isLosslessNumber, parse, stringify } from 'lossless-json';
import { SessionError } from '../errors.js';

export interface SidecarAccount {
  userId?: bigint;
  isBot?: boolean;
  phone?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  premium?: boolean;
  homeDc?: number;
}

export interface SidecarClient {
  apiId?: number;
  apiHash?: string;
  device?: string;
  systemVersion?: string;
  appVersion?: string;
  langPack?: string;
  langCode?: string;
  systemLangPack?: string;
  systemLangCode?: string;
}

export interface Sidecar {
  /** The object as parsed (numbers as lossless-json keeps them), written back verbatim. */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly account: SidecarAccount;
  readonly client: SidecarClient;
  /** The account's cloud password: a secret. */
  readonly twoFa?: string;
  /** Keys read as none of the above, as written. */
  readonly otherKeys: string[];
  /** Known keys whose value could not be read (a user id that is not a number, say). */
  readonly warnings: string[];
  /** The indentation the file was written with, kept when a copy is written. */
  readonly indent: number | string | undefined;
}

/** A sidecar with its file name, for reports ("user id 123 from acct.json"). */
export interface NamedSidecar {
  name: string;
  sidecar: Sidecar;
}

type Reader<T> = (v: unknown) => T | undefined;

const asText: Reader<string> = (v) => {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (isLosslessNumber(v)) return v.toString();
  return undefined;
};

const asBigInt: Reader<bigint> = (v) => {
  const t = isLosslessNumber(v) ? v.toString() : typeof v === 'string' ? v.trim() : undefined;
  return t !== undefined && /^\d{1,20}$/.test(t) && BigInt(t) > 0n && BigInt(t) < 2n ** 63n ? BigInt(t) : undefined;
};

const asSmallInt: Reader<number> = (v) => {
  const t = isLosslessNumber(v) ? v.toString() : typeof v === 'string' ? v.trim() : undefined;
  if (t === undefined || !isInteger(t)) return undefined;
  const n = Number(t);
  return n > 0 && n <= 0xffffffff ? n : undefined;
};

const asFlag: Reader<boolean> = (v) => {
  if (typeof v === 'boolean') return v;
  const t = isLosslessNumber(v) ? v.toString() : typeof v === 'string' ? v.trim().toLowerCase() : undefined;
  if (t === '1' || t === 'true' || t === 'yes') return true;
  if (t === '0' || t === 'false' || t === 'no') return false;
  return undefined;
};

/** A known key, its spellings across tools (matched case-insensitively), and where it goes. */
interface KnownKey {
  names: string[];
  read: Reader<unknown>;
  put(s: { account: SidecarAccount; client: SidecarClient; twoFa?: string }, v: never): void;
}

const key = <T>(names: string[], read: Reader<T>, put: (s: { account: SidecarAccount; client: SidecarClient; twoFa?: string }, v: T) => void): KnownKey => ({
  names,
  read,
  put: put as KnownKey['put'],
});

/**
 * Keys that are read as facts. The rest of the account and client keys the issue lists (sex,
 * dates, spamblock, proxy, ipv6, session_file…) are kept verbatim like any other key; only
 * session_file is rewritten, when a copy is written beside another session.
 */
const KNOWN: KnownKey[] = [
  key(['id', 'user_id'], asBigInt, (s, v) => (s.account.userId = v)),
  key(['is_bot', 'bot'], asFlag, (s, v) => (s.account.isBot = v)),
  key(['phone'], asText, (s, v) => (s.account.phone = v.replace(/^\+/, ''))),
  key(['username'], asText, (s, v) => (s.account.username = v.replace(/^@/, ''))),
  key(['first_name'], asText, (s, v) => (s.account.firstName = v)),
  key(['last_name'], asText, (s, v) => (s.account.lastName = v)),
  key(['is_premium', 'premium'], asFlag, (s, v) => (s.account.premium = v)),
  key(['dc_id', 'dc'], asSmallInt, (s, v) => (s.account.homeDc = v)),
  key(['app_id', 'api_id'], asSmallInt, (s, v) => (s.client.apiId = v)),
  key(['app_hash', 'api_hash'], asText, (s, v) => (s.client.apiHash = v)),
  key(['device', 'device_model'], asText, (s, v) => (s.client.device = v)),
  key(['sdk', 'system_version'], asText, (s, v) => (s.client.systemVersion = v)),
  key(['app_version'], asText, (s, v) => (s.client.appVersion = v)),
  key(['lang_pack'], asText, (s, v) => (s.client.langPack = v)),
  key(['lang_code'], asText, (s, v) => (s.client.langCode = v)),
  key(['system_lang_pack'], asText, (s, v) => (s.client.systemLangPack = v)),
  key(['system_lang_code'], asText, (s, v) => (s.client.systemLangCode = v)),
  key(['twofa', '2fa', 'password', 'two_fa'], asText, (s, v) => (s.twoFa = v)),
];

/** Kept verbatim, but known: not listed among "other keys". */
const KEPT = new Set(['sex', 'date_of_birth', 'register_time', 'last_check_time', 'spamblock', 'proxy', 'ipv6', 'session_file']);

const byName = new Map(KNOWN.flatMap((k) => k.names.map((n) => [n, k] as const)));

/** The spelling a key is matched by: tools differ in case (twoFA, TwoFa). */
const norm = (k: string) => k.toLowerCase();

export const SIDECAR_MAX_BYTES = 1024 * 1024;

/** Parses a sidecar's text; anything but one JSON object is not a sidecar (`malformed`). */
export function parseSidecar(text: string, name: string): Sidecar {
  let raw: unknown;
  try {
    raw = parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    // Only the position: the parser's own words quote the text, and the text may hold the 2FA password.
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new SessionError('malformed', `${name}: not valid JSON${at === undefined ? '' : ` (at character ${at})`}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SessionError('malformed', `${name}: a sidecar is one JSON object`);
  }
  const obj = raw as Record<string, unknown>;
  const facts: { account: SidecarAccount; client: SidecarClient; twoFa?: string } = { account: {}, client: {} };
  const otherKeys: string[] = [];
  const warnings: string[] = [];
  const taken = new Set<KnownKey>();
  for (const [k, v] of Object.entries(obj)) {
    const known = byName.get(norm(k));
    if (!known) {
      if (!KEPT.has(norm(k))) otherKeys.push(k);
      continue;
    }
    // The first spelling found wins; a value of the wrong shape is named, never guessed at.
    if (taken.has(known) || v === null) continue;
    const value = known.read(v);
    if (value === undefined) {
      if (!known.names.includes('twofa')) warnings.push(`${name}: "${k}" is not a ${known.read === asText ? 'text' : known.read === asFlag ? 'flag' : 'number'} we can read`);
      continue;
    }
    taken.add(known);
    known.put(facts, value as never);
  }
  return { raw: obj, ...facts, otherKeys, warnings, indent: indentOf(text) };
}

function indentOf(text: string): number | string | undefined {
  const m = /^\{\r?\n([ \t]+)"/.exec(text.replace(/^\uFEFF/, ''));
  if (!m) return undefined;
  return m[1]!.startsWith('\t') ? '\t' : m[1]!.length;
}

/**
 * The sidecar's text for a copy beside `sessionFile`: every key as it was, `session_file` (when
 * the sidecar has one) naming the new session in the same style (with or without extension).
 */
export function encodeSidecar(s: Sidecar, sessionFile: string): string {
  const out: Record<string, unknown> = { ...s.raw };
  for (const k of Object.keys(out)) {
    if (norm(k) !== 'session_file' || typeof out[k] !== 'string') continue;
    const old = out[k] as string;
    out[k] = /\.[A-Za-z0-9]+$/.test(old) ? sessionFile : sessionFile.replace(/\.[A-Za-z0-9]+$/, '');
  }
  return `${stringify(out, null, s.indent)}\n`;
}

/** Lines naming where the sidecar and its session disagree (a warning on both). */
export function sidecarConflicts(s: Sidecar, name: string, session: { userId: bigint | null; homeDc: number | null }): string[] {
  const out: string[] = [];
  const { userId, homeDc } = s.account;
  if (userId !== undefined && session.userId !== null && userId !== session.userId) {
    out.push(`${name} names user ${userId}, but the session is user ${session.userId}`);
  }
  if (homeDc !== undefined && session.homeDc !== null && homeDc !== session.homeDc) {
    out.push(`${name} names DC ${homeDc}, but the session's home DC is ${session.homeDc}`);
  }
  return out;
}
