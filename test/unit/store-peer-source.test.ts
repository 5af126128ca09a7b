/**
 * A store session's peers paged in SQL against the in-memory pager over the same session as
 * the store loads it whole: every sort, both directions, every kind filter and the UI's
 * searches, near the top and deeper, on PostgreSQL and in an SQLite file with the alchemy
 * tables; another session in the same tables never shows. And the session view's open
 * (OpenSessions.openStored): counts without the peers, the whole session on demand, the store
 * released on close; and `inspect` counting them in SQL.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeerQuery } from '../../shared/dto.js';
import { MemoryPeerSource } from '../../electron/core/inspect/peer-source.js';
import { StorePeerSource } from '../../electron/core/inspect/store-peer-source.js';
import { countPeers } from '../../electron/core/inspect/summary.js';
import type { Peer, PeerKind, Session } from '../../electron/core/model/session.js';
import { openStore } from '../../electron/core/store/open-store.js';
import type { SessionStore } from '../../electron/core/store/session-store.js';
import { OpenSessions } from '../../electron/services/open-sessions.js';
import { runCli } from '../helpers/cli-run.js';
import { tempDir } from '../helpers/format-io.js';
import { oneDcSession } from '../helpers/sessions.js';
import { startPostgres, type PgServer } from '../helpers/servers.js';

const dir = tempDir('sd-store-pager-');
let server: PgServer;

beforeAll(async () => {
  server = await startPostgres();
  server.psql('CREATE DATABASE pager');
}, 60_000);
afterAll(() => {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Peers of every class, the same bare id in several, odd names and usernames, phones or none. */
function mixedSession(n: number, userId: bigint): Session {
  const s = oneDcSession(5, userId);
  let seed = 11;
  const rnd = (m: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % m;
  };
  const names = ['Ivan', 'иван Петров', 'Борис', 'zoe', 'Zoe', '50% off', 'a_b', '', 'Ärger', undefined];
  const usernames = ['AbC', 'abd', undefined, 'xy_z', 'user'];
  const kinds: PeerKind[] = ['user', 'chat', 'channel'];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const kind = kinds[rnd(3)]!;
    const id = BigInt(1 + rnd(n));
    if (seen.has(`${kind}${id}`)) continue;
    seen.add(`${kind}${id}`);
    const u = usernames[rnd(usernames.length)];
    const p: Peer = { id, kind, accessHash: BigInt(rnd(1e9)) - 500_000_000n, usernames: u === undefined ? [] : [`${u}${rnd(50)}`] };
    if (rnd(4) === 0) p.phone = String(79_000_000_000 + rnd(1000));
    const name = names[rnd(names.length)];
    if (name !== undefined) p.name = name;
    s.peers.push(p);
  }
  return s;
}

const STORES = [
  ['PostgreSQL', () => server.url('pager')],
  ['an SQLite file', () => join(dir, 'alchemy.db')],
] as const;
// The alchemy tables go into an SQLite file that exists (an empty one is an empty database).
writeFileSync(join(dir, 'alchemy.db'), '');

