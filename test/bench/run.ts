/**
 * `npm run bench`: every speed scenario of issues 6 and 13, each figure with a baseline measured in the
 * same run, printed as a table and written to bench-results.json. `--quick` (or
 * SESSIONDECK_BENCH_QUICK=1) runs the same scenarios small, as a smoke test; `--out <file>`
 * sets where the JSON goes; `--only peers,scan` runs some scenarios.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { benchBackup } from './backup.bench.js';
import { benchCli } from './cli.bench.js';
import { benchConvert } from './convert.bench.js';
import { figure, type Figure } from './measure.js';
import { benchPeers } from './peers.bench.js';
import { benchPyrogramPeers } from './pyrogram-peers.bench.js';
import { benchScan } from './scan.bench.js';
import { benchStall } from './stall.bench.js';
import { benchStrings } from './strings.bench.js';
import { benchStores } from './stores.bench.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.SESSIONDECK_BENCH_QUICK === '1';
const outArg = args.indexOf('--out');
const outFile = resolve(outArg >= 0 && args[outArg + 1] ? args[outArg + 1]! : 'bench-results.json');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? (args[onlyArg + 1] ?? '').split(',') : undefined;

const SIZES = quick
  ? { peers: 20_000, scanFiles: 300, strings: 2_000, convertFiles: 20, convertEntities: 100, backup: 30, storeSessions: 300 }
  : { peers: 1_000_000, scanFiles: 10_000, strings: 100_000, convertFiles: 1_000, convertEntities: 1_000, backup: 1_000, storeSessions: 10_000 };

export const SCENARIOS = ['cli', 'stall', 'peers', 'pyrogram-peers', 'scan', 'strings', 'convert', 'backup', 'stores'] as const;

async function backupFigures(n: number): Promise<Figure[]> {
  const r = await benchBackup(n);
  const scenario = `backup (${n.toLocaleString('en')} sessions)`;
  return [figure(scenario, 'backup (tar + age)', r.backupMs), figure(scenario, 'verify', r.verifyMs)];
}

const run: Record<(typeof SCENARIOS)[number], () => Promise<Figure[]> | Figure[]> = {
  cli: () => benchCli(SIZES.peers),
  stall: () => benchStall(SIZES.peers, SIZES.backup),
  peers: () => benchPeers(SIZES.peers),
  'pyrogram-peers': () => benchPyrogramPeers(SIZES.peers),
  scan: () => benchScan(SIZES.scanFiles),
  strings: () => benchStrings(SIZES.strings),
  convert: () => benchConvert(SIZES.convertFiles, SIZES.convertEntities),
  backup: () => backupFigures(SIZES.backup),
  stores: () => benchStores(SIZES.storeSessions, SIZES.peers),
};

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(3));

function table(figures: Figure[]): string {
  const rows = [['scenario', 'figure', 'ms', 'baseline', 'ms', 'ratio', 'target', 'verdict']];
  for (const f of figures) {
    rows.push([
      f.scenario,
      f.what,
      ms(f.ms),
      f.baseline?.what ?? '',
      f.baseline ? ms(f.baseline.ms) : '',
      f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}×`,
      f.target ?? '',
      f.verdict ?? '',
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ').trimEnd()).join('\n');
}

const chosen = SCENARIOS.filter((name) => !only || only.includes(name));
if (chosen.length === 0) throw new Error(`--only takes some of ${SCENARIOS.join(', ')}`);
const figures: Figure[] = [];
const started = Date.now();
for (const name of chosen) {
  process.stderr.write(`bench: ${name}…\n`);
  figures.push(...(await run[name]()));
}
console.log(table(figures));
const verdicts = figures.filter((f) => f.verdict);
console.log(`\ntargets: ${verdicts.filter((f) => f.verdict === 'holds').length} hold, ${verdicts.filter((f) => f.verdict === 'misses').length} miss`);
writeFileSync(
  outFile,
  `${JSON.stringify({ quick, node: process.version, platform: process.platform, date: new Date(started).toISOString(), sizes: SIZES, scenarios: chosen, figures }, null, 2)}\n`,
);
console.log(`written: ${outFile}`);
