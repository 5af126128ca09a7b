/** Playwright: the same closing line and counts file as the vitest reporter. */
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { reportCounts } from '../counts.js';

export default class SummaryReporter implements Reporter {
  private readonly last = new Map<TestCase, TestResult['status']>();

  onTestEnd(test: TestCase, result: TestResult): void {
    this.last.set(test, result.status);
  }

  onEnd(result: FullResult): void {
    const c = { passed: 0, failed: 0, skipped: 0 };
    for (const status of this.last.values()) {
      if (status === 'passed') c.passed++;
      else if (status === 'skipped') c.skipped++;
      else c.failed++;
    }
    if (result.status !== 'passed' && c.failed === 0) c.failed++;
    reportCounts('e2e.json', c);
  }
}
