import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BinaryFileBackend } from '../../electron/core/backends/binary-file.js';

const dir = mkdtempSync(join(tmpdir(), 'deck-concurrency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SAVES = 1000;
const PEERS = 100;

function runWriter(path: string, tag: number, saves: number, peers: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/run-ts.mjs', 'test/helpers/binary-file-writer.ts', path, String(tag), String(saves), String(peers)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`writer ${tag} exited ${code}: ${err.split('\n')[0]}`))));
  });
}

it('two processes saving 1,000 times each never leave a file that fails to load, and never lose updates', async () => {
  const path = join(dir, 'shared.session');
  const reader = new BinaryFileBackend(path);
  const run = { writing: true };
  const torn: string[] = [];
  let loads = 0;
  const seen = new Set<number>();
  const readLoop = (async () => {
    while (run.writing) {
      const s = await reader.load(); // throws (and fails the test) on a torn or partial file
      if (s) {
        loads++;
        seen.add(s.homeDc);
        // The session must be internally whole: its DC belongs to the writer that set the home DC.
        if (s.dcs[0]?.id !== s.homeDc) torn.push(`home ${s.homeDc} with DC ${s.dcs[0]?.id}`);
      }
      await new Promise((r) => setImmediate(r));
    }
  })();

  const outs = await Promise.all([runWriter(path, 2, SAVES, 0), runWriter(path, 4, SAVES, 0)]).finally(() => {
    run.writing = false;
  });
  await readLoop;
  expect(outs).toEqual(['done\n', 'done\n']);
  expect(torn).toEqual([]);
  expect(loads).toBeGreaterThan(10);
  expect(seen.size).toBeGreaterThanOrEqual(1);

  // Then both cache peers concurrently: every read-modify-write holds the lock, so neither
  // loses the other's peers.
  expect(await Promise.all([runWriter(path, 2, 0, PEERS), runWriter(path, 4, 0, PEERS)])).toEqual(['done\n', 'done\n']);
  const final = (await reader.load())!;
  for (const tag of [2, 4]) {
    for (let k = 0; k < PEERS; k++) {
      expect(final.peers.some((p) => p.id === BigInt(tag * 1_000_000 + k))).toBe(true);
    }
  }
  expect(readdirSync(dir)).toEqual(['shared.session']);
});
