/**
 * Bench scenario: a Telethon session with n entities. Opening it (overview + first page) as the
 * UI does, against loading it whole; a peer page at row n/2 and a username substring search,
 * against the very same SQL statements in the sqlite3 CLI and against Telethon's own lookups
 * (SQLiteSession, timed inside Python).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerQuery } from '../../shared/dto.js';
import { readInput } from '../../electron/core/formats/detect.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { MemoryPeerSource } from '../../electron/core/inspect/peer-source.js';
import { SqlPeerSource } from '../../electron/core/inspect/sql-peer-source.js';
import { summarize } from '../../electron/core/inspect/summary.js';
import { openReadOnly } from '../../electron/core/sqlite/open.js';
import { OpenSessions } from '../../electron/services/open-sessions.js';
import { figure, inlineSql, median, middle, settleHeap, sqlite3Cli, timed, type Figure } from './measure.js';
import { makeBigTelethon } from './telethon-big.js';

const BY_ID: PeerQuery = { search: '', kind: '', sort: 'id', desc: false };
const PAGE = 100;

const TELETHON_TIMER = `
import json, sys, time
from telethon.sessions import SQLiteSession
path, username, peer_id, reps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = SQLiteSession(path)
def med(f):
    f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); f(); ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    return ts[len(ts) // 2]
print(json.dumps({
    'username': med(lambda: s.get_entity_rows_by_username(username)),
    'id': med(lambda: s.get_entity_rows_by_id(peer_id)),
    'inputEntity': med(lambda: s.get_input_entity(peer_id)),
}))
`;

function telethonLookups(path: string, username: string, id: bigint, reps: number): { username: number; id: number; inputEntity: number } {
  const r = spawnSync('/usr/bin/python3', ['-c', TELETHON_TIMER, path, username, id.toString(), String(reps)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`telethon: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout) as { username: number; id: number; inputEntity: number };
}

/** The statements a call runs on a fresh source (after `warmups` untraced calls), parameters inlined. */
function traced(path: string, warmups: number, call: (s: SqlPeerSource) => void): string[] {
  const out: string[] = [];
  const s = SqlPeerSource.open(path, telethonSqlite.peerTable!, (sql, params) => out.push(inlineSql(sql, params)));
  try {
    for (let i = 0; i < warmups; i++) call(s);
    out.length = 0;
    call(s);
    return out;
  } finally {
    s.close();
  }
}

export function benchPeers(n: number): Figure[] {
  const dir = mkdtempSync(join(tmpdir(), 'sd-bench-peers-'));
  const scenario = `peers (Telethon, ${n.toLocaleString('en')} entities)`;
  try {
    const path = join(dir, 'big.session');
    const gen = timed(() => makeBigTelethon(path, n));
    const out: Figure[] = [figure(scenario, 'generate the file (one SQL insert)', gen.ms)];

    // Open as the UI does: overview + first page, each time a fresh open.
    const open = median(3, () => {
      const s = new OpenSessions();
      const o = s.open(path);
      o.peers.page(BY_ID, 0, PAGE);
      s.close(path);
    });

    const row = Math.floor(n / 2);
    const src = SqlPeerSource.open(path, telethonSqlite.peerTable!);
    try {
      const build = timed(() => src.page(BY_ID, row, PAGE));
      out.push(figure(scenario, 'id order (first deep jump, once per open)', build.ms));
      const pageSql = traced(path, 1, (s) => s.page(BY_ID, row, PAGE));
      // The floor any Node pager has: the same statements through better-sqlite3, rows as arrays, nothing else.
      const bare = openReadOnly(path);
      const statements = pageSql.map((sql) => bare.prepare(sql).raw(true));
      const driverPage = bare.transaction(() => statements.map((st) => st.all()));
      // Nothing left over from the opens above while pages are timed.
      settleHeap();
      // Rounds alternate ours, the driver and the CLI, so all see the same spells of a shared machine.
      const ours: number[] = [];
      const driver: number[] = [];
      const cli: number[] = [];
      try {
        for (let round = 0; round < 9; round++) {
          ours.push(median(200, (i) => src.page(BY_ID, row + (i & 7), PAGE)));
          driver.push(median(200, () => driverPage()));
          cli.push(sqlite3Cli(path, pageSql, 200));
        }
      } finally {
        bare.close();
      }
      const page = middle(ours);
      const cliPage = middle(cli);
      out.push(
        figure(scenario, `page of ${PAGE} at row ${row.toLocaleString('en')}`, page, { what: 'same SQL in sqlite3 CLI', ms: cliPage }, {
          text: '≤ 1.5× sqlite3 and < 5 ms',
          holds: page <= 1.5 * cliPage && page < 5,
        }),
      );
      out.push(figure(scenario, 'the same page', page, { what: 'same SQL via better-sqlite3, raw rows', ms: middle(driver) }));
      out.push(figure(scenario, 'same SQL via better-sqlite3, raw rows', middle(driver), { what: 'same SQL in sqlite3 CLI', ms: cliPage }));
      const offset = sqlite3Cli(path, [`SELECT id, hash, username, phone, name FROM entities ORDER BY id LIMIT ${PAGE} OFFSET ${row}`], 5);
      out.push(figure(scenario, `page at row ${row.toLocaleString('en')} vs naive OFFSET`, page, { what: 'LIMIT/OFFSET in sqlite3 CLI', ms: offset }));
    } finally {
      src.close();
    }

    // A username substring search; every repetition on a fresh source so no cached view answers it.
    const needle = `user${Math.floor(n / 2) + 2}`.slice(0, 9);
    const q: PeerQuery = { ...BY_ID, search: needle };
    const search = median(3, () => {
      const s = SqlPeerSource.open(path, telethonSqlite.peerTable!);
      try {
        return s.page(q, 0, PAGE).total;
      } finally {
        s.close();
      }
    });
    const searchSql = traced(path, 0, (s) => s.page(q, 0, PAGE));
    const cliSearch = sqlite3Cli(path, searchSql, 3);
    out.push(
      figure(scenario, `substring search "${needle}" + first page`, search, { what: 'same SQL in sqlite3 CLI', ms: cliSearch }, {
        text: '≤ 1.5× sqlite3',
        holds: search <= 1.5 * cliSearch,
      }),
    );

    const exact = `user${Math.floor(n / 2) + 2}`;
    const tl = telethonLookups(path, exact, 100_000n + 7n * 2n, 5);
    const ours = median(5, () => {
      const s = SqlPeerSource.open(path, telethonSqlite.peerTable!);
      try {
        return s.page({ ...BY_ID, search: exact }, 0, PAGE).total;
      } finally {
        s.close();
      }
    });
    out.push(figure(scenario, `search "${exact}" (substring, 5 fields)`, ours, { what: 'Telethon get_entity_rows_by_username (exact)', ms: tl.username }));
    out.push(figure(scenario, 'Telethon get_input_entity(id) for reference', tl.inputEntity, { what: 'Telethon get_entity_rows_by_id', ms: tl.id }));

    // Last: a million peers in memory would slow every figure after it in this process.
    const whole = timed(() => {
      const r = readInput(path);
      summarize(r);
      return new MemoryPeerSource(r.session.peers).page(BY_ID, 0, PAGE).total;
    });
    out.splice(1, 0, figure(scenario, 'open: overview + first page', open, { what: 'load whole + in-memory pager', ms: whole.ms }));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
