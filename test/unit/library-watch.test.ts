/**
 * The library's folders watched with chokidar: a file being copied in is probed once its
 * writes finish (never as a half file), one changed file re-probes that file only, the app's
 * own temp, journal and lock files are not seen, and a root removed is an empty root, not a crash.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { IndexCache } from '../../electron/core/library/index-cache.js';
import { Library } from '../../electron/core/library/library.js';
import { rescanPaths, scanRoot } from '../../electron/core/library/scan.js';
import { tempDir } from '../helpers/format-io.js';
import { oneDcSession } from '../helpers/sessions.js';

const dir = tempDir('sd-watch-');
const libraries: Library[] = [];
afterAll(() => {
  for (const l of libraries) l.close();
});

function session(path: string, seed: number, userId: bigint): void {
  writeOutput(telethonSqlite, oneDcSession(seed, userId), path);
}

async function until(what: string, ok: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function watched(name: string) {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  session(join(root, 'a.session'), 1, 1001n);
  let changes = 0;
  const library = new Library(join(dir, `${name}-data`), () => changes++, true);
  libraries.push(library);
  library.add([root]);
  await library.scan();
  // chokidar is ready shortly after the scan starts it.
  await new Promise((r) => setTimeout(r, 300));
  const entries = () => library.list(183).entries;
  return { root, library, entries, changes: () => changes };
}

describe('watching the library', () => {
  it('probes a file copied in only when its writes have finished', async () => {
    const w = await watched('copy');
    const source = join(dir, 'copy-source.session');
    session(source, 2, 2002n);
    const bytes = readFileSync(source);
    const target = join(w.root, 'b.session');
    // Written in four pieces 150 ms apart, as a slow copy would.
    const fd = openSync(target, 'w');
    for (let i = 0; i < 4; i++) {
      const part = bytes.subarray((i * bytes.length) / 4, ((i + 1) * bytes.length) / 4);
      writeSync(fd, part);
      await new Promise((r) => setTimeout(r, 150));
    }
    closeSync(fd);
    await until('the copied session', () => w.entries().some((e) => e.path === target));
    expect(w.entries().find((e) => e.path === target)).toMatchObject({ status: 'ok', userId: '2002' });
  });

  it('ignores its own temp, journal and lock files', async () => {
    const w = await watched('own');
    const before = w.changes();
    writeFileSync(join(w.root, '.a.session.0123456789ab.tmp'), 'x');
    writeFileSync(join(w.root, 'a.session-journal'), 'x');
    writeFileSync(join(w.root, 'a.session.lock'), '123');
    await new Promise((r) => setTimeout(r, 1500));
    expect(w.changes()).toBe(before);
    expect(w.entries().map((e) => e.name)).toEqual(['a.session']);
    // The watcher is alive: a session written now is seen.
    session(join(w.root, 'd.session'), 4, 4004n);
    await until('the new session', () => w.entries().some((e) => e.name === 'd.session'));
    expect(w.changes()).toBeGreaterThan(before);
  });

  it('a removed root is an empty root, not a crash, and comes back when it does', async () => {
    const w = await watched('gone');
    rmSync(w.root, { recursive: true, force: true });
    await until('the root to empty', () => w.entries().length === 0);
    mkdirSync(w.root);
    session(join(w.root, 'c.session'), 3, 3003n);
    await w.library.scan();
    expect(w.entries().map((e) => e.name)).toEqual(['c.session']);
  });
});

describe('rescanPaths', () => {
  it('re-probes the changed file only, and a session for its sidecar', async () => {
    const root = join(dir, 'rescan');
    mkdirSync(root);
    for (let i = 0; i < 5; i++) session(join(root, `s${i}.session`), 10 + i, BigInt(100 + i));
    const cache = new IndexCache(join(dir, 'rescan-cache.json'));
    const current = await scanRoot(root, cache);
    const changed = join(root, 's2.session');
    rmSync(changed);
    session(changed, 99, 999n);
    const set = vi.spyOn(cache, 'set');
    const next = rescanPaths(root, [changed], cache, current);
    expect(set.mock.calls.map(([e]) => e.path)).toEqual([changed]);
    expect(next.map((e) => [e.entry.path.split('/').pop(), e.entry.userId])).toEqual([0, 1, 2, 3, 4].map((i) => [`s${i}.session`, i === 2 ? '999' : String(100 + i)]));
    // A sidecar written beside s3 brings s3 back with it; the .json is no entry of its own.
    writeFileSync(join(root, 's3.json'), '{"user_id": 103, "first_name": "Three"}');
    const withSidecar = rescanPaths(root, [join(root, 's3.json')], cache, next);
    expect(withSidecar).toHaveLength(5);
    expect(withSidecar.find((e) => e.entry.path.endsWith('s3.session'))?.sidecar?.path).toBe(join(root, 's3.json'));
    // A removed file leaves.
    rmSync(join(root, 's4.session'));
    expect(rescanPaths(root, [join(root, 's4.session')], cache, withSidecar)).toHaveLength(4);
  });
});
