/**
 * Bench scenario: the built CLI as a user runs it (npm run bench builds it first). Start-up (`formats`, `inspect` of a 10-peer
 * file) against a bare `node -e 0`; and what inspecting a big Telethon file costs over the
 * 10-peer one, against the sqlite3 CLI's `select count(*)` over its entities (both whole
 * processes, wall time, medians).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figure, median, type Figure } from './measure.js';
import { makeBigTelethon } from './telethon-big.js';

const REPS = 7;

function wall(cmd: string, args: string[]): number {
  return median(REPS, () => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr.trim().split('\n')[0]}`);
  });
}

export function benchCli(bigPeers: number): Figure[] {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
  try {
    const small = join(dir, 'small.session');
    const big = join(dir, 'big.session');
    makeBigTelethon(small, 10);
    makeBigTelethon(big, bigPeers);
    const cli = (...args: string[]) => wall(process.execPath, ['bin/sessiondeck.mjs', ...args]);
    const node = wall(process.execPath, ['-e', '0']);
    const base = { what: 'node -e 0', ms: node };
    const formats = cli('formats');
    const inspectSmall = cli('inspect', small, '--json');
    const inspectBig = cli('inspect', big, '--json');
    const count = wall('/usr/bin/sqlite3', ['-readonly', big, 'select count(*) from entities']);
    const extra = Math.max(0, inspectBig - inspectSmall);
    const n = bigPeers.toLocaleString('en');
    return [
      figure('CLI start', 'sessiondeck formats', formats, base, { text: '≤ 2×', holds: formats <= 2 * node }),
      figure('CLI start', 'sessiondeck inspect <10-peer file> --json', inspectSmall, base, { text: '≤ 2×', holds: inspectSmall <= 2 * node }),
      figure(`CLI inspect (${n} entities)`, 'extra over the 10-peer file', extra, { what: 'sqlite3 select count(*)', ms: count }, { text: '≤ 3×', holds: extra <= 3 * count }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
