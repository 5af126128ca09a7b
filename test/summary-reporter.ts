/**
 * vitest: prints "N passed, N failed, N skipped" and leaves the counts for bin/test.mjs.
 * Skipped tests stay skipped (their reason is in the skip message), never counted as passes;
 * a test file that fails to load counts as a failure.
 */
import type { Reporter, TestModule } from 'vitest/node';
import { reportCounts } from './counts.js';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const c = { passed: 0, failed: 0, skipped: 0 };
    for (const m of modules) {
      const tests = [...m.children.allTests()];
      for (const t of tests) {
        const state = t.result().state;
        if (state === 'passed') c.passed++;
        else if (state === 'failed') c.failed++;
        else c.skipped++;
      }
      if (m.state() === 'failed' && tests.every((t) => t.result().state !== 'failed')) c.failed++;
    }
    reportCounts('vitest.json', c);
  }
}
