#!/usr/bin/env node
// `npm test`: typecheck, lint, the vitest suites (unit + interop), then the Playwright e2e
// suite. Every step runs even when an earlier one fails, so one run shows everything; the
// last line sums them as "N passed, N failed, N skipped" (a failed typecheck or lint counts
// as one failure each). Exit status is non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const countsDir = `${root}test-results/counts`;
rmSync(countsDir, { recursive: true, force: true });
mkdirSync(countsDir, { recursive: true });

const bin = (name) => `${root}node_modules/.bin/${name}`;
const steps = [
  // One environment each: the Node side (no DOM), the UI (no Node), then the tests.
  { name: 'typecheck (node)', cmd: bin('tsc'), args: ['-p', 'tsconfig.node.json', '--noEmit'] },
  { name: 'typecheck (web)', cmd: bin('tsc'), args: ['-p', 'tsconfig.web.json', '--noEmit'] },
  { name: 'typecheck (tests)', cmd: bin('tsc'), args: ['-p', 'tsconfig.json', '--noEmit'] },
  { name: 'lint', cmd: bin('oxlint'), args: ['--deny-warnings', 'electron', 'shared', 'renderer', 'test', 'bin'] },
  { name: 'vitest', cmd: bin('vitest'), args: ['run'], counts: 'vitest.json' },
  { name: 'e2e', cmd: bin('playwright'), args: ['test'], counts: 'e2e.json' },
];

const total = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];
for (const step of steps) {
  process.stdout.write(`\n── ${step.name} ──\n`);
  const r = spawnSync(step.cmd, step.args, { cwd: root, stdio: 'inherit', env: { ...process.env, SESSIONDECK_COUNTS_DIR: countsDir } });
  let stepFailures = 0;
  if (step.counts) {
    try {
      const c = JSON.parse(readFileSync(`${countsDir}/${step.counts}`, 'utf8'));
      total.passed += c.passed;
      total.skipped += c.skipped;
      stepFailures = c.failed;
    } catch {
      // The runner died before reporting: counted below as one failure.
    }
  }
  if (r.status !== 0) {
    failedSteps.push(step.name);
    stepFailures = Math.max(stepFailures, 1);
  }
  total.failed += stepFailures;
}
if (failedSteps.length > 0) process.stdout.write(`\nfailed steps: ${failedSteps.join(', ')}\n`);
process.stdout.write(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exitCode = failedSteps.length > 0 ? 1 : 0;
