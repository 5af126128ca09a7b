/**
 * The main thread's side of the core worker: starts it, relays the contract's requests and
 * replies and its events, answers its calls for the host's powers (dialogs, trash, clipboard,
 * keychain), and restarts it after a crash: whatever was in flight is answered with one line,
 * jobs it was running are reported failed, and nothing is half-written (every write is atomic).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Envelope, EventName, EventPayload, JobEvent } from '../../../shared/contract.js';
import type { Platform } from '../platform.js';
import type { Dispatch } from '../handlers.js';
import type { FromWorker, HostMethod, HostPower, ToWorker, WorkerPlatform } from './protocol.js';

export interface CoreHostOptions {
  /** The host's powers and where events go; the rest is handed to the worker as plain values. */
  platform: Platform;
  /** Folders to add to the library at start (a missing one fails the start). */
  folders?: string[];
  sqliteBinding?: string;
  /** Where the one line about a crash goes. */
  report?: (line: string) => void;
}

const CRASHED = 'the core stopped unexpectedly and was restarted: try again';
/** More crashes than this within a minute and the core is left stopped (every request then says so). */
const MAX_RESTARTS = 5;

/**
 * The worker: the built script beside this module (or one folder up, from a chunk) in the
 * CLI's and Electron's builds; from a checkout's sources (tests, dev scripts), the TypeScript
 * entry loaded through tsx, which a worker can only register from code of its own.
 */
function newWorker(): Worker {
  if (import.meta.url.endsWith('.ts')) {
    const entry = new URL('./entry.ts', import.meta.url).href;
    return new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
  }
  for (const rel of ['./core-worker.mjs', '../core-worker.mjs', './core-worker.js', '../core-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return new Worker(url);
  }
  throw new Error('the core worker script is missing from this build');
}

export class CoreHost {
  private worker!: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, (e: Envelope<unknown>) => void>();
  private readonly runningJobs = new Map<string, JobEvent>();
  private disposed = false;
  private crashes: number[] = [];

  private constructor(private readonly opts: CoreHostOptions) {}

  /** Starts the worker; rejects with its one line when it cannot start (a missing folder). */
  static async start(opts: CoreHostOptions): Promise<CoreHost> {
    const host = new CoreHost(opts);
    await host.spawn(opts.folders ?? []);
    return host;
  }

  readonly dispatch: Dispatch = (channel, payload) => {
    if (this.disposed) return Promise.resolve({ ok: false, error: 'the app is closing', code: 'internal' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ type: 'request', id, channel, payload });
    });
  };

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const w = this.worker;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => void w.terminate().then(() => done()), 5000);
      w.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      w.postMessage({ type: 'dispose' } satisfies ToWorker);
    });
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private spawn(folders: string[]): Promise<void> {
    const p = this.opts.platform;
    const powers = (['clipboard', 'trashItem', 'openDialog', 'saveDialog', 'seal'] as HostPower[]).filter((k) => p[k] !== undefined);
    const platform: WorkerPlatform = {
      mode: p.mode,
      appDataDir: p.appDataDir,
      version: p.version,
      watchFolders: p.watchFolders,
      backupWorkFactor: p.backupWorkFactor,
      sqliteBinding: this.opts.sqliteBinding,
      powers,
    };
    const worker = newWorker();
    this.worker = worker;
    return new Promise((resolve, reject) => {
      let started = false;
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          started = true;
          resolve();
        } else if (m.type === 'initFailed') {
          this.disposed = true;
          void worker.terminate();
          reject(new Error(m.error));
        } else this.receive(m);
      });
      worker.on('error', (e) => {
        if (!started) reject(e);
      });
      worker.on('exit', (code) => {
        if (started && !this.disposed) this.crashed(code);
      });
      worker.postMessage({ type: 'init', platform, folders } satisfies ToWorker);
    });
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'reply': {
        const done = this.pending.get(m.id);
        this.pending.delete(m.id);
        done?.(m.envelope);
        return;
      }
      case 'event':
        if (m.name === 'job') this.track(m.payload as JobEvent);
        this.opts.platform.emit(m.name, m.payload as EventPayload<EventName>);
        return;
      case 'hostCall':
        void this.answer(m.id, m.method, m.args);
    }
  }

  private track(e: JobEvent): void {
    if (e.state === 'running') this.runningJobs.set(e.jobId, e);
    else this.runningJobs.delete(e.jobId);
  }

  private async answer(id: number, method: HostMethod, args: unknown[]): Promise<void> {
    const p = this.opts.platform;
    try {
      const value = await hostMethod(p, method, args);
      this.send({ type: 'hostReply', id, ok: true, value });
    } catch (e) {
      this.send({ type: 'hostReply', id, ok: false, error: (e as Error).message });
    }
  }

  private crashed(code: number): void {
    for (const done of this.pending.values()) done({ ok: false, error: CRASHED, code: 'core-crashed' });
    this.pending.clear();
    for (const job of this.runningJobs.values()) this.opts.platform.emit('job', { ...job, state: 'failed', message: 'the core stopped unexpectedly' });
    this.runningJobs.clear();
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < 60_000), now];
    if (this.crashes.length > MAX_RESTARTS) {
      this.disposed = true;
      this.opts.report?.(`Session Deck: the core stopped (exit code ${code}) ${this.crashes.length} times in a minute; it is left stopped`);
      return;
    }
    this.opts.report?.(`Session Deck: the core stopped unexpectedly (exit code ${code}); restarted`);
    // The library's folders are saved in the app data: the new core scans them again.
    this.spawn([]).catch((e: unknown) => this.opts.report?.(`Session Deck: the core did not restart: ${(e as Error).message}`));
  }
}

function hostMethod(p: Platform, method: HostMethod, args: unknown[]): Promise<unknown> | unknown {
  switch (method) {
    case 'clipboard.readText':
      return p.clipboard!.readText();
    case 'clipboard.writeText':
      return p.clipboard!.writeText(args[0] as string);
    case 'trashItem':
      return p.trashItem!(args[0] as string);
    case 'openDialog':
      return p.openDialog!(args[0] as 'folder' | 'file');
    case 'saveDialog':
      return p.saveDialog!(args[0] as string);
    case 'seal':
      return p.seal!.seal(args[0] as string);
    case 'unseal':
      return p.seal!.open(Buffer.from(args[0] as Uint8Array));
  }
}
