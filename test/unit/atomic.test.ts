/**
 * Temp files a killed writer left beside a session (each holds a whole session) are removed
 * the next time this process writes that session, once they are old enough that no live
 * writer can own them; fresh temp files and anything else in the folder stay.
 */
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sweepStaleTemps, writeFileAtomic } from '../../electron/core/fs/atomic.js';
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
