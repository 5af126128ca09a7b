/**
 * Stores and their sessions on the command line: the password from the URL, PGPASSWORD
 * (node-postgres reads it) or REDISCLI_AUTH (Redis), else typed on the terminal with echo off;
 * never an argument of its own. Every other input is read as a file, folder or string.
 */
import { SessionError } from '../core/errors.js';
import { inputKind, readInput, type ReadOptions } from '../core/formats/detect.js';
import { namedSidecarOf } from '../core/sidecar/files.js';
import type { ReadResult } from '../core/formats/types.js';
import { openStore, type OpenStoreOptions } from '../core/store/open-store.js';
import { overviewOfResult, type Overview } from '../core/inspect/overview.js';
import { openStoredSession } from '../core/inspect/store-peer-source.js';
import { readStoreSession, storeRefOf, type StoreOpener, type StoreRef } from '../core/store/session-refs.js';
import type { SessionStore } from '../core/store/session-store.js';
import { parseStoreAddress } from '../core/store/store-url.js';
import { promptHidden, withPasscode } from './passphrase.js';

export const REDIS_PASSWORD_ENV = 'REDISCLI_AUTH';

export const cliStoreOpener: StoreOpener = async (store, opts) => {
  const address = parseStoreAddress(store);
  const fromEnv = address.engine === 'redis' ? process.env[REDIS_PASSWORD_ENV] || undefined : undefined;
  const first: OpenStoreOptions = { ...opts, password: opts.password ?? fromEnv };
  try {
    return await openStore(store, first);
  } catch (e) {
    if (!(e instanceof SessionError) || e.code !== 'needs-password' || !process.stdin.isTTY) throw e;
    return openStore(store, { ...first, password: await promptHidden(`Password for ${address.display}: `) });
  }
};

/** A store opened for the CLI (closed by the caller). */
export const openCliStore = (store: string, opts: OpenStoreOptions = {}): Promise<SessionStore> => cliStoreOpener(store, opts);

/** Any input the CLI reads a session from: a session in a store, else a file, folder or string. */
export async function readCliInput(input: string, opts: ReadOptions = {}): Promise<ReadResult> {
  const ref = storeRefOf(input);
  if (ref) return readStoreSession(ref, cliStoreOpener);
  return withPasscode((passcode) => readInput(input, { ...opts, passcode }));
}

/** The overview of a session in a store, its peers counted in SQL where the layout keeps entity rows (else read whole). */
export async function storeOverview(ref: StoreRef): Promise<Overview> {
  if (ref.id === undefined) return overviewOfResult(await readStoreSession(ref, cliStoreOpener));
  const { head, peers } = await openStoredSession(await cliStoreOpener(ref.store, {}), ref.id);
  const o = overviewOfResult(head);
  if (!peers) return o;
  o.summary.peers = peers.peerCounts();
  peers.close();
  return o;
}

/** The sidecar beside an input, when it is a file or folder (a string or a store has none). */
export const sidecarOfInput = (input: string) => (inputKind(input) === 'string' || storeRefOf(input) ? undefined : namedSidecarOf(input));
