/**
 * A bounded sample of the fuzz run (`npm run fuzz` runs 100,000 cases per decoder): mutated
 * encodings of every string format, the ferogram binary and every SQLite format (corrupt
 * pages, truncation, hostile schemas) only ever throw a SessionError, within a time budget.
 * The seed changes per run (printed on failure) so CI keeps exploring. Also the harness's own
 * verdicts: a hang is CPU spent, a starved wait is not, and a case that spins without returning ends the run.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { failureCount, fuzzTarget } from '../fuzz/harness.js';
import { fuzzTargets } from '../fuzz/targets.js';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000_000);
const targets = fuzzTargets({ corpus: 8, limits: { hugeBlob: 4 * 2 ** 20, manyTables: 2000 } });
afterAll(() => targets.forEach((t) => t.dispose()));

describe(`fuzz sample (FUZZ_SEED=${seed})`, () => {
  it('covers every string format, the ferogram binary, every SQLite format, the sidecar codec and tdata', () => {
    const names = targets.map((t) => t.name);
    for (const n of ['ferogram', 'ferogram-string', 'telethon-string', 'pyrogram-string', 'gramjs-string', 'mtcute-string', 'mtkruto-string', 'telethon', 'pyrogram', 'mtcute', 'grammers', 'telethon-pager', 'pyrogram-pager', 'kurigram-pager', 'pyrofork-pager', 'sidecar', 'tdata']) {
      expect(names).toContain(n);
    }
  });

  it.each(targets.map((t) => [t.name, t] as const))('%s: only SessionErrors, no hang', (_name, target) => {
    const cases = target.budgetMs > 1000 ? 200 : 4000;
    const stats = fuzzTarget(target, { cases, seed, maxRss: 1.5 * 2 ** 30 });
    expect(stats.failures).toEqual([]);
    expect(failureCount(stats)).toBe(0);
    // The corpus really decodes: mutations leave some inputs valid, and most are refused.
    expect(stats.typedErrors).toBeGreaterThan(0);
  });
});

describe('fuzz harness', () => {
  const target = (name: string, decode: () => void) => ({ name, budgetMs: 50, dispose() {}, prepare: () => decode });
  const run = (t: ReturnType<typeof target>) => fuzzTarget(t, { cases: 1, seed: 1, maxRss: 2 ** 40 });

  it('counts a decoder that spins past the budget as a hang, and one that only waits (a starved run) as a pass', () => {
    const spin = run(target('spin', () => {
      const until = performance.now() + 120;
      while (performance.now() < until);
    }));
    expect(spin.failures.map((f) => f.what)).toEqual([expect.stringMatching(/^hang: \d+ ms of CPU > 50 ms$/)]);
    const wait = run(target('wait', () => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120)));
    expect(wait.failures).toEqual([]);
    expect(wait.successes).toBe(1);
  });

  const child = (mode: 'spin' | 'wait') =>
    spawnSync(process.execPath, ['bin/run-ts.mjs', 'test/helpers/fuzz-hang-child.ts', mode], { encoding: 'utf8', timeout: 60_000 });

  it('ends a run whose case spins without returning, naming the case, instead of stalling', () => {
    const r = child('spin');
    expect(r.signal).toBe('SIGKILL');
    expect(r.stderr).toMatch(/fuzz watchdog: spin case seed 41 has not returned after \d+ ms of CPU in \d+ ms of wall time \(limit 300 ms\): a hang; killing the run/);
  });

  it('lets a case that only waits past the limit (a starved process) finish', () => {
    const r = child('wait');
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({ successes: 2 });
  });

  it('counts anything but a SessionError as a failure', () => {
    const stats = run(target('throws', () => {
      throw new TypeError('boom');
    }));
    expect(stats.failures).toEqual([{ seed: 1, what: 'TypeError: boom' }]);
  });
});
