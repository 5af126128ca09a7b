/**
 * The SQL pager against the in-memory pager over the same Telethon file: every sort, both
 * directions, every kind filter and a set of searches the UI sends, at pages near the top and
 * deeper (after the id order is built); and the SQL-paged open in OpenSessions (overview
 * counts, full read on demand); inspect's overview and streamed peer rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PeerQuery } from '../../shared/dto.js';
import { readSqlite } from '../../electron/core/formats/detect.js';
import { kurigramSqlite, pyroforkSqlite, pyrogramSqlite } from '../../electron/core/formats/pyrogram-sqlite.js';
import type { SqliteFormat } from '../../electron/core/formats/types.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { MemoryPeerSource } from '../../electron/core/inspect/peer-source.js';
import { SqlPeerSource } from '../../electron/core/inspect/sql-peer-source.js';
import { overviewOf, peerRowsOf } from '../../electron/core/inspect/overview.js';
import { countPeers, peerRow } from '../../electron/core/inspect/summary.js';
import { probe } from '../../electron/core/library/scan.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { openDatabase } from '../../electron/core/sqlite/open.js';
import { OpenSessions } from '../../electron/services/open-sessions.js';
import { runCli } from '../helpers/cli-run.js';

const dir = mkdtempSync(join(tmpdir(), 'sql-pager-'));
const BY_ID: PeerQuery = { search: '', kind: '', sort: 'id', desc: false };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SqlPeerSource', () => {
  it('gives the same pages as MemoryPeerSource for every sort, direction, kind and search', () => {
    const file = join(dir, 'pager.session');
    makeUniqueFile(file, 700);
    expectSamePages(file, telethonSqlite.peerTable!, ['', 'user', 'chat', 'channel', 'bot']);
  });

  it.each([
    ['Pyrogram', pyrogramSqlite],
    ['Kurigram', kurigramSqlite],
    ['Pyrofork', pyroforkSqlite],
  ])('pages a %s file the same way: kinds from the type column, rows that are not peers left out with the same warnings, the second table\'s usernames', (label, format) => {
    const file = join(dir, `pager-${label}.session`);
    makePyrogramFile(file, format, 1200);
    expectSamePages(file, format.peerTable!, ['', 'user', 'bot', 'chat', 'channel', 'megagroup', 'community']);
    const read = readSqlite(file);
    expect(read.format).toBe(format.id);
    const sql = SqlPeerSource.open(file, format.peerTable!);
    try {
      expect(sql.peerCounts()).toEqual(countPeers(read.session.peers));
      const peerWarnings = read.warnings.filter((w) => /peer\(s\)|username row/.test(w));
      // Two unknown types ("xyz" and 5), two narrowed (forum, direct), the wrong signs, and (with a second table) its orphans.
      expect(peerWarnings).toHaveLength(format === pyrogramSqlite ? 5 : 6);
      expect(sql.warnings).toEqual(peerWarnings);
      // With a second table, some peers do get more than one username (some through a bare channel id).
      expect(read.session.peers.filter((p) => p.usernames.length > 1).length > 20).toBe(format !== pyrogramSqlite);
    } finally {
      sql.close();
    }
    // Opened for the UI: no peers read, the same counts and warnings.
    const sessions = new OpenSessions();
    const s = sessions.open(file);
    expect(s.peers).toBeInstanceOf(SqlPeerSource);
    expect(s.summary.peers).toEqual(countPeers(read.session.peers));
    expect([...s.summary.warnings].sort()).toEqual([...read.warnings].sort());
    sessions.close(file);
  });

  it('after the file changed under a built id order, a deep page still holds only real rows, in order, new ones included', () => {
    const file = join(dir, 'changed.session');
    makeUniqueFile(file, 700);
    const sql = SqlPeerSource.open(file, telethonSqlite.peerTable!);
    try {
      const before = sql.page(BY_ID, 300, 60).rows;
      // Another writer adds a user near the top of that page and drops its last user: the
      // classes keep their counts, so only the ids can tell the stale order from the file.
      const a = before[10]!;
      const b = before.findLast((r) => r.kind === 'user')!;
      expect(before.indexOf(b)).toBeGreaterThan(50);
      const w = openDatabase(file);
      // A user id inside the page's range that the file does not hold yet.
      let newId = BigInt(before[10]!.id) + 1n;
      while (w.prepare('SELECT 1 FROM entities WHERE id = ?').get(newId)) newId++;
      expect(newId).toBeLessThan(BigInt(before[50]!.id));
      w.prepare('INSERT INTO entities (id, hash, username, phone, name, date) VALUES (?, 1, NULL, NULL, ?, 0)').run(newId, 'inserted');
      w.prepare('DELETE FROM entities WHERE id = ?').run(BigInt(b.markedId));
      w.close();
      const after = sql.page(BY_ID, 300, 60).rows;
      const fresh = new MemoryPeerSource(readSqlite(file).session.peers).page(BY_ID, 0, 10_000).rows;
      const key = (r: { markedId: string }) => r.markedId;
      const real = new Map(fresh.map((r) => [key(r), r]));
      for (const r of after) expect(r).toEqual(real.get(key(r)));
      // A run of the id view as it is now: one row added and one gone inside the page, so the same length.
      const positions = after.map((r) => fresh.findIndex((f) => key(f) === key(r)));
      expect(after).toHaveLength(60);
      expect(positions).toEqual(positions.map((_, i) => positions[0]! + i));
      expect(after.map(key)).toContain(newId.toString());
      expect(after.map(key)).not.toContain(b.markedId);
      expect(after.map(key)).toContain(a.markedId);
    } finally {
      sql.close();
    }
  });

  it('keeps ids past 2^53 exact (the pager switches to bigints)', () => {
    const file = join(dir, 'huge-ids.session');
    makeUniqueFile(file, 150);
    const db = openDatabase(file);
    db.prepare('INSERT INTO entities (id, hash, username, phone, name) VALUES (?, ?, ?, ?, ?)').run(2n ** 60n + 1n, -(2n ** 62n), 'huge', null, 'Big');
    db.close();
    const memory = new MemoryPeerSource(readSqlite(file).session.peers);
    const sql = SqlPeerSource.open(file, telethonSqlite.peerTable!);
    try {
      for (const q of [{ search: '', kind: '', sort: 'id', desc: true }, { search: 'huge', kind: '', sort: 'id', desc: false }, { search: '', kind: '', sort: 'name', desc: false }] as PeerQuery[]) {
        expect(sql.page(q, 0, 200)).toEqual(memory.page(q, 0, 200));
      }
      expect(sql.page({ search: '', kind: '', sort: 'id', desc: true }, 0, 1).rows[0]?.id).toBe((2n ** 60n + 1n).toString());
    } finally {
      sql.close();
    }
  });

  it('counts peers by kind from SQL as a full read does', () => {
    const file = join(dir, 'counts.session');
    makeUniqueFile(file, 300);
    const sql = SqlPeerSource.open(file, telethonSqlite.peerTable!);
    try {
      expect(sql.peerCounts()).toEqual(countPeers(readSqlite(file).session.peers));
    } finally {
      sql.close();
    }
  });

  it('lets a library probe count a Telethon file\'s peers in SQL', () => {
    const file = join(dir, 'probe.session');
    makeUniqueFile(file, 150);
    const { entry, cacheable } = probe(file);
    expect(cacheable).toBe(true);
    expect([entry.status, entry.format, entry.userId, entry.peers]).toEqual(['ok', 'telethon', '42', readSqlite(file).session.peers.length]);
  });

  it('inspect summarises a Telethon file from SQL (the peers never read) and streams --peers in id order', async () => {
    const file = join(dir, 'inspect.session');
    makeUniqueFile(file, 2500);
    const full = readSqlite(file).session.peers;
    const o = overviewOf(file);
    expect(o.result.session.peers.length).toBeLessThanOrEqual(1);
    expect(o.summary.peers).toEqual(countPeers(full));
    const rows = [...peerRowsOf(file, o, {}, 300)].flat();
    const byId = (a: { markedId: string }, b: { markedId: string }) => (BigInt(a.markedId) < BigInt(b.markedId) ? -1 : 1);
    expect([...rows].sort(byId)).toEqual(full.map(peerRow).sort(byId));
    const cli = await runCli(['inspect', file, '--json', '--peers']);
    const j = JSON.parse(cli.out);
    expect(j.peers).toEqual(countPeers(full));
    expect(j.peerList).toEqual(rows);
    expect(j.user).toEqual({ id: '42', isBot: null });
    const text = (await runCli(['inspect', file, '--peers'])).out.split('\n');
    expect(text.filter((l) => /^(user|bot|chat|channel|megagroup|gigagroup|community) /.test(l))).toHaveLength(full.length);
  });

  it('backs OpenSessions for Telethon files: overview without peers, full session on demand', async () => {
    const file = join(dir, 'open.session');
    makeUniqueFile(file, 200);
    const full = readSqlite(file);
    const sessions = new OpenSessions();
    const s = sessions.open(file);
    expect(s.peers).toBeInstanceOf(SqlPeerSource);
    expect(s.summary.peers).toEqual(countPeers(full.session.peers));
    expect(s.summary.user).toEqual({ id: '42', isBot: null });
    expect(s.peers.page({ search: '', kind: '', sort: 'id', desc: false }, 0, 1000)).toEqual(
      new MemoryPeerSource(full.session.peers).page({ search: '', kind: '', sort: 'id', desc: false }, 0, 1000),
    );
    expect((await s.full()).session.peers.length).toBe(full.session.peers.length);
    sessions.close(file);
  });
});

/** Every page the UI can ask for, through both pagers. */
function expectSamePages(file: string, table: NonNullable<typeof telethonSqlite.peerTable>, kinds: string[]): void {
  const memory = new MemoryPeerSource(readSqlite(file).session.peers);
  const sql = SqlPeerSource.open(file, table);
  try {
    expect(sql.count()).toBe(memory.count());
    expect(sql.count()).toBeGreaterThan(400);
    const sorts: PeerQuery['sort'][] = ['id', 'kind', 'username', 'name', 'phone'];
    const searches = ['', 'ab', 'ABD', '@ab', '+44', '79000', '-100', '-', '1', 'иван', 'ИВАН', 'ärg', '%', '_', 'no such'];
    let compared = 0;
    for (const sort of sorts) {
      for (const desc of [false, true]) {
        for (const kind of kinds) {
          for (const search of searches) {
            const q: PeerQuery = { sort, desc, kind, search };
            const total = memory.page(q, 0, 1).total;
            for (const [start, limit] of [[0, 50], [63, 2], [64, 70], [129, 100], [300, 64], [Math.max(0, total - 5), 10], [total + 3, 5]] as const) {
              // The query rides along so a mismatch names it.
              expect({ q, start, limit, page: sql.page(q, start, limit) }).toEqual({ q, start, limit, page: memory.page(q, start, limit) });
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBe(5 * 2 * kinds.length * searches.length * 7);
  } finally {
    sql.close();
  }
}

/**
 * A Pyrogram file with every type (Kurigram's forum, direct and community too), the same
 * bare id in several classes, rows whose id sign does not fit their type, unknown and
 * integer types, null hashes, odd usernames, text and integer phones.
 */
function makePyrogramFile(path: string, format: SqliteFormat, n: number): void {
  const db = openDatabase(path);
  const s = emptySession();
  s.homeDc = 2;
  s.dcs = [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: new Uint8Array(256).fill(7) })];
  s.user = { id: 42n, isBot: false };
  s.apiId = 1;
  format.write(db, s);
  // Kurigram's peers table has no username column: its usernames live in the second table only.
  const own = (db.prepare("SELECT name FROM pragma_table_info('peers')").pluck().all() as string[]).includes('username');
  const ins = db.prepare(
    own
      ? 'INSERT OR IGNORE INTO peers (id, access_hash, type, username, phone_number, last_update_on) VALUES (?, ?, ?, ?, ?, 0)'
      : 'INSERT OR IGNORE INTO peers (id, access_hash, type, phone_number, last_update_on) VALUES (?, ?, ?, ?, 0)',
  );
  const second = format.peerTable!.usernames;
  // As Python's sqlite3 leaves it: Kurigram's usernames may name peers that are not stored.
  db.pragma('foreign_keys = OFF');
  const addName =
    second &&
    db.prepare(
      second.peer === 'id' ? 'INSERT INTO usernames (id, username) VALUES (?, ?)' : 'INSERT OR IGNORE INTO usernames (peer_id, id, last_update_on) VALUES (?, ?, 0)',
    );
  let seed = 11;
  const rnd = (m: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % m;
  };
  const byClass = [['user', 'bot'], ['group'], ['channel', 'supergroup', 'forum', 'direct', 'community']];
  const usernames = ['AbC', 'abd', '', null, 'xy_z', 'иван', 'Ärger'];
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const bare = 1 + rnd(n);
      const cls = rnd(3);
      const marked = cls === 0 ? BigInt(bare) : cls === 1 ? -BigInt(bare) : -(1_000_000_000_000n + BigInt(bare));
      const odd = rnd(40);
      // Now and then a type that does not fit the sign, an unknown one, or an integer.
      const types = byClass[odd === 0 ? (cls + 1) % 3 : cls]!;
      const type = odd === 1 ? 'xyz' : odd === 2 ? 5 : types[rnd(types.length)]!;
      const u = usernames[rnd(usernames.length)] ?? null;
      const username = u === null || u === '' ? u : `${u}${rnd(50)}`;
      const phone = rnd(4) === 0 ? 79_000_000_000 + rnd(1000) : rnd(5) === 0 ? `+44${rnd(999)}` : null;
      const hash = rnd(10) === 0 ? null : BigInt(rnd(1e9)) - 500_000_000n;
      if (own) ins.run(marked, hash, type, username, phone);
      else ins.run(marked, hash, type, phone);
      if (addName) {
        // 0–2 more names: the same as its own, new ones, empty, not text; stored by marked id,
        // by bare channel id (which a user of that id takes first), or for no stored peer.
        for (let k = rnd(3); k > 0; k--) {
          const how = rnd(10);
          const target = how === 0 && cls === 2 ? BigInt(bare) : how === 1 ? marked - 7_000_000n : marked;
          const pick = rnd(8);
          const extra = pick === 0 ? username : pick === 1 ? '' : pick === 2 ? 12345 + rnd(9) : `${usernames[rnd(usernames.length)] ?? 'n'}x${rnd(400)}`;
          addName.run(target, extra);
        }
      }
    }
  })();
  db.close();
}

