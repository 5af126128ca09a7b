/**
 * Bench scenario: shared stores on a private PostgreSQL server. A store of n sessions (mtcute's
 * schema, and the alchemy tables) listed as the library lists it, against the same SELECTs
 * through node-postgres with no mapping; a session of m entities in the alchemy tables opened
 * (loaded whole) and paged, against the same entities in a Telethon file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { PeerQuery } from '../../shared/contract.js';
import { openStore } from '../../electron/core/store/open-store.js';
import { OpenSessions } from '../../electron/services/open-sessions.js';
import { MemoryPeerSource } from '../../electron/core/inspect/peer-source.js';
import { oneDcSession } from '../helpers/sessions.js';
import { startPostgres } from '../helpers/servers.js';
import { figure, median, settleHeap, type Figure } from './measure.js';
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

async function medianAsync(reps: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
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
    const all = opened.result.session;
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
    const storeOpen = await medianAsync(3, async () => {
      const s = await openStore(alchemy);
      try {
        new MemoryPeerSource((await s.load('big')).session.peers).page(BY_ID, 0, PAGE);
      } finally {
        await s.close();
      }
    });
    out.push(figure(big, 'open from the store (loaded whole) + first page', storeOpen, { what: 'the same entities opened from a Telethon file', ms: fileOpen }));
    const s = await openStore(alchemy);
    const source = new MemoryPeerSource((await s.load('big')).session.peers);
    await s.close();
    const fileSource = new OpenSessions().open(file).peers;
    const row = Math.floor(entities / 2);
    source.page(BY_ID, row, PAGE);
    fileSource.page(BY_ID, row, PAGE);
    const storePage = median(200, (i) => source.page(BY_ID, row + (i & 7), PAGE));
    const filePage = median(200, (i) => fileSource.page(BY_ID, row + (i & 7), PAGE));
    out.push(
      figure(big, `page of ${PAGE} at row ${row.toLocaleString('en')}`, storePage, { what: 'the same page of the Telethon file', ms: filePage }, {
        text: '≤ 1× the file (as fast)',
        holds: storePage <= filePage * 1.05,
      }),
    );
    fileSource.close();
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
