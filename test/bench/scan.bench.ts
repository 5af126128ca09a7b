/**
 * Bench scenario: a library folder of n session files of mixed formats (every string format as
 * a .txt, the ferogram binary, and one in ten an SQLite file of each SQLite format), scanned
 * cold (empty index cache) and warm (a fresh Library reloading the cache, nothing changed; the
 * median of three).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { FORMATS } from '../../electron/core/formats/registry.js';
import { Library } from '../../electron/core/library/library.js';
import { figure, settleHeap, type Figure } from './measure.js';
import { sampleSession } from './sample-session.js';

const VARIANTS = 10;

/** Template files: VARIANTS distinct sessions of every non-folder format. */
function templates(dir: string): { plain: string[]; sqlite: string[] } {
  const plain: string[] = [];
  const sqlite: string[] = [];
  mkdirSync(dir, { recursive: true });
  for (const f of FORMATS) {
    if (f.medium === 'folder') continue;
    for (let v = 0; v < VARIANTS; v++) {
      const path = join(dir, `${f.id}-${v}${f.medium === 'string' ? '.txt' : '.session'}`);
      writeOutput(f, prepareConversion(sampleSession(v), 'ferogram', f.id).session, path);
      (f.medium === 'sqlite' ? sqlite : plain).push(path);
    }
  }
  return { plain, sqlite };
}

async function timeScan(appData: string): Promise<{ ms: number; entries: number }> {
  // The cold scan's garbage is collected first, not charged to the next scan.
  settleHeap();
  const t = performance.now();
  const lib = new Library(appData, () => undefined, false);
  await lib.scan();
  const ms = performance.now() - t;
  const entries = lib.list(30).entries.length;
  lib.close();
  return { ms, entries };
}

export async function benchScan(n: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-bench-scan-'));
  const scenario = `library scan (${n.toLocaleString('en')} files)`;
  try {
    const tpl = templates(join(dir, 'tpl'));
    const lib = join(dir, 'library');
    for (let i = 0; i < n; i++) {
      const sub = join(lib, `d${Math.floor(i / 500)}`);
      if (i % 500 === 0) mkdirSync(sub, { recursive: true });
      const from = i % 10 === 9 ? tpl.sqlite[i % tpl.sqlite.length]! : tpl.plain[i % tpl.plain.length]!;
      copyFileSync(from, join(sub, `s${i}${from.endsWith('.txt') ? '.txt' : '.session'}`));
    }
    const appData = join(dir, 'app');
    const setup = new Library(appData, () => undefined, false);
    setup.add([lib]);
    setup.close();
    const cold = await timeScan(appData);
    // The median of three: one warm scan is a few hundred milliseconds of a shared machine's mood.
    const warms = [await timeScan(appData), await timeScan(appData), await timeScan(appData)].sort((a, b) => a.ms - b.ms);
    const warm = warms[1]!;
    if (cold.entries !== n || warm.entries !== n) throw new Error(`scan found ${cold.entries}/${warm.entries} of ${n} files`);
    return [
      figure(scenario, 'cold scan (probe every file)', cold.ms),
      figure(scenario, 'warm scan (index cache)', warm.ms, { what: 'cold scan', ms: cold.ms }, { text: '≤ 150 ms', holds: warm.ms <= 150 }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
