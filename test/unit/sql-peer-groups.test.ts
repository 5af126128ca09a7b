/**
 * mtcute, grammers and ferogram SQLite files summarise without loading their peer caches:
 * the counts come from a GROUP BY that the reader's own kind rule maps, and must equal the
 * counts of a whole read; the own user's row is still read; --peers and the session view
 * still see every peer.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readInput } from '../../electron/core/formats/detect.js';
import { formatById } from '../../electron/core/formats/registry.js';
import type { SessionFormat } from '../../electron/core/formats/types.js';
import { overviewOf, peerRowsOf } from '../../electron/core/inspect/overview.js';
import { countPeers, peerRow, summarize } from '../../electron/core/inspect/summary.js';
import { projectSession } from '../../electron/core/convert/project.js';
import { openDatabase } from '../../electron/core/sqlite/open.js';
import { OpenSessions } from '../../electron/services/open-sessions.js';
import { fullSession, peerOf } from '../helpers/sessions.js';
import { tempDir, writeWith } from '../helpers/format-io.js';

const dir = tempDir('sd-groups-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** fullSession with more peers of each kind it holds and the own user among them, as the target can hold it. */
function sessionFor(format: SessionFormat) {
  const s = fullSession();
  s.peers.push(...['user', 'bot', 'channel', 'megagroup', 'chat', 'min-channel'].flatMap((k) => [10, 11, 12].map((n) => peerOf(k as never, n))));
  s.peers.push({ id: s.user!.id, kind: 'user', accessHash: 99n, usernames: ['me_myself'], phone: '447000999' });
  return projectSession(s, format.capabilities, format.id).session;
}

const byMarked = (a: { markedId: string }, b: { markedId: string }) => (BigInt(a.markedId) < BigInt(b.markedId) ? -1 : 1);

describe.each(['mtcute', 'grammers', 'ferogram-sqlite'])('%s', (id) => {
  const format = formatById(id)!;
  const file = writeWith(format, sessionFor(format), dir);
  const full = readInput(file);

  it('counts its peers in SQL as a whole read counts them, reading at most the own user row', () => {
    expect(full.session.peers.length).toBeGreaterThan(20);
    const o = overviewOf(file);
    expect(o.peersRead).toBe(false);
    expect(o.result.session.peers.length).toBeLessThanOrEqual(1);
    expect(o.summary.peers).toEqual(countPeers(full.session.peers));
    expect(o.summary.peers.total).toBe(full.session.peers.length);
    expect(o.summary.user).toEqual(summarize(full).user);
    expect([...peerRowsOf(file, o, {}, 7)].flat().sort(byMarked)).toEqual(full.session.peers.map(peerRow).sort(byMarked));
  });

  it('opens in the session view with every peer', async () => {
    const open = new OpenSessions().open(file);
    expect(open.summary.peers).toEqual(countPeers(full.session.peers));
    expect((await open.peers.page({ search: '', kind: '', sort: 'id', desc: false }, 0, 1000)).total).toBe(full.session.peers.length);
  });
});

it('mtcute keeps the own user row (its phone and username) when peers are skipped', () => {
  const format = formatById('mtcute')!;
  const file = writeWith(format, sessionFor(format), dir);
  const o = overviewOf(file);
  expect(o.self).toMatchObject({ kind: 'user', username: 'me_myself', phone: '447000999' });
});

it('grammers: a self row without a hash names the user and is not counted as a peer', () => {
  const format = formatById('grammers')!;
  const s = sessionFor(format);
  s.peers = s.peers.filter((p) => p.id !== s.user!.id);
  const file = writeWith(format, s, dir);
  const db = openDatabase(file);
  const selfRows = db.prepare('SELECT count(*) FROM peer_info WHERE subtype & 1 AND hash IS NULL').pluck().get();
  db.close();
  expect(selfRows).toBe(1);
  const o = overviewOf(file);
  expect(o.summary.user?.id).toBe(s.user!.id.toString());
  expect(o.summary.peers.total).toBe(readInput(file).session.peers.length);
});

it('mtcute: min users are warned about from the counts as the reader warns', () => {
  const format = formatById('mtcute')!;
  const file = writeWith(format, sessionFor(format), dir);
  const db = openDatabase(file);
  db.prepare('UPDATE peers SET isMin = 1 WHERE id > 0 AND id < 100000005').run();
  db.close();
  const whole = readInput(file).warnings.filter((w) => w.includes('min user'));
  expect(whole).toHaveLength(1);
  expect(overviewOf(file).summary.warnings.filter((w) => w.includes('min user'))).toEqual(whole);
});
