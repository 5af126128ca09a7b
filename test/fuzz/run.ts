/**
 * `npm run fuzz [-- --cases N --seed S --only name,name]`: the long fuzz run, N cases per
 * decoder (default 100,000), then a per-decoder table. Exits 1 when any case failed, listing
 * the seeds to replay (`--only <decoder> --seed <seed> --cases 1`).
 */
import { parseArgs } from 'node:util';
import { failureCount, formatTable, fuzzTarget, type FuzzStats } from './harness.js';
import { fuzzTargets } from './targets.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000_000) },
    only: { type: 'string' },
  },
});
const cases = Number(values.cases);
const seed = Number(values.seed);
const only = values.only?.split(',');

const targets = fuzzTargets({ corpus: 20, limits: { hugeBlob: 8 * 2 ** 20, manyTables: 10_000 } }, only);
console.log(`fuzzing ${targets.length} decoders, ${cases.toLocaleString('en-US')} cases each, seed ${seed}`);
const rows: FuzzStats[] = [];
for (const t of targets) {
  const t0 = performance.now();
  const stats = fuzzTarget(t, { cases, seed, maxRss: 2 * 2 ** 30 });
  t.dispose();
  rows.push(stats);
  console.log(`  ${t.name}: ${failureCount(stats)} failure(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const f of stats.failures) console.log(`    seed ${f.seed}: ${f.what}`);
}
console.log(`\n${formatTable(rows)}`);
process.exitCode = rows.some((r) => failureCount(r) > 0) ? 1 : 0;
