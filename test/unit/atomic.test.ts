/**
 * Temp files a killed writer left beside a session (each holds a whole session) are removed
 * the next time this process writes that session, once they are old enough that no live
 * writer can own them; fresh temp files and anything else in the folder stay. A rename Windows
 * calls busy for a moment is retried briefly, and only that.
 */
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renameRetrying, renameRetryingAsync, sweepStaleTemps, writeFileAtomic } from '../../electron/core/fs/atomic.js';
import { tempDir } from '../helpers/format-io.js';

it('sweeps stale temp files of the target on its next write, and keeps fresh and foreign ones', () => {
  const dir = tempDir('atomic-sweep-');
  const target = join(dir, 'a.session');
  const hourAgo = new Date(Date.now() - 3_600_000);
  const stale = ['.a.session.0123456789ab.tmp', '.a.session.0123456789ab.tmp-journal'];
  const kept = ['.a.session.ba9876543210.tmp', '.b.session.0123456789ab.tmp', '.a.session.notours.tmp', 'a.session.0123456789ab.tmp'];
  for (const name of [...stale, ...kept]) writeFileSync(join(dir, name), 'leftover');
  for (const name of [...stale, ...kept.slice(1)]) utimesSync(join(dir, name), hourAgo, hourAgo);
  writeFileAtomic(target, 'new');
  expect(readdirSync(dir).sort()).toEqual([...kept, 'a.session'].sort());
  // Once per target and process: a later stale file waits for the next process.
  writeFileSync(join(dir, stale[0]!), 'leftover');
  utimesSync(join(dir, stale[0]!), hourAgo, hourAgo);
  expect(sweepStaleTemps(target)).toEqual([]);
  expect(existsSync(join(dir, stale[0]!))).toBe(true);
});

describe('a rename Windows calls busy', () => {
  const busy = (code: string) => Object.assign(new Error(`${code}: resource busy`), { code });

  it('is tried again after short waits (an antivirus holding the file), then done', async () => {
    let tries = 0;
    const waits: number[] = [];
    renameRetrying(
      () => {
        if (++tries < 3) throw busy('EBUSY');
      },
      'win32',
      (ms) => waits.push(ms),
    );
    expect([tries, waits.length]).toEqual([3, 2]);
    let asyncTries = 0;
    await renameRetryingAsync(async () => {
      if (++asyncTries < 2) throw busy('EPERM');
    }, 'win32');
    expect(asyncTries).toBe(2);
  });

  it('fails as it is when the file stays busy, elsewhere than Windows, or for another reason', () => {
    let tries = 0;
    const always = () => {
      tries++;
      throw busy('EBUSY');
    };
    expect(() => renameRetrying(always, 'win32', () => undefined)).toThrow('EBUSY: resource busy');
    expect(tries).toBe(6);
    tries = 0;
    expect(() => renameRetrying(always, 'linux', () => undefined)).toThrow('EBUSY');
    expect(tries).toBe(1);
    expect(() => renameRetrying(() => { throw busy('ENOSPC'); }, 'win32', () => undefined)).toThrow('ENOSPC');
  });
});
