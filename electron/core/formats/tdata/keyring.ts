/**
 * The local keys of the tdata folders the user unlocked with their passcode, in this process's
 * memory only: never written anywhere, gone when the app quits. The key is kept, not the
 * passcode: the passcode may open other things of the user's, and the key spares every later
 * read the 100,000 PBKDF2 rounds. A key that no longer opens its tdata (Desktop changed the
 * passcode) is simply not used, and the tdata asks again.
 */
import { resolve } from 'node:path';
import { tdataLocalKey } from './read.js';

const keys = new Map<string, Uint8Array>();

/** Checks the passcode against the tdata and keeps its local key; throws bad-passcode for a wrong one. */
export function unlockTdata(dir: string, passcode: string): void {
  keys.set(resolve(dir), tdataLocalKey(dir, { passcode }));
}

/** The kept local key of a tdata, if it was unlocked. */
export function unlockedKey(dir: string): Uint8Array | undefined {
  return keys.get(resolve(dir));
}

/** Forgets one tdata's key, or every key (the key bytes are overwritten, not left to the collector). */
export function forgetUnlocked(dir?: string): void {
  for (const [d, key] of keys) {
    if (dir !== undefined && d !== resolve(dir)) continue;
    key.fill(0);
    keys.delete(d);
  }
}
