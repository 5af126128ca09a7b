/**
 * Bench scenario: convert n Telethon files (m entities each) to Pyrogram files, as the CLI and
 * the UI do (read, project, atomic write); the baseline copies the same files, the I/O floor.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareConversion } from '../../electron/core/convert/convert.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { readInput } from '../../electron/core/formats/detect.js';
import { formatById } from '../../electron/core/formats/registry.js';
import { figure, timed, type Figure } from './measure.js';
import { makeBigTelethon } from './telethon-big.js';

export function benchConvert(n: number, entities: number): Figure[] {
  const dir = mkdtempSync(join(tmpdir(), 'sd-bench-convert-'));
  try {
    const template = join(dir, 'template.session');
    makeBigTelethon(template, entities);
    const src = join(dir, 'src');
    mkdirSync(src);
    const paths = Array.from({ length: n }, (_, i) => join(src, `t${i}.session`));
    for (const p of paths) copyFileSync(template, p);
    const pyrogram = formatById('pyrogram')!;
    const out = join(dir, 'out');
    mkdirSync(out);
    const convert = timed(() => {
      for (const [i, p] of paths.entries()) {
        const c = prepareConversion(readInput(p).session, 'telethon', 'pyrogram', { isBot: false, apiId: 12345 });
        writeOutput(pyrogram, c.session, join(out, `p${i}.session`));
      }
    });
    const copy = join(dir, 'copy');
    mkdirSync(copy);
    const floor = timed(() => paths.forEach((p, i) => copyFileSync(p, join(copy, `c${i}.session`))));
    const peers = readInput(join(out, 'p0.session')).session.peers.length;
    if (peers !== entities) throw new Error(`converted file holds ${peers} peers, not ${entities}`);
    return [
      figure(`convert (${n.toLocaleString('en')} Telethon files × ${entities.toLocaleString('en')} entities → Pyrogram)`, 'convert all', convert.ms, {
        what: 'copy the same files',
        ms: floor.ms,
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
