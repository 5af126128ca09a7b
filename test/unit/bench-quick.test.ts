/**
 * `npm run bench -- --quick` as a smoke test: every scenario runs and the JSON holds a number
 * for each of them. No timing is asserted (CI machines vary); the full sizes run in `npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'bench-quick-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Results {
  quick: boolean;
  scenarios: string[];
  figures: { scenario: string; what: string; ms: number; baseline?: { ms: number }; ratio?: number; verdict?: string }[];
}

it('runs every bench scenario in quick mode and writes a number for each', () => {
  const out = join(dir, 'bench.json');
  const r = spawnSync(process.execPath, ['bin/run-ts.mjs', 'test/bench/run.ts', '--quick', '--out', out], { encoding: 'utf8', timeout: 170_000 });
  expect(r.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
  expect(r.status).toBe(0);
  const res = JSON.parse(readFileSync(out, 'utf8')) as Results;
  expect(res.quick).toBe(true);
  expect(res.scenarios).toEqual(['cli', 'stall', 'peers', 'pyrogram-peers', 'scan', 'strings', 'convert', 'backup', 'stores']);
  // Each scenario's figures are titled after it ("peers (…)", "library scan (…)", …).
  const titles: Record<string, RegExp> = { cli: /^CLI (start|inspect)/, stall: /^UI thread stall /, peers: /^peers \(Telethon/, 'pyrogram-peers': /^peers \((pyrogram|pyrofork),/, scan: /^library scan /, strings: /^strings /, convert: /^convert /, backup: /^backup /, stores: /^stores \(PostgreSQL/ };
  const problems: string[] = [];
  for (const name of res.scenarios) {
    const figures = res.figures.filter((f) => titles[name]!.test(f.scenario));
    if (figures.length === 0) problems.push(`${name}: no figures`);
    for (const f of figures) {
      if (!(Number.isFinite(f.ms) && f.ms >= 0)) problems.push(`${f.scenario}: ${f.what}: ${f.ms}`);
      if (f.baseline && !Number.isFinite(f.baseline.ms)) problems.push(`${f.scenario}: ${f.what}: baseline ${f.baseline.ms}`);
    }
  }
  expect(problems).toEqual([]);
  // Every target of the issue gets a verdict.
  const verdicts = res.figures.filter((f) => f.verdict).map((f) => f.what);
  expect(verdicts.some((w) => w.startsWith('page of'))).toBe(true);
  expect(verdicts.some((w) => w.startsWith('substring search'))).toBe(true);
  expect(verdicts.some((w) => w.startsWith('warm scan'))).toBe(true);
  expect(verdicts.filter((w) => w.startsWith('sessiondeck ') || w.startsWith('extra over')).length).toBe(3);
  expect(verdicts.some((w) => w.startsWith('longest stall'))).toBe(true);
  expect(verdicts.filter((w) => / (de|en)code$/.test(w)).length).toBe(8);
  expect(r.stdout).toContain('targets:');
}, 180_000);
