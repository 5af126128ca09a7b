/** A fuzz run whose decoder never returns, for the watchdog test in test/unit/fuzz.test.ts. */
import { fuzzTarget } from '../fuzz/harness.js';

const forever = () => {
  for (;;);
};
fuzzTarget({ name: 'forever', budgetMs: 50, dispose() {}, prepare: () => forever }, { cases: 3, seed: 41, maxRss: 2 ** 40, watchdogMs: 300 });
