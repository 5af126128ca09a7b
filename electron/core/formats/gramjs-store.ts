/**
 * GramJS StoreSession folders (spec §4; telegram/sessions/StoreSession.js over store2 and
 * node-localstorage): one file per key, named encodeURIComponent("<name>:<key>") with
 * !'()* escaped, each holding JSON. Keys: authKey ({"type":"Buffer","data":[…]}), dcId,
 * port, serverAddress, and one entity row per marked id: [id, hash, username, phone, name,
 * "<ms>"] with id and hash as decimal strings. GramJS names the folder after the session.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SessionError } from '../errors.js';
import { markId, unmarkId } from '../model/peer-id.js';
import { holds } from './capabilities.js';
import type { Peer, PeerKind, Session } from '../model/session.js';
import { emptySession, homeDcEntry, makeDc } from '../model/session.js';
import { AUTH_KEY_LEN, checkDcId, checkPort, isHostText } from './field-checks.js';
import type { Capabilities, FolderFormat, ReadResult } from './types.js';

const DIVIDER = ':';
const ANCHORS = ['dcId', 'port', 'serverAddress'] as const;
const AUTH_KEY = 'authKey';
const MARKED_ID = /^-?[1-9]\d*$/;
const DECIMAL = /^-?\d+$/;

/** node-localstorage's file name for a key. */
export function storeFileName(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodedNames(dir: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    try {
      names.set(decodeURIComponent(file), file);
    } catch {
      names.set(`\0${file}`, file); // not a node-localstorage name: reported by read()
    }
  }
  return names;
}

/** Every "<name><divider>" prefix under which dcId, port and serverAddress all exist. */
function sessionPrefixes(keys: Map<string, string>): string[] {
  const out: string[] = [];
  for (const key of keys.keys()) {
    if (!key.endsWith(`${DIVIDER}dcId`)) continue;
    const prefix = key.slice(0, -'dcId'.length);
    if (ANCHORS.every((a) => keys.has(prefix + a))) out.push(prefix);
  }
  return out;
}

function readJson(dir: string, file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch (e) {
    if (e instanceof SyntaxError) throw new SessionError('malformed', `GramJS store: ${what} is not JSON`);
    throw new SessionError('io', `GramJS store: cannot read ${what} (${(e as Error).message})`);
  }
}

function isDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function matchesStore(dir: string): boolean {
  if (!isDir(dir)) return false;
  const keys = decodedNames(dir);
  const prefixes = sessionPrefixes(keys);
  if (prefixes.length === 0) return false;
  // Cheap content check on the first prefix: dcId must be a JSON number.
  const dcFile = keys.get(`${prefixes[0]}dcId`)!;
  try {
    return Number.isInteger(JSON.parse(readFileSync(join(dir, dcFile), 'utf8')));
  } catch {
    return false;
  }
}

function readAuthKey(value: unknown, warnings: string[]): Uint8Array | undefined {
  const v = value as { type?: unknown; data?: unknown } | null;
  if (typeof v !== 'object' || v === null || v.type !== 'Buffer' || !Array.isArray(v.data)) {
    throw new SessionError('malformed', 'GramJS store: authKey is not a serialized Buffer');
  }
  if (!v.data.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    throw new SessionError('malformed', 'GramJS store: authKey holds values that are not bytes');
  }
  if (v.data.length !== AUTH_KEY_LEN) {
    warnings.push(`authKey has ${v.data.length} bytes, not 256 (read as no key)`);
    return undefined;
  }
  return new Uint8Array(v.data as number[]);
}

function peerFromRow(key: string, row: unknown, warnings: string[]): Peer | undefined {
  const bad = (why: string): undefined => {
    warnings.push(`entity ${key}: ${why} (skipped)`);
    return undefined;
  };
  if (!Array.isArray(row) || row.length !== 6) return bad('not a 6-item row');
  const [id, hash, username, phone, name, date] = row as unknown[];
  if (id !== key) return bad('its id does not match its key');
  if (typeof hash !== 'string' || !DECIMAL.test(hash)) return bad('the hash is not a decimal string');
  if (username !== null && typeof username !== 'string') return bad('the username is not a string');
  if (phone !== null && typeof phone !== 'string') return bad('the phone is not a string');
  if (name !== null && typeof name !== 'string') return bad('the name is not a string');
  if (typeof date !== 'string' || !/^\d+$/.test(date)) return bad('the date is not a millisecond string');
  const accessHash = BigInt(hash);
  if (accessHash !== BigInt.asIntN(64, accessHash)) return bad('the hash does not fit 64 bits');
  const { id: bare, cls } = unmarkId(BigInt(key));
  const kind: PeerKind = cls === 'channel' ? (accessHash === 0n ? 'min-channel' : 'channel') : cls;
  if (cls === 'chat' && accessHash !== 0n) warnings.push(`entity ${key}: a basic chat with a non-zero hash`);
  const p: Peer = { id: bare, kind, accessHash: cls === 'chat' ? 0n : accessHash, usernames: username ? [username] : [] };
  if (phone) p.phone = phone;
  if (name) p.name = name;
  const ms = Number(date);
  if (ms > 0) p.seenAt = Math.floor(ms / 1000);
  return p;
}

