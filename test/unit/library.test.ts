import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ferogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import { Library } from '../../electron/core/library/library.js';
import { isLikelyExpired } from '../../electron/core/library/staleness.js';
import { MemoryPeerSource } from '../../electron/core/inspect/peer-source.js';
import { emptySession, makeDc, type Peer, type Session } from '../../electron/core/model/session.js';
import { groupLibrary } from '../../shared/library-view.js';
import type { LibraryEntry } from '../../shared/dto.js';

const key = Uint8Array.from({ length: 256 }, (_, i) => (i * 3 + 7) % 256);
const DAY = 86_400_000;

function session(userId: bigint | undefined, date: number, dc = 2): Session {
  return {
    ...emptySession(),
    homeDc: dc,
    dcs: [makeDc({ id: dc, address: '149.154.167.51', port: 443, authKey: key })],
    user: userId === undefined ? undefined : { id: userId, isBot: false },
    updates: { pts: 1, qts: 0, date, seq: 0, channels: new Map() },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'deck-lib-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('library scan and index cache', () => {
  const root = join(dir, 'sessions');
  mkdirSync(join(root, 'nested'), { recursive: true });
  const nowSec = Math.floor(Date.now() / 1000);
  writeFileSync(join(root, 'a.session'), ferogramBinary.encode(session(undefined, nowSec)));
  writeFileSync(join(root, 'nested', 'b.session'), ferogramBinary.encode(session(undefined, nowSec - 400 * 86400, 4)));
  writeFileSync(join(root, 'notes.txt'), 'not a session\n');
  writeFileSync(join(root, 'a.session-journal'), 'side file');
  writeFileSync(join(root, '.hidden'), 'dot file');
  const data = join(dir, 'data');

  it('finds every session, lists unknown files, skips side and dot files', async () => {
    const lib = new Library(data, () => undefined, false);
    lib.add([root]);
    await lib.scan();
    const { entries } = lib.list(183);
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]));
    expect(Object.keys(byName).sort()).toEqual(['a.session', 'b.session', 'notes.txt']);
    expect(byName['a.session']).toMatchObject({ status: 'ok', format: 'ferogram', homeDc: 2, likelyExpired: false });
    expect(byName['notes.txt']).toMatchObject({ status: 'unknown' });
    expect(byName['notes.txt']!.error).toMatch(/not a session/);
    // 400 days without activity, and an old file time: past the 183-day TTL.
    const b = join(root, 'nested', 'b.session');
    const old = new Date(Date.now() - 400 * DAY);
    utimesSync(b, old, old);
    lib.close();
  });

  it('reopening uses the index cache while size and mtime are unchanged, and refreshes when they change', async () => {
    const a = join(root, 'a.session');
    const st = statSync(a);
    // Same size and mtime, different content: a cached entry still says DC 2.
    writeFileSync(a, ferogramBinary.encode(session(undefined, nowSec, 5)));
    utimesSync(a, st.atime, st.mtime);
    const lib = new Library(data, () => undefined, false);
    expect(lib.rootList.map((r) => r.path)).toEqual([root]);
    await lib.scan();
    const e1 = lib.list(183).entries;
    expect(e1.find((e) => e.name === 'a.session')!.homeDc).toBe(2);
    expect(e1.find((e) => e.name === 'b.session')!.likelyExpired).toBe(true);
    // A new mtime: the entry is probed again.
    const later = new Date(st.mtimeMs + 5000);
    utimesSync(a, later, later);
    await lib.scan();
    expect(lib.list(183).entries.find((e) => e.name === 'a.session')!.homeDc).toBe(5);
    lib.close();
  });

  it('a cancelled scan stops early', async () => {
    const lib = new Library(join(dir, 'data2'), () => undefined, false);
    lib.add([root]);
    const ctl = new AbortController();
    ctl.abort();
    await lib.scan(undefined, ctl.signal);
    expect(lib.list(183).entries).toEqual([]);
    lib.close();
  });
});