/** A deterministic mix: the same bare id in several classes, odd usernames, text and integer phones, Cyrillic names; repeated marked ids are dropped. */
function makeUniqueFile(path: string, n: number): void {
  const db = openDatabase(path);
  const s = emptySession();
  s.user = { id: 42n };
  telethonSqlite.write(db, s);
  const ins = db.prepare('INSERT OR IGNORE INTO entities (id, hash, username, phone, name, date) VALUES (?, ?, ?, ?, ?, ?)');
  let seed = 7;
  const rnd = (m: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % m;
  };
  const names = ['Ivan', 'иван Петров', 'Борис', 'zoe', 'Zoe', '50% off', 'a_b', '', 'Ärger', null];
  const usernames = ['AbC', 'abd', '', null, 'xy_z', 'user'];
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const bare = 1 + rnd(n);
      const cls = rnd(3);
      const marked = cls === 0 ? BigInt(bare) : cls === 1 ? -BigInt(bare) : -(1_000_000_000_000n + BigInt(bare));
      const u = usernames[rnd(usernames.length)] ?? null;
      const phone = rnd(4) === 0 ? 79_000_000_000 + rnd(1000) : rnd(5) === 0 ? `+44${rnd(999)}` : null;
      const username = u === null || u === '' ? u : `${u}${rnd(50)}`;
      ins.run(marked, BigInt(rnd(1e9)) - 500_000_000n, username, phone, names[rnd(names.length)] ?? null, 1_700_000_000);
    }
  })();
  db.close();
}
