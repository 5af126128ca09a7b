/**
 * Bench scenario: how long the thread serving the UI stalls while a big conversion and a big
 * backup run together. The web mode relays them to the core worker, so its event loop only
 * relays; the baseline runs the same two requests through the handlers on this thread, as
 * every handler ran before the worker. Stalls are measured with perf_hooks' event-loop delay
 * histogram (the longest delay).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { runWebMode } from '../../electron/server/run.js';
import { oneDcSession } from '../helpers/sessions.js';
import { createServices } from '../../electron/services/services.js';
import { dispatch, type Dispatch } from '../../electron/services/handlers.js';
import { figure, settleHeap, type Figure } from './measure.js';
import { makeBigTelethon } from './telethon-big.js';

/** The longest stall of this thread while `work` runs, in ms. */
async function maxStall(work: () => Promise<unknown>): Promise<number> {
  // What earlier scenarios left on the heap is collected first, not charged to this one.
  settleHeap();
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await work();
  h.disable();
  return h.max / 1e6;
}

async function both(call: Dispatch, dir: string, big: string, sessions: string[], tag: string): Promise<void> {
  const [convert, backup] = await Promise.all([
    call('convert.write', { ref: big, to: 'telethon', out: join(dir, `converted-${tag}.session`) }),
    call('backup.create', { jobId: `bench-${tag}-backup`, paths: sessions, out: join(dir, `backup-${tag}.tar.age`), passphrase: 'bench passphrase' }),
  ]);
  for (const r of [convert, backup]) if (!r.ok) throw new Error(`bench stall: ${r.error}`);
}

export async function benchStall(peers: number, sessionCount: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-bench-stall-'));
  try {
    const big = join(dir, 'big.session');
    makeBigTelethon(big, peers);
    const lib = join(dir, 'lib');
    mkdirSync(lib);
    const sessions = Array.from({ length: sessionCount }, (_, i) => {
      const p = join(lib, `s${i}.session`);
      writeOutput(telethonSqlite, oneDcSession(i + 1), p);
      return p;
    });
    const ui = join(dir, 'ui');
    mkdirSync(ui);
    writeFileSync(join(ui, 'index.html'), '<!doctype html>');

    const app = await runWebMode({ folders: [], appDataDir: join(dir, 'data-worker'), staticDir: ui, print: () => undefined });
    const worker = await maxStall(() => both(app.core.dispatch, dir, big, sessions, 'worker'));
    await app.stop();

    const services = createServices({ mode: 'web', appDataDir: join(dir, 'data-inline'), version: '0', emit: () => undefined, watchFolders: false });
    const inline = await maxStall(() => both((n, p) => dispatch(services.handlers, n, p), dir, big, sessions, 'inline'));
    await services.dispose();

    const what = `UI thread stall (${peers.toLocaleString('en')}-peer conversion + ${sessionCount.toLocaleString('en')}-session backup)`;
    return [figure(what, 'longest stall, core in its worker', worker, { what: 'handlers on the UI thread', ms: inline }, { text: '≤ 50 ms', holds: worker <= 50 })];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
