/** Where the vitest and Playwright summary reporters leave their counts for bin/test.mjs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export function reportCounts(file: string, c: Counts): void {
  process.stdout.write(`\n${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped\n`);
  const dir = process.env.SESSIONDECK_COUNTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), JSON.stringify(c));
}
