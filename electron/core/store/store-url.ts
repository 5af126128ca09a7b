/**
 * Where a store is, as the user types it, and a session inside it: `postgresql://…`,
 * `redis://…`, or the path of an SQLite file holding the alchemy tables, then `#<session id>`
 * for one session. Query parameters choose a layout where the tables alone do not say
 * (`?schema=`, `?prefix=`, `?hive=`, `?layout=`); they are not passed to the server.
 */
import { SessionError } from '../errors.js';

export type StoreEngine = 'postgresql' | 'redis' | 'sqlite';

export interface StoreAddress {
  engine: StoreEngine;
  /** What the client connects with: the URL without our own parameters and the fragment; a file path for SQLite. */
  target: string;
  /** The same without a password: for messages, the library and backup manifests. */
  display: string;
  /** Our parameters (schema, prefix, hive, layout). */
  params: Readonly<Record<string, string>>;
  /** Whether the URL carries a password. */
  hasPassword: boolean;
}

const OWN_PARAMS = ['schema', 'prefix', 'hive', 'layout'] as const;

export function isStoreUrl(text: string): boolean {
  return /^(postgres(ql)?|rediss?):\/\//i.test(text.trim());
}

/** A session ref inside a store: `<store>#<session id>` (the id is URL-decoded). */
export function splitStoreRef(ref: string): { store: string; id: string | undefined } {
  const at = ref.lastIndexOf('#');
  if (at < 0) return { store: ref, id: undefined };
  const id = decodeURIComponent(ref.slice(at + 1));
  return { store: ref.slice(0, at), id: id === '' ? undefined : id };
}

export function storeRef(store: string, id: string): string {
  return `${store}#${encodeURIComponent(id)}`;
}

export function parseStoreAddress(text: string): StoreAddress {
  const trimmed = text.trim();
  if (!isStoreUrl(trimmed)) {
    return { engine: 'sqlite', target: trimmed, display: trimmed, params: {}, hasPassword: false };
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new SessionError('usage', `"${redactText(trimmed)}" is not a valid URL`);
  }
  url.hash = '';
  const params: Record<string, string> = {};
  for (const k of OWN_PARAMS) {
    const v = url.searchParams.get(k);
    if (v !== null) params[k] = v;
    url.searchParams.delete(k);
  }
  const engine: StoreEngine = url.protocol.startsWith('redis') ? 'redis' : 'postgresql';
  const hasPassword = url.password !== '';
  const shown = new URL(url.href);
  shown.password = '';
  for (const [k, v] of Object.entries(params)) shown.searchParams.set(k, v);
  return { engine, target: url.href, display: decodeURI(shown.href), params, hasPassword };
}

/** A URL-ish text with any password blanked, for a message about a URL that did not parse. */
function redactText(text: string): string {
  return text.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/** A store's display form: the canonical key under which the library keeps it. */
export const storeDisplay = (text: string): string => parseStoreAddress(text).display;