describe.each(STORES)('StorePeerSource on %s', (_, where) => {
  let store: SessionStore;
  let memory: MemoryPeerSource;
  let expected: Session;

  beforeAll(async () => {
    store = await openStore(where(), { write: true, create: 'telethon-alchemy' });
    await store.save('paged', mixedSession(900, 42n));
    await store.save('neighbour', mixedSession(300, 43n));
    expected = (await store.load('paged')).session;
    memory = new MemoryPeerSource(expected.peers);
  });
  afterAll(() => store?.close());

  it('gives the same pages as MemoryPeerSource for every sort, direction, kind and search', async () => {
    const released: string[] = [];
    const sql = await StorePeerSource.open({ ...store.entityRows!('paged'), release: async () => void released.push('paged') });
    expect(sql.peerCounts()).toEqual(countPeers(expected.peers));
    expect(sql.count()).toBeGreaterThan(500);
    const sorts: PeerQuery['sort'][] = ['id', 'kind', 'username', 'name', 'phone'];
    const searches = ['', 'ab', 'ABD', '@ab', '+7900', '79000', '-100', '-', '1', 'иван', 'ИВАН', 'ärg', '%', '_', 'no such'];
    let compared = 0;
    for (const sort of sorts) {
      for (const desc of [false, true]) {
        for (const kind of ['', 'user', 'chat', 'channel', 'bot']) {
          for (const search of searches) {
            const q: PeerQuery = { sort, desc, kind, search };
            const total = memory.page(q, 0, 1).total;
            for (const [start, limit] of [[0, 50], [200, 70], [250, 100], [300, 64], [Math.max(0, total - 5), 10], [total + 3, 5]] as const) {
              // The query rides along so a mismatch names it.
              expect({ q, start, limit, page: await sql.page(q, start, limit) }).toEqual({ q, start, limit, page: memory.page(q, start, limit) });
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBe(5 * 2 * 5 * searches.length * 6);
    sql.close();
    sql.close();
    expect(released).toEqual(['paged']);
  });

  it('reads a bigint column packed (the views of a million ids), in the order asked, extremes included', async () => {
    const edge = oneDcSession(5, 44n);
    const MIN = -(2n ** 63n);
    const MAX = 2n ** 63n - 1n;
    edge.peers.push({ id: 1n, kind: 'user', accessHash: MIN, usernames: [] }, { id: 2n, kind: 'channel', accessHash: MAX, usernames: [] }, { id: 3n, kind: 'chat', accessHash: 0n, usernames: [] });
    await store.save('edges', edge, { replace: true });
    const { db, table } = store.entityRows!('edges');
    const from = `FROM ${table} WHERE session_id = ? AND id <> 0`;
    // The engine's own rows, in its own order, are the oracle.
    const hashes = (await db.query<{ hash: bigint | number }>(`SELECT hash ${from} ORDER BY hash DESC`, ['edges'])).map((r) => BigInt(r.hash));
    expect(hashes[0]).toBe(MAX);
    expect(hashes.at(-1)).toBe(MIN);
    expect([...(await db.int8s('hash', from, ['edges'], 'hash DESC'))]).toEqual(hashes);
    const ids = (await db.query<{ id: bigint | number }>(`SELECT id ${from} ORDER BY id`, ['edges'])).map((r) => BigInt(r.id));
    expect(ids).toContain(-1_000_000_000_002n);
    expect([...(await db.int8s('id', from, ['edges'], 'id'))]).toEqual(ids);
    expect(await db.int8s('id', from, ['no such session'])).toEqual(new BigInt64Array(0));
  });

  it('opens in the session view with counts only, reads the whole session on demand, and releases the store on close', async () => {
    const ref = `${where()}#paged`;
    const opened: SessionStore[] = [];
    const opener = async (url: string, opts: object) => {
      const s = await openStore(url, opts);
      opened.push(s);
      return s;
    };
    const sessions = new OpenSessions();
    const [a, b] = await Promise.all([sessions.openStored(ref, { store: where(), id: 'paged' }, opener), sessions.openStored(ref, { store: where(), id: 'paged' }, opener)]);
    expect(a).toBe(b);
    expect(opened).toHaveLength(1);
    expect(a.peers).toBeInstanceOf(StorePeerSource);
    expect(a.summary.peers).toEqual(countPeers(expected.peers));
    expect(a.summary.user).toEqual({ id: '42', isBot: null });
    expect((await a.full()).session.peers).toEqual(expected.peers);
    sessions.close(ref);
    // Closed: a page of the released store is refused rather than asked of a closed connection.
    await expect(Promise.resolve().then(() => a.peers.page({ search: '', kind: '', sort: 'id', desc: false }, 0, 10))).rejects.toThrow('this store session was closed; open it again');
    expect(await sessions.openStored(ref, { store: where(), id: 'paged' }, opener)).not.toBe(a);
    await expect(sessions.openStored(`${where()}#gone`, { store: where(), id: 'gone' }, opener)).rejects.toThrow(/no session "gone"/);
    sessions.close(ref);
  });

  it('is inspected on the command line with its peers counted in SQL, or listed with --peers', async () => {
    const counted = await runCli(['inspect', `${where()}#paged`, '--json']);
    expect(counted.code).toBe(0);
    expect(JSON.parse(counted.out)).toMatchObject({ format: 'telethon-alchemy', user: { id: '42' }, peers: countPeers(expected.peers), store: { id: 'paged' } });
    const listed = JSON.parse((await runCli(['inspect', `${where()}#paged`, '--json', '--peers'])).out) as { peers: unknown; peerList: unknown[] };
    expect(listed.peers).toEqual(countPeers(expected.peers));
    expect(listed.peerList).toHaveLength(expected.peers.length);
  });
});

it('analyses the alchemy entities table after a big write into PostgreSQL (the first open then counts by a sound plan), not after a small one', async () => {
  const url = server.url('pager');
  const analysed = () => server.psql(`SELECT coalesce(last_analyze::text, 'never') FROM pg_stat_user_tables WHERE relname = 'entities'`, 'pager').trim();
  const store = await openStore(url, { write: true, create: 'telethon-alchemy' });
  try {
    const small = oneDcSession(5, 46n);
    await store.save('small', small, { replace: true });
    const before = analysed();
    const big = oneDcSession(5, 45n);
    for (let i = 1; i <= 10_000; i++) big.peers.push({ id: BigInt(i), kind: 'user', accessHash: BigInt(i), usernames: [] });
    await store.save('bulk', big, { replace: true });
    expect(analysed()).not.toBe(before);
    expect(analysed()).not.toBe('never');
  } finally {
    await store.close();
  }
});