describe('staleness', () => {
  const now = Date.UTC(2025, 0, 1);
  it('uses the later of the update date and the file time against the TTL', () => {
    const old = now - 200 * DAY;
    expect(isLikelyExpired(old / 1000, old, 183, now)).toBe(true);
    expect(isLikelyExpired(old / 1000, now - DAY, 183, now)).toBe(false);
    // No sign of use at all (a store's session without an update date): unknown, never "expired".
    expect(isLikelyExpired(0, 0, 183, now)).toBe(false);
    expect(isLikelyExpired((now - DAY) / 1000, old, 183, now)).toBe(false);
    expect(isLikelyExpired(0, now - 182 * DAY, 183, now)).toBe(false);
    expect(isLikelyExpired(0, now - 184 * DAY, 183, now)).toBe(true);
  });
});

describe('sidebar grouping', () => {
  const base: LibraryEntry = {
    path: '', name: '', root: '/r', size: 1, mtimeMs: 0, status: 'ok', format: 'telethon', formatVersion: 7, userId: null, isBot: null,
    homeDc: 2, testMode: false, peers: 0, lastActivity: 0, warnings: [], error: null, likelyExpired: false,
    authKeyId: null, account: null, sidecar: null, duplicates: [], labels: [], note: null,
  };
  const e = (name: string, patch: Partial<LibraryEntry>): LibraryEntry => ({ ...base, path: `/r/${name}`, name, ...patch });
  const entries = [
    e('phone.session', { userId: '42', format: 'pyrogram' }),
    e('bot.session', { userId: '7', isBot: true }),
    e('desk.session', { userId: '42', format: 'telethon', likelyExpired: true }),
    e('plain.session', {}),
    e('junk.bin', { status: 'unknown', format: null }),
  ];
  it('puts the sessions of one user id together, then unknown accounts, then non-sessions', () => {
    const groups = groupLibrary(entries, '', 'all', 'name');
    expect(groups.map((g) => [g.title, g.entries.map((x) => x.name)])).toEqual([
      ['7', ['bot.session']],
      ['42', ['desk.session', 'phone.session']],
      ['Account not stored', ['plain.session']],
      ['Not sessions', ['junk.bin']],
    ]);
  });
  it('filters likely expired sessions and searches by user id', () => {
    expect(groupLibrary(entries, '', 'expired', 'name').flatMap((g) => g.entries.map((x) => x.name))).toEqual(['desk.session']);
    expect(groupLibrary(entries, '42', 'all', 'name').flatMap((g) => g.entries.map((x) => x.name))).toEqual(['desk.session', 'phone.session']);
  });
});

describe('peer pages', () => {
  const peers: Peer[] = Array.from({ length: 1000 }, (_, i) => ({
    id: BigInt(1000 + i),
    kind: i % 10 === 0 ? 'channel' : 'user',
    accessHash: BigInt(i),
    usernames: i % 2 === 0 ? [`name${i}`] : [],
    phone: i === 7 ? '15551234' : undefined,
    name: `Person ${i}`,
  }));
  const src = new MemoryPeerSource(peers);
  const q = { search: '', kind: '', sort: 'id' as const, desc: false };
  it('pages in id order and counts filtered views', () => {
    const p = src.page(q, 990, 50);
    expect(p.total).toBe(1000);
    expect(p.rows.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => String(1990 + i)));
    expect(src.page({ ...q, kind: 'channel' }, 0, 5).total).toBe(100);
    // Channel rows carry the Bot-API marked id.
    expect(src.page({ ...q, kind: 'channel' }, 0, 1).rows[0]!.markedId).toBe('-1000000001000');
  });
  it('searches ids, @usernames, phones (with or without +) and names', () => {
    expect(src.page({ ...q, search: '@name998' }, 0, 10).rows.map((r) => r.id)).toEqual(['1998']);
    expect(src.page({ ...q, search: '+15551234' }, 0, 10).rows.map((r) => r.id)).toEqual(['1007']);
    expect(src.page({ ...q, search: 'person 999' }, 0, 10).rows.map((r) => r.id)).toEqual(['1999']);
    expect(src.page({ ...q, search: '-1000000001990' }, 0, 10).rows.map((r) => r.id)).toEqual(['1990']);
  });
  it('sorts by username with rows lacking one last, both directions', () => {
    const asc = src.page({ ...q, sort: 'username' }, 0, 1000).rows;
    expect(asc[0]!.username).toBe('name0');
    expect(asc[499]!.username).not.toBeNull();
    expect(asc[500]!.username).toBeNull();
    const desc = src.page({ ...q, sort: 'username', desc: true }, 0, 1000).rows;
    expect(desc[0]!.username).toBe('name998');
    expect(desc[999]!.username).toBeNull();
  });
});
