/**
 * Bench scenario: shared stores on a private PostgreSQL server. A store of n sessions (mtcute's
 * schema, and the alchemy tables) listed as the library lists it, against the same SELECTs
 * through node-postgres with no mapping; a session of m entities in the alchemy tables opened
 * as the session view opens it (paged in SQL) and paged deep, against the same entities in a
 * Telethon file, and read whole as export and convert read it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { PeerQuery } from '../../shared/dto.js';
import { openStore } from '../../electron/core/store/open-store.js';
import { OpenSessions } from '../../electron/services/open-sessions.js';
import { oneDcSession } from '../helpers/sessions.js';
import { startPostgres } from '../helpers/servers.js';
import { figure, median, middle, settleHeap, type Figure } from './measure.js';
import { makeBigTelethon } from './telethon-big.js';

const BY_ID: PeerQuery = { search: '', kind: '', sort: 'id', desc: false };
const PAGE = 100;

async function rawSelects(url: string, sql: readonly string[]): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      for (const q of sql) await pool.query(q);
      if (i > 0) times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[1]!;
  } finally {
    await pool.end();
  }
}

/** Median of `reps` timed calls after one untimed warm-up call. */
async function medianAsync(reps: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  await fn(-1);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) times.push(await timeOnce(() => fn(i)));
  return middle(times);
}

/** One timed call, for what is done once (a first read, an order built). */
async function timeOnce(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function benchStores(sessions: number, entities: number): Promise<Figure[]> {
  const server = await startPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'sd-bench-stores-'));
  const out: Figure[] = [];
  try {
    server.psql('CREATE DATABASE fleet');
    const url = server.url('fleet');
    const scenario = `stores (PostgreSQL, ${sessions.toLocaleString('en')} sessions)`;

    // One session of each layout written by us, then copied n times in SQL.
    const mt = await openStore(url, { create: 'mtcute-postgres' });
    const seed = oneDcSession(1, 5_000_000n);
    seed.user!.isBot = false;
    await mt.save('seed', seed);
    await mt.close();
    server.psql(
      `INSERT INTO mtcute.key_value (account, key, value) SELECT 'acct' || g, key, value FROM mtcute.key_value, generate_series(2, ${sessions}) g WHERE account = 'seed';
       INSERT INTO mtcute.auth_keys (account, dc, key) SELECT 'acct' || g, dc, key FROM mtcute.auth_keys, generate_series(2, ${sessions}) g WHERE account = 'seed';`,
      'fleet',
    );
    const al = await openStore(url, { create: 'telethon-alchemy', write: true });
    await al.save('seed', seed);
    await al.close();
    server.psql(
      `INSERT INTO sessions SELECT 'acct' || g, dc_id, server_address, port, auth_key FROM sessions, generate_series(2, ${sessions}) g WHERE session_id = 'seed';
       INSERT INTO entities SELECT 'acct' || g, id, hash, username, phone, name FROM entities, generate_series(2, ${sessions}) g WHERE session_id = 'seed';`,
      'fleet',
    );

    for (const layout of ['mtcute-postgres', 'telethon-alchemy'] as const) {
      const listMs = await medianAsync(3, async () => {
        const s = await openStore(`${url}?layout=${layout}`);
        try {
          if ((await s.list()).length !== sessions) throw new Error(`${layout}: the listing is short`);
        } finally {
          await s.close();
        }
      });
      const raw =
        layout === 'mtcute-postgres'
          ? ['SELECT account, key, value FROM mtcute.key_value', 'SELECT account, dc, key FROM mtcute.auth_keys', 'SELECT account, count(*) FROM mtcute.peers GROUP BY account']
          : ['SELECT * FROM sessions', 'SELECT session_id, hash FROM entities WHERE id = 0', 'SELECT session_id, count(*) FROM entities WHERE id <> 0 GROUP BY session_id', 'SELECT * FROM update_state WHERE entity_id = 0'];
      const rawMs = await rawSelects(url, raw);
      out.push(figure(scenario, `list a ${layout} store (open, list, close)`, listMs, { what: 'its SELECTs via node-postgres, no mapping', ms: rawMs }, { text: '< 1 s', holds: listMs < 1000 }));
    }

    // A big session in the alchemy tables against the same entities in a Telethon file.
    const big = `peers (${entities.toLocaleString('en')} entities in a store)`;
    const file = join(dir, 'big.session');
    makeBigTelethon(file, entities);
    const opened = new OpenSessions().open(file);
    const readStart = performance.now();
    const all = (await opened.full()).session;
    const fileWhole = performance.now() - readStart;
    const copy = await openStore(url, { write: true, create: 'telethon-alchemy' });
    const saved = await (async () => {
      const t = performance.now();
      await copy.save('big', all);
      return performance.now() - t;
    })();
    await copy.close();
    out.push(figure(big, 'write it into the alchemy store (one transaction)', saved));
    settleHeap();
    const fileOpen = median(3, () => {
      const s = new OpenSessions();
      s.open(file).peers.page(BY_ID, 0, PAGE);
      s.close(file);
    });
    const alchemy = `${url}?layout=telethon-alchemy`;
    const ref = `${alchemy}#big`;
    const at = { store: alchemy, id: 'big' };
    // The session view's open: the head and the counts, then the first page, all from SQL.
    const storeOpen = await medianAsync(3, async () => {
      const s = new OpenSessions();
      await (await s.openStored(ref, at, openStore)).peers.page(BY_ID, 0, PAGE);
      s.close(ref);
    });
    out.push(figure(big, 'open from the store (paged in SQL) + first page', storeOpen, { what: 'the same entities opened from a Telethon file', ms: fileOpen }, { text: '≤ 2× the file', holds: storeOpen <= fileOpen * 2 }));
    // Most of that open is the server counting the session's rows: the floor of an exact count.
    const bareCount = await rawSelects(url, [`SELECT count(*) FROM entities WHERE session_id = 'big'`]);
    out.push(figure(big, 'of which the count: a bare SELECT count(*) of its entities', bareCount));
    const loadWhole = await timeOnce(async () => {
      const s = await openStore(alchemy);
      try {
        await s.load('big');
      } finally {
        await s.close();
      }
    });
    out.push(figure(big, 'the whole session read from the store (export, convert)', loadWhole, { what: 'the same read whole from the Telethon file', ms: fileWhole }));
    const stored = new OpenSessions();
    const source = (await stored.openStored(ref, at, openStore)).peers;
    const fileSource = new OpenSessions().open(file).peers;
    const row = Math.floor(entities / 2);
    const firstDeep = await timeOnce(() => source.page(BY_ID, row, PAGE));
    const fileFirstDeep = await timeOnce(() => fileSource.page(BY_ID, row, PAGE));
    out.push(
      figure(big, `first page of ${PAGE} at row ${row.toLocaleString('en')} (orders the ids once)`, firstDeep, { what: 'the same in the Telethon file', ms: fileFirstDeep }, {
        text: 'as fast as the file (≤ 1×)',
        holds: firstDeep <= fileFirstDeep,
      }),
    );
    const storePage = await medianAsync(200, (i) => Promise.resolve(source.page(BY_ID, row + (i & 7), PAGE)));
    const filePage = median(200, (i) => fileSource.page(BY_ID, row + (i & 7), PAGE));
    out.push(
      figure(big, `page of ${PAGE} at row ${row.toLocaleString('en')}`, storePage, { what: 'the same page of the Telethon file', ms: filePage }, {
        text: '≤ 16 ms (a frame; each page is one round trip to the server)',
        holds: storePage <= 16,
      }),
    );
    stored.close(ref);
    fileSource.close();
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
