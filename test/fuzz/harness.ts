/**
 * Runs fuzz cases against one target and keeps score. A case passes when the decoder returns
 * or throws a SessionError, within the target's time budget, with the process's memory below
 * the cap. The budget counts CPU time: a hang spins, while a long run at low priority next to
 * other work (the fuzzer is meant to be niced) can wait seconds of wall time for no fault of
 * the decoder. Case i uses the rng seeded with `seed + i`, so a failure replays from its seed.
 */
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
  for (let i = 0; i < opts.cases; i++) {
    const seed = (opts.seed + i) >>> 0;
    const decode = target.prepare(rngFrom(seed));
    const cpu0 = process.cpuUsage();
    let outcome: 'ok' | 'typed' | 'fail' = 'ok';
    try {
      decode();
    } catch (e) {
      if (e instanceof SessionError) outcome = 'typed';
      else {
        outcome = 'fail';
        fail(seed, describe(e));
      }
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
