/**
 * The web mode with its core in a worker thread: the server answers `app.info` within 100 ms
 * (nine times in ten; never held for long) while a long job runs in the worker, the job's progress arrives at most every 100 ms (and
 * its last figures with its end), and a crash of the worker is one line: what was in flight
 * is answered, the core restarts and answers again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../shared/contract.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { runWebMode } from '../../electron/server/run.js';
import { PROGRESS_INTERVAL_MS } from '../../electron/services/jobs.js';
import { tempDir } from '../helpers/format-io.js';
import { oneDcSession } from '../helpers/sessions.js';

const FILES = 1500;
const dir = tempDir('sd-core-worker-');
const lib = join(dir, 'lib');
const reports: string[] = [];
let app: Awaited<ReturnType<typeof runWebMode>>;

function post<T>(channel: string, payload: unknown): Promise<{ ok: boolean; data?: T; error?: string; code?: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(payload);
    const req = request(
      { host: '127.0.0.1', port: app.web.port, path: `/api/${channel}`, method: 'POST', headers: { 'X-Deck-Token': app.web.token, 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The job events the server streams, with when each arrived. */
function listen(): { events: { at: number; e: JobEvent }[]; close(): void } {
  const events: { at: number; e: JobEvent }[] = [];
  let buffer = '';
  const req = request({ host: '127.0.0.1', port: app.web.port, path: '/api/events', headers: { 'X-Deck-Token': app.web.token } }, (res) => {
    res.on('data', (c: Buffer) => {
      buffer += c.toString();
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name === 'job' && data) events.push({ at: performance.now(), e: JSON.parse(data) as JobEvent });
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { events, close: () => req.destroy() };
}

beforeAll(async () => {
  mkdirSync(lib, { recursive: true });
  for (let i = 0; i < FILES; i++) {
    writeOutput(telethonSqlite, oneDcSession(i + 1), join(lib, `s${i}.session`));
  }
  const ui = join(dir, 'ui');
  mkdirSync(ui);
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>deck</title>');
  app = await runWebMode({ folders: [], appDataDir: join(dir, 'data'), staticDir: ui, print: () => undefined, report: (l) => reports.push(l) });
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

describe('the core in a worker thread', () => {
  it('answers app.info within 100 ms while a long job runs, and the job reports progress at most every 100 ms', async () => {
    const stream = listen();
    await new Promise((r) => setTimeout(r, 100));
    const paths = Array.from({ length: FILES }, (_, i) => join(lib, `s${i}.session`));
    const jobId = 'long-job-0001';
    const job = post<{ written: unknown[] }>('convert.batch', { jobId, paths, to: 'telethon-string', outDir: join(dir, 'out') });
    const state = { finished: false };
    void job.then(() => (state.finished = true));
    const latencies: number[] = [];
    // Ask while the job runs (the first answer may come before it has started).
    while (!state.finished) {
      const t = performance.now();
      const r = await post<{ mode: string }>('app.info', {});
      latencies.push(performance.now() - t);
      expect(r.data?.mode).toBe('web');
      await new Promise((res) => setTimeout(res, 20));
    }
    const done = await job;
    expect(done.data?.written).toHaveLength(FILES);
    await new Promise((r) => setTimeout(r, 100));
    stream.close();
    expect(latencies.length).toBeGreaterThanOrEqual(10);
    // Nine answers in ten within 100 ms, none held for long: with the handlers on the thread
    // that serves, every answer would wait for the whole job (seconds). One slow answer on a
    // loaded 2-core machine is a scheduling hiccup, not a block.
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.9)]).toBeLessThan(100);
    expect(sorted.at(-1)).toBeLessThan(500);

    const mine = stream.events.filter((x) => x.e.jobId === jobId);
    const running = mine.filter((x) => x.e.state === 'running');
    const last = mine.at(-1)!;
    expect(last.e.state).toBe('done');
    expect([last.e.done, last.e.total]).toEqual([FILES, FILES]);
    // One event per file would be 1,500; throttled, a few per 100 ms of the job at most.
    const span = last.at - mine[0]!.at;
    expect(running.length).toBeLessThanOrEqual(Math.ceil(span / PROGRESS_INTERVAL_MS) + 2);
    expect(running.length).toBeGreaterThanOrEqual(2);
    // Sent at least an interval apart (a little slack for the relay and the stream).
    for (let i = 1; i < running.length; i++) expect(running[i]!.at - running[i - 1]!.at).toBeGreaterThan(PROGRESS_INTERVAL_MS - 30);
  });

  it('a crash of the worker is one line; what was in flight is answered, and the core restarts', async () => {
    const worker = Reflect.get(app.core, 'worker') as { terminate(): Promise<number> };
    const inFlight = post('library.list', {});
    await worker.terminate();
    const r = await inFlight;
    // The request either made it before the crash or is answered with the crash's line.
    expect(r.ok ? 'answered' : `${r.code}: ${r.error}`).toMatch(/^(answered|core-crashed: the core stopped unexpectedly and was restarted: try again)$/);
    expect(reports).toEqual([expect.stringMatching(/^Session Deck: the core stopped unexpectedly \(exit code \d+\); restarted$/)]);
    let again;
    for (let i = 0; i < 100; i++) {
      again = await post<{ mode: string }>('app.info', {});
      if (again.ok) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(again).toMatchObject({ ok: true, data: { mode: 'web' } });
  });
});
