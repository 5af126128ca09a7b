/**
 * What every bench scenario reports: one figure (milliseconds) with the baseline measured in
 * the same run, their ratio, and a verdict when the issue sets a target for it.
 */
import { spawnSync } from 'node:child_process';

export interface Figure {
  scenario: string;
  what: string;
  ms: number;
  baseline?: { what: string; ms: number };
  /** ours / baseline */
  ratio?: number;
  target?: string;
  verdict?: 'holds' | 'misses';
}

export function figure(
  scenario: string,
  what: string,
  ms: number,
  baseline?: { what: string; ms: number },
  target?: { text: string; holds: boolean },
): Figure {
  const f: Figure = { scenario, what, ms };
  if (baseline) {
    f.baseline = baseline;
    f.ratio = baseline.ms > 0 ? ms / baseline.ms : Number.POSITIVE_INFINITY;
  }
  if (target) {
    f.target = target.text;
    f.verdict = target.holds ? 'holds' : 'misses';
  }
  return f;
}

/** A full collection, when node runs with --expose-gc (npm run bench does): nothing left for V8 to mark while the figures are taken. */
export function settleHeap(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Wall-clock milliseconds of one call. */
export function timed<T>(fn: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}

/** The median of some figures. */
export function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median of `reps` timed calls (after one untimed warm-up call). */
export function median(reps: number, fn: (i: number) => unknown): number {
  fn(-1);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) times.push(timed(() => fn(i)).ms);
  return middle(times);
}

/** One SQL statement with its parameters inlined, for the sqlite3 CLI. */
export function inlineSql(sql: string, params: readonly unknown[]): string {
  let i = 0;
  return sql.replace(/\?/g, () => {
    const v = params[i++];
    return typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v);
  });
}

/**
 * Milliseconds per run of `statements` in the sqlite3 CLI: the script runs them `reps` times
 * with output to /dev/null, and the same process running `SELECT 1` as often is subtracted,
 * so neither the spawn nor the statement dispatch is counted against sqlite3.
 */
export function sqlite3Cli(db: string, statements: readonly string[], reps: number): number {
  const run = (body: string) => {
    const script = `.output /dev/null\n${body.repeat(reps)}`;
    return median(3, () => {
      const r = spawnSync('/usr/bin/sqlite3', ['-readonly', db], { input: script, encoding: 'utf8' });
      if (r.status !== 0 || r.stderr) throw new Error(`sqlite3: ${r.stderr.trim().split('\n')[0]}`);
    });
  };
  const work = run(statements.map((s) => `${s};\n`).join(''));
  const idle = run('SELECT 1;\n'.repeat(statements.length));
  return Math.max(0, work - idle) / reps;
}
