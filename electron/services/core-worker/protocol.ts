/**
 * The messages between the main thread (windows, menus, dialogs, the clipboard, HTTP) and the
 * core's worker thread (every handler, every session byte, every secret). Requests and replies
 * are the contract's envelopes; the host's own powers (dialogs, trash, clipboard, keychain)
 * are called back from the worker by name.
 */
import type { Envelope, EventName } from '../../../shared/contract.js';
import type { Platform } from '../platform.js';

/** What the worker builds its Platform from: plain values, and which host powers exist. */
export interface WorkerPlatform {
  mode: Platform['mode'];
  appDataDir: string;
  version: string;
  watchFolders?: boolean;
  backupWorkFactor?: number;
  /** Electron's own build of better-sqlite3, when the host uses one. */
  sqliteBinding?: string;
  powers: HostPower[];
}

export type HostPower = 'clipboard' | 'trashItem' | 'openDialog' | 'saveDialog' | 'seal';
export type HostMethod = 'clipboard.readText' | 'clipboard.writeText' | 'trashItem' | 'openDialog' | 'saveDialog' | 'seal' | 'unseal';

export type ToWorker =
  | { type: 'init'; platform: WorkerPlatform; folders: string[] }
  | { type: 'request'; id: number; channel: string; payload: unknown }
  | { type: 'hostReply'; id: number; ok: true; value: unknown }
  | { type: 'hostReply'; id: number; ok: false; error: string }
  | { type: 'dispose' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'initFailed'; error: string }
  | { type: 'reply'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; name: EventName; payload: unknown }
  | { type: 'hostCall'; id: number; method: HostMethod; args: unknown[] }
  | { type: 'disposed' };
