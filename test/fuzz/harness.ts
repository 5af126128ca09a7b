/**
 * Runs fuzz cases against one target and keeps score. A case passes when the decoder returns
 * or throws a SessionError, within the target's time budget, with the process's memory below
 * the cap. The budget counts CPU time: a hang spins, while a long run at low priority next to
 * other work (the fuzzer is meant to be niced) can wait seconds of wall time for no fault of
 * the decoder. Case i uses the rng seeded with `seed + i`, so a failure replays from its seed.
 * A case that never returns cannot be judged that way (a loop inside SQLite's C code cannot
 * be interrupted): a watchdog process then names the case on stderr and kills this one, so
 * a run ends in bounded time with the seed to replay instead of stalling.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionError } from '../../electron/core/errors.js';
import { rngFrom } from './mutate.js';
import type { FuzzTarget } from './targets.js';

export interface FuzzFailure {
  seed: number;
  /** 'hang' (over the CPU budget), 'memory' (over the cap) or the thrown value's type and first line. */
  what: string;
}

export interface FuzzStats {
  target: string;
  cases: number;
  typedErrors: number;
  successes: number;
  /** The most CPU time one case took. */
  maxMs: number;
  failures: FuzzFailure[];
}

export interface RunOptions {
  cases: number;
  seed: number;
  /** Resident memory above this (bytes) after a case is a failure. */
  maxRss: number;
  /** Describe at most this many failures (all are counted). */
  keepFailures?: number;
  /** CPU time after which a case that has not returned kills the process (default: 6× the budget, at least 60 s). */
  watchdogMs?: number;
}

/**
 * The watchdog is a process of its own (a thread would need this one's event loop to start
 * under the TypeScript loader): it reads the running case from a small file four times a
 * second, and leaves (removing the file) when this process is gone. Like the budget, it
 * judges CPU time, read from /proc: a case that spins past the limit is a hang, while one that
 * only waited (a starved process on a loaded machine) is left alone up to a far longer wall
 * ceiling, which still ends a case blocked for good. Without /proc (macOS) the limit is wall time.
 */
const WATCHDOG_SOURCE = `
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const [file, parent] = process.argv.slice(1);
const pid = Number(parent);
let tick = 100;
try { tick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100; } catch {}
const cpuMs = () => {
  try {
    const fields = fs.readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / tick;
  } catch { return undefined; }
};
const leave = () => {
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  process.exit(0);
};
let seen = '';
let cpuAtStart;
setInterval(() => {
  try { process.kill(pid, 0); } catch { leave(); }
  let text = '';
  try { text = fs.readFileSync(file, 'utf8'); } catch { return; }
  const [start, limit, ceiling, seed, ...name] = text.split(' ');
  if (!(Number(start) > 0)) return;
  if (text !== seen) { seen = text; cpuAtStart = cpuMs(); }
  const wall = Date.now() - Number(start);
  const now = cpuMs();
  const cpu = now === undefined || cpuAtStart === undefined ? undefined : now - cpuAtStart;
  if (cpu === undefined ? wall > Number(limit) : cpu > Number(limit) || wall > Number(ceiling)) {
    const spent = cpu === undefined ? '' : Math.round(cpu) + ' ms of CPU in ';
    fs.writeSync(2, '\\nfuzz watchdog: ' + name.join(' ') + ' case seed ' + seed + ' has not returned after ' + spent + wall + ' ms of wall time (limit ' + limit + ' ms): a hang; killing the run\\n');
    process.kill(pid, 'SIGKILL');
    leave();
  }
}, 250);`;

let watchFile: string | undefined;

function watch(target: string, seed: number, limitMs: number): void {
  if (!watchFile) {
    watchFile = join(mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sd-fuzz-watch-')), 'case');
    record('0');
    spawn(process.execPath, ['-e', WATCHDOG_SOURCE, watchFile, String(process.pid)], { stdio: ['ignore', 'ignore', 'inherit'] }).unref();
  }
  const ceiling = Math.max(10 * 60_000, 10 * limitMs);
  record(`${Date.now()} ${Math.round(limitMs)} ${Math.round(ceiling)} ${seed} ${target}`);
}

/**
 * Replaces the record whole (a temp file renamed over it): an overwrite in place let the
 * watchdog read a torn record, a start time cut short that looked 10^12 ms old, and kill a
 * healthy run (CI saw it three times, each time on a case that replays in milliseconds).
 */
function record(text: string): void {
  writeFileSync(`${watchFile}.new`, text);
  renameSync(`${watchFile}.new`, watchFile!);
}

function unwatch(): void {
  if (watchFile) record('0');
}

function describe(e: unknown): string {
  const name = e instanceof Error ? e.constructor.name : typeof e;
  const line = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
  return `${name}: ${line.slice(0, 160)}`;
}

export function fuzzTarget(target: FuzzTarget, opts: RunOptions): FuzzStats {
  const stats: FuzzStats = { target: target.name, cases: 0, typedErrors: 0, successes: 0, maxMs: 0, failures: [] };
  const keep = opts.keepFailures ?? 20;
  // Every failure is counted (cases - typed - successes); the first `keep` are described.
  const fail = (seed: number, what: string) => {
    if (stats.failures.length < keep) stats.failures.push({ seed, what });
  };
  const limit = opts.watchdogMs ?? Math.max(60_000, 6 * target.budgetMs);
  for (let i = 0; i < opts.cases; i++) {
    const seed = (opts.seed + i) >>> 0;
    const decode = target.prepare(rngFrom(seed));
    const cpu0 = process.cpuUsage();
    let outcome: 'ok' | 'typed' | 'fail' = 'ok';
    watch(target.name, seed, limit);
    try {
      decode();
    } catch (e) {
      if (e instanceof SessionError) outcome = 'typed';
      else {
        outcome = 'fail';
        fail(seed, describe(e));
      }
    } finally {
      unwatch();
    }
    const cpu = process.cpuUsage(cpu0);
    const ms = (cpu.user + cpu.system) / 1000;
    stats.maxMs = Math.max(stats.maxMs, ms);
    stats.cases++;
    if (ms > target.budgetMs) {
      outcome = 'fail';
      fail(seed, `hang: ${ms.toFixed(0)} ms of CPU > ${target.budgetMs} ms`);
    } else if (process.memoryUsage.rss() > opts.maxRss) {
      outcome = 'fail';
      fail(seed, `memory: rss ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MiB`);
    }
    if (outcome === 'typed') stats.typedErrors++;
    else if (outcome === 'ok') stats.successes++;
  }
  return stats;
}

export function failureCount(s: FuzzStats): number {
  return s.cases - s.typedErrors - s.successes;
}

export function formatTable(rows: FuzzStats[]): string {
  const head = ['decoder', 'cases', 'typed errors', 'successes', 'failures', 'max cpu ms'];
  const body = rows.map((r) => [r.target, r.cases, r.typedErrors, r.successes, failureCount(r), r.maxMs.toFixed(1)].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
