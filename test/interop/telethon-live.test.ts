/**
 * Live concurrent use. A real Telethon process (offline SQLiteSession) keeps storing entities
 * and update state and saving, while Session Deck reads the file the ways the app does (detect
 * and read, inspect, page peers in SQL, back up): Telethon never meets "database is locked"
 * (it reports every exception), and every read is one consistent state (the writer keeps
 * pts == number of entities, so a torn read shows them apart).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBackup } from '../../electron/core/backup/create.js';
import { restore } from '../../electron/core/backup/restore.js';
import { readInput } from '../../electron/core/formats/detect.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { SqlPeerSource } from '../../electron/core/inspect/sql-peer-source.js';
import { summarize } from '../../electron/core/inspect/summary.js';
import { tempDir } from '../helpers/format-io.js';

const PY = '/usr/bin/python3';
const TELETHON_WRITER = fileURLToPath(new URL('./telethon_writer.py', import.meta.url));
const PASS = 'live';
// tmpfs when there is one: this is about locks, and a loaded disk's fsyncs only slow both sides.
const dir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/sd-live-') : tempDir('sd-live-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a child to the end, collecting its output; `ready` resolves on its first line. */
function child(cmd: string, args: string[]) {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const ready = new Promise<void>((res) => p.stdout.once('data', () => res()));
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; out: string; err: string }>((res) => p.on('close', (code) => res({ code, out, err })));
  return { ready, done };
}

const lastJson = <T>(out: string): T => JSON.parse(out.trim().split('\n').at(-1)!) as T;

/** A Telethon read is consistent when the account pts equals the number of entities. */
function telethonState(path: string): { pts: number; entities: number } {
  const r = readInput(path);
  expect(r.format).toBe('telethon');
  return { pts: r.session.updates.pts, entities: r.session.peers.length };
}

describe('a live Telethon process and Session Deck on one .session file', () => {
  it('Telethon never sees "database is locked"; every read is one consistent state', async () => {
    const session = join(dir, 'bot.session');
    const writer = child(PY, [TELETHON_WRITER, 'write', session, '6']);
    await writer.ready;
    const writing = { done: false };
    void writer.done.then(() => (writing.done = true));

    const counts = { reads: 0, inspects: 0, pages: 0, backups: 0 };
    const torn: string[] = [];
    const archives: string[] = [];
    const table = telethonSqlite.peerTable!;
    while (!writing.done) {
      const st = telethonState(session);
      counts.reads++;
      if (st.pts !== st.entities) torn.push(`read: pts ${st.pts}, ${st.entities} entities`);

      const summary = summarize(readInput(session));
      counts.inspects++;
      expect(summary).toBeTruthy();

      const peers = SqlPeerSource.open(session, table);
      try {
        const page = peers.page({ search: '', kind: '', sort: 'id', desc: false }, 0, 50);
        // The total is counted when the source opens; the page is read later, after more
        // rounds (entities only grow here), each in its own short read transaction.
        expect(page.rows.length).toBeGreaterThanOrEqual(Math.min(50, page.total));
        expect(page.rows.length).toBeLessThanOrEqual(50);
        counts.pages++;
      } finally {
        peers.close();
      }

      if (counts.reads % 8 === 0) {
        const file = join(dir, `b${archives.length}.tar.age`);
        await createBackup([session], file, PASS, { workFactor: 10 });
        archives.push(file);
        counts.backups++;
      }
      await sleep(1);
    }

    const result = await writer.done;
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const summary = lastJson<{ rounds: number; errors: string[] }>(result.out);
    expect(summary.errors).toEqual([]);
    expect(summary.rounds).toBeGreaterThan(100);
    expect(torn).toEqual([]);
    expect(counts.reads).toBeGreaterThan(50);
    expect(counts.backups).toBeGreaterThan(4);

    // Each backup holds one consistent state too.
    for (const [i, file] of archives.entries()) {
      const dest = join(dir, `r${i}`);
      await restore(file, PASS, dest, { onConflict: 'skip' });
      const st = telethonState(join(dest, 'bot.session'));
      expect(st.pts, `backup ${i}`).toBe(st.entities);
    }
    // And the file Telethon left is the state of its last round.
    expect(telethonState(session)).toEqual({ pts: summary.rounds, entities: summary.rounds });
  }, 60_000);
});
