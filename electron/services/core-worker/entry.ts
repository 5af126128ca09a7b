/**
 * The core's worker thread: the contract's handlers run here, off the thread that serves the
 * window or the HTTP server, so a backup of a thousand sessions or a million-peer conversion
 * never stalls it. Session bytes, exported strings and passphrases stay in this thread.
 */
import { parentPort } from 'node:worker_threads';
import { isStoreUrl } from '../../core/store/store-url.js';
import { describeError } from '../../core/errors.js';
import { setSqliteNativeBinding } from '../../core/sqlite/open.js';
import type { Platform } from '../platform.js';
import { createServices, type Services } from '../services.js';
import { dispatch } from '../handlers.js';
import type { FromWorker, HostMethod, ToWorker, WorkerPlatform } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('the core worker runs in a worker thread');

const post = (m: FromWorker) => port.postMessage(m);
let services: Services | undefined;
let nextCall = 1;
const calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

function hostCall<T>(method: HostMethod, ...args: unknown[]): Promise<T> {
  const id = nextCall++;
  return new Promise<T>((resolve, reject) => {
    calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
    post({ type: 'hostCall', id, method, args });
  });
}

function platformOf(p: WorkerPlatform): Platform {
  const has = new Set(p.powers);
  return {
    mode: p.mode,
    appDataDir: p.appDataDir,
    version: p.version,
    watchFolders: p.watchFolders,
    backupWorkFactor: p.backupWorkFactor,
    emit: (name, payload) => post({ type: 'event', name, payload }),
    clipboard: has.has('clipboard') ? { readText: () => hostCall('clipboard.readText'), writeText: (t) => hostCall('clipboard.writeText', t) } : undefined,
    trashItem: has.has('trashItem') ? (path) => hostCall('trashItem', path) : undefined,
    openDialog: has.has('openDialog') ? (kind) => hostCall('openDialog', kind) : undefined,
    saveDialog: has.has('saveDialog') ? (path) => hostCall('saveDialog', path) : undefined,
    seal: has.has('seal')
      ? { seal: async (t) => Buffer.from(await hostCall<Uint8Array>('seal', t)), open: (b) => hostCall<string>('unseal', b) }
      : undefined,
  };
}

async function init(m: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  try {
    if (m.platform.sqliteBinding) setSqliteNativeBinding(m.platform.sqliteBinding);
    services = createServices(platformOf(m.platform));
    // A folder that does not exist, or a store that does not open, stops the start here, in one line.
    const folders = m.folders.filter((f) => !isStoreUrl(f));
    if (folders.length > 0) services.library.add(folders);
    for (const url of m.folders.filter(isStoreUrl)) {
      const r = await dispatch(services.handlers, 'library.addStore', { url });
      if (!r.ok) throw new Error(r.error);
    }
  } catch (e) {
    post({ type: 'initFailed', error: describeError(e) });
    return;
  }
  post({ type: 'ready' });
  void services.start().catch(() => undefined);
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'init': {
      void init(m);
      return;
    }
    case 'request':
      if (!services) return post({ type: 'reply', id: m.id, envelope: { ok: false, error: 'the core is not started', code: 'internal' } });
      void dispatch(services.handlers, m.channel, m.payload).then((envelope) => post({ type: 'reply', id: m.id, envelope }));
      return;
    case 'hostReply': {
      const call = calls.get(m.id);
      calls.delete(m.id);
      if (m.ok) call?.resolve(m.value);
      else call?.reject(new Error(m.error));
      return;
    }
    case 'dispose':
      void (services?.dispose() ?? Promise.resolve()).finally(() => {
        post({ type: 'disposed' });
        port.close();
      });
  }
});
