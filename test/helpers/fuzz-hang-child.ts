/**
 * A fuzz run whose decoder never returns (`spin`), or only waits past the watchdog's limit
 * without spending CPU (`wait`), for the watchdog tests in test/unit/fuzz.test.ts.
 */
import { fuzzTarget } from '../fuzz/harness.js';

const forever = () => {
  for (;;);
};
const waits = () => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
const decode = process.argv[2] === 'wait' ? waits : forever;
const stats = fuzzTarget({ name: process.argv[2] ?? 'spin', budgetMs: 5000, dispose() {}, prepare: () => decode }, { cases: 2, seed: 41, maxRss: 2 ** 40, watchdogMs: 300 });
console.log(JSON.stringify({ successes: stats.successes }));
