/**
 * Bench scenario: Pyrogram-family sessions with n peers (upstream, and Pyrofork, whose second
 * usernames table has no index on its peer column). Opening one as the UI does (overview with
 * counts and warnings from SQL + first page) against loading it whole, and a page at row n/2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerQuery } from '../../shared/dto.js';
import { readInput } from '../../electron/core/formats/detect.js';
import { pyroforkSqlite, pyrogramSqlite } from '../../electron/core/formats/pyrogram-sqlite.js';
import { MemoryPeerSource } from '../../electron/core/inspect/peer-source.js';
import { SqlPeerSource } from '../../electron/core/inspect/sql-peer-source.js';
import { summarize } from '../../electron/core/inspect/summary.js';
import { OpenSessions } from '../../electron/services/open-sessions.js';
import { figure, median, settleHeap, timed, type Figure } from './measure.js';
import { makeBigPyrogram } from './pyrogram-big.js';

const BY_ID: PeerQuery = { search: '', kind: '', sort: 'id', desc: false };
const PAGE = 100;

export function benchPyrogramPeers(n: number): Figure[] {
  const dir = mkdtempSync(join(tmpdir(), 'sd-bench-pyrogram-'));
  const out: Figure[] = [];
  try {
    for (const format of [pyrogramSqlite, pyroforkSqlite]) {
      const scenario = `peers (${format.id}, ${n.toLocaleString('en')} peers)`;
      const path = join(dir, `${format.id}.session`);
      makeBigPyrogram(path, format, n);
      const open = median(3, () => {
        const s = new OpenSessions();
        s.open(path).peers.page(BY_ID, 0, PAGE);
        s.close(path);
      });
      const row = Math.floor(n / 2);
      const src = SqlPeerSource.open(path, format.peerTable!);
      try {
        out.push(figure(scenario, 'id order (first deep jump, once per open)', timed(() => src.page(BY_ID, row, PAGE)).ms));
        settleHeap();
        const page = median(200, (i) => src.page(BY_ID, row + (i & 7), PAGE));
        out.push(figure(scenario, `page of ${PAGE} at row ${row.toLocaleString('en')}`, page, undefined, { text: '< 5 ms', holds: page < 5 }));
      } finally {
        src.close();
      }
      // Last for this file: its peers in memory would weigh on what follows.
      const whole = timed(() => {
        const r = readInput(path);
        summarize(r);
        return new MemoryPeerSource(r.session.peers).page(BY_ID, 0, PAGE).total;
      });
      out.splice(out.length - 2, 0, figure(scenario, 'open: overview + first page', open, { what: 'load whole + in-memory pager', ms: whole.ms }));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
