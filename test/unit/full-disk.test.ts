/**
 * A full disk, for real: a 2 MB tmpfs in a private mount namespace (`unshare -rm`, so nothing
 * is mounted on the machine), filled to the last byte after a few sessions are made on it.
 * Every CLI command that writes must then fail with one line naming the full disk and leave
 * the folder byte for byte as it was: no half-written output, no temp file, no empty folder.
 * Reported as skipped, with the reason, where user namespaces or tmpfs mounts are not allowed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'sd-full-disk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inNamespace = (command: string) =>
  spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=2m tmpfs '${dir}' && ${command}`], { encoding: 'utf8' });

const probe = inNamespace('true');
const cannot = probe.error ? probe.error.message : probe.status !== 0 ? probe.stderr.trim().split('\n')[0] : undefined;
if (cannot) console.warn(`full-disk.test.ts skipped: no private tmpfs here (${cannot})`);

interface Result {
  what: string;
  status: number | null;
  stderr: string;
  unchanged: boolean;
}

describe.skipIf(cannot !== undefined)(`a full disk${cannot ? ` (skipped: no private tmpfs here: ${cannot})` : ''}`, () => {
  it('every writing command fails in one line naming the full disk and changes nothing', () => {
    const r = inNamespace(`exec '${process.execPath}' bin/run-ts.mjs test/helpers/full-disk-child.ts '${dir}'`);
    expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
    const out = JSON.parse(r.stdout) as { files: number; results: Result[] };
    // The sessions and the old archive were made before the disk filled up.
    expect(out.files).toBeGreaterThanOrEqual(3);
    expect(out.results.map((x) => x.what)).toHaveLength(8);
    for (const x of out.results) {
      expect({ what: x.what, status: x.status, lines: x.stderr.trim().split('\n').length, unchanged: x.unchanged }).toEqual({
        what: x.what,
        status: 1,
        lines: 1,
        unchanged: true,
      });
      expect(`${x.what}: ${x.stderr}`).toMatch(/^[^:]+: sessiondeck \w+: .+: the disk is full\n$/);
    }
  }, 120_000);
});
