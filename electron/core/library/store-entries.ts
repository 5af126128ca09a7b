/**
 * A shared store's sessions as library entries, like the files a scan finds: each at its ref
 * (`<store>#<session id>`), summarised from the store's listing without loading its peers.
 */
import { loginKeyOf } from '../accounts/login-key.js';
import { describeError } from '../errors.js';
import type { SessionStore } from '../store/session-store.js';
import { storeRef } from '../store/store-url.js';
import type { ScannedEntry } from './index-cache.js';

/** A store that cannot be listed (unreachable, a wrong password, no tables): one entry saying why. */
export function storeErrorEntry(location: string, e: unknown): ScannedEntry {
  return {
    entry: {
      path: location,
      name: location,
      size: 0,
      mtimeMs: 0,
      status: 'error',
      format: null,
      formatVersion: null,
      userId: null,
      isBot: null,
      homeDc: null,
      testMode: null,
      peers: null,
      lastActivity: 0,
      warnings: [],
      error: describeError(e),
      authKeyId: null,
      self: null,
      selfLookup: null,
    },
    sidecar: null,
  };
}

export async function storeEntries(store: SessionStore): Promise<ScannedEntry[]> {
  return (await store.list()).map(({ id, head, peers, warnings }) => ({
    entry: {
      path: storeRef(store.location, id),
      name: id,
      size: 0,
      mtimeMs: 0,
      status: 'ok',
      format: store.format,
      formatVersion: store.layout,
      userId: head.user?.id.toString() ?? null,
      isBot: head.user?.isBot ?? null,
      homeDc: head.homeDc === 0 ? null : head.homeDc,
      testMode: head.testMode ?? null,
      peers,
      lastActivity: head.updates.date,
      warnings,
      error: null,
      authKeyId: loginKeyOf(head),
      self: null,
      selfLookup: null,
    },
    sidecar: null,
  }));
}