function readStore(dir: string): ReadResult {
  if (!isDir(dir)) throw new SessionError('not-found', `${dir} is not a folder`);
  const keys = decodedNames(dir);
  const prefixes = sessionPrefixes(keys);
  if (prefixes.length === 0) throw new SessionError('unknown-format', `${dir}: no GramJS StoreSession files (dcId, port, serverAddress)`);
  if (prefixes.length > 1) {
    throw new SessionError('ambiguous', `${dir} holds ${prefixes.length} GramJS sessions (${prefixes.map((p) => p.slice(0, -1)).join(', ')})`);
  }
  const prefix = prefixes[0]!;
  const warnings: string[] = [];
  const get = (k: string) => readJson(dir, keys.get(prefix + k)!, k);

  const s = emptySession();
  const dcId = get('dcId');
  const port = get('port');
  const address = get('serverAddress');
  if (typeof dcId !== 'number') throw new SessionError('malformed', 'GramJS store: dcId is not a number');
  if (typeof port !== 'number') throw new SessionError('malformed', 'GramJS store: port is not a number');
  if (typeof address !== 'string' || !isHostText(address)) {
    throw new SessionError('malformed', 'GramJS store: serverAddress is not a host');
  }
  s.homeDc = checkDcId(dcId, 'GramJS store');
  const authKey = keys.has(prefix + AUTH_KEY) ? readAuthKey(get(AUTH_KEY), warnings) : undefined;
  s.dcs = [makeDc({ id: s.homeDc, address, port: checkPort(port, 'GramJS store'), authKey })];

  for (const [key, file] of keys) {
    if (!key.startsWith(prefix)) {
      warnings.push(`unexpected file "${file}" (not part of session "${prefix.slice(0, -1)}")`);
      continue;
    }
    const rest = key.slice(prefix.length);
    if ((ANCHORS as readonly string[]).includes(rest) || rest === AUTH_KEY) continue;
    if (!MARKED_ID.test(rest)) {
      warnings.push(`unexpected key "${rest}" (GramJS does not write it)`);
      continue;
    }
    const p = peerFromRow(rest, readJson(dir, file, `entity ${rest}`), warnings);
    if (p) s.peers.push(p);
  }
  return { format: 'gramjs-store', formatVersion: null, session: s, warnings };
}

const KIND_CLASS: Partial<Record<PeerKind, PeerKind>> = {
  user: 'user',
  bot: 'user',
  chat: 'chat',
  channel: 'channel',
  megagroup: 'channel',
  gigagroup: 'channel',
  'min-channel': 'min-channel',
};

function entityRow(p: Peer): [string, string[]] {
  const cls = KIND_CLASS[p.kind];
  if (!cls) throw new SessionError('unsupported', `GramJS has no ${p.kind} peers (peer ${p.id})`);
  const marked = markId(p.id, cls).toString();
  const hash = cls === 'chat' || cls === 'min-channel' ? '0' : p.accessHash.toString();
  // The date GramJS writes is when the row was cached; "0" = unknown, never today's date.
  const date = p.seenAt !== undefined ? String(p.seenAt * 1000) : '0';
  return [marked, [marked, hash, p.usernames[0] ?? null, p.phone ?? null, p.name ?? '', date] as string[]];
}

function writeStore(dir: string, s: Session): void {
  const name = basename(dir);
  if (name === 'session') throw new SessionError('usage', 'GramJS refuses the session name "session": pick another folder name');
  const dc = homeDcEntry(s);
  if (!dc) throw new SessionError('missing-field', 'a GramJS store needs a home DC address');
  checkDcId(dc.id, `DC ${dc.id}`);
  checkPort(dc.port, `DC ${dc.id}`);
  if (dc.authKey && dc.authKey.length !== AUTH_KEY_LEN) {
    throw new SessionError('malformed', `DC ${dc.id} has an auth key of ${dc.authKey.length} bytes, not 256`);
  }
  const files = new Map<string, unknown>([
    ['dcId', dc.id],
    ['port', dc.port],
    ['serverAddress', dc.address],
  ]);
  if (dc.authKey) files.set(AUTH_KEY, { type: 'Buffer', data: Array.from(dc.authKey) });
  for (const p of s.peers) {
    const [key, row] = entityRow(p);
    if (files.has(key)) throw new SessionError('malformed', `peer ${key} appears more than once`);
    files.set(key, row);
  }
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) throw new SessionError('exists', `${dir} is not empty`);
  for (const [key, value] of files) {
    writeFileSync(join(dir, storeFileName(name + DIVIDER + key)), JSON.stringify(value), { flag: 'wx' });
  }
}

export const gramjsStoreCapabilities: Capabilities = holds({
  keylessDcs: true,
  peers: true,
  peerKinds: ['user', 'chat', 'channel', 'min-channel'],
  usernames: 'first',
  phone: true,
  name: true,
  seenAt: true,
});

export const gramjsStore: FolderFormat = {
  id: 'gramjs-store',
  label: 'GramJS StoreSession folder',
  library: 'GramJS (npm telegram): StoreSession',
  medium: 'folder',
  capabilities: gramjsStoreCapabilities,
  matches: matchesStore,
  read: readStore,
  write: writeStore,
};
