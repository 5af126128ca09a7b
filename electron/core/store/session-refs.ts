/**
 * Inputs that name a shared store or a session in one, next to files and strings: a store URL
 * (`postgresql://…`, `redis://…`), or an SQLite file with the alchemy tables, then
 * `#<session id>` for one session. A path whose file exists as written is a file, never a ref.
 */
import { existsSync, statSync } from 'node:fs';
import { SessionError } from '../errors.js';
import type { ReadResult } from '../formats/types.js';
import type { Session } from '../model/session.js';
import { openStore, type OpenStoreOptions } from './open-store.js';
import type { SaveOptions, SessionStore } from './session-store.js';
import { isStoreUrl, splitStoreRef } from './store-url.js';

export interface StoreRef {
  store: string;
  id: string | undefined;
}

/** The store and session an input names, or undefined for a file, folder or string. */
export function storeRefOf(input: string): StoreRef | undefined {
  if (isStoreUrl(input)) return splitStoreRef(input);
  if (!input.includes('#') || existsSync(input)) return undefined;
  const ref = splitStoreRef(input);
  return existsSync(ref.store) && statSync(ref.store).isFile() ? ref : undefined;
}

/** How the caller opens a store: the CLI asks for a missing password, the app uses its keychain. */
export type StoreOpener = (store: string, opts: OpenStoreOptions) => Promise<SessionStore>;

export async function withStore<T>(store: string, opts: OpenStoreOptions, fn: (s: SessionStore) => Promise<T>, open: StoreOpener = openStore): Promise<T> {
  const s = await open(store, opts);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

function needId(ref: StoreRef): string {
  if (ref.id === undefined) throw new SessionError('usage', `${ref.store}: name one session of the store as <store>#<session id>`);
  return ref.id;
}

/** One session read from a store, read-only. */
export function readStoreSession(ref: StoreRef, open?: StoreOpener): Promise<ReadResult> {
  const id = needId(ref);
  return withStore(ref.store, {}, (s) => s.load(id), open);
}

export interface WriteStoreOptions extends SaveOptions {
  /** The layout for a database without one (and the only one written into). */
  create: SessionStore['format'];
  /** Called before a session that exists is replaced (`replace`): backs it up, returns where. */
  beforeReplace?: () => Promise<string>;
}

/**
 * One session written into a store, in one transaction. Replacing one that exists calls
 * `beforeReplace` first, so an update is backed up as an edit is; returns that backup.
 */
export function writeStoreSession(ref: StoreRef, session: Session, opts: WriteStoreOptions, open?: StoreOpener): Promise<{ backup: string | null }> {
  const id = needId(ref);
  return withStore(ref.store, { write: true, create: opts.create }, async (s) => {
    if (s.format !== opts.create) throw new SessionError('usage', `${s.location} is a ${s.format} store, not ${opts.create}`);
    const backup = opts.replace && opts.beforeReplace && (await s.listIds()).includes(id) ? await opts.beforeReplace() : null;
    await s.save(id, session, opts);
    return { backup };
  }, open);
}
