/**
 * A session's summary as the CLI's inspect and the library's scan show it, without loading a
 * SQLite file's peer cache where its format pages peers in SQL: they are counted, and the own
 * user's row looked up, in SQL, so a million-peer file summarises in about the time of a count.
 * Other sessions are read whole (strings and small files). `peerRowsOf` streams the rows.
 */
import type { PeerRow, SessionSummary } from '../../../shared/dto.js';
import { selfPeerOf } from '../accounts/session-account.js';
import type { SelfPeer } from '../accounts/identity.js';
import { readInput, type ReadOptions } from '../formats/detect.js';
import { formatById } from '../formats/registry.js';
import type { PeerTable, ReadResult } from '../formats/types.js';
import { SqlPeerSource, sqlPeerOverview } from './sql-peer-source.js';
import { peerRow, summarize } from './summary.js';

export interface Overview {
  result: ReadResult;
  summary: SessionSummary;
  /** The own user's peer row, when the cache holds one (found by `selfId` for a session that stores no user id). */
  self: SelfPeer | undefined;
  /** Set when the peers were left out of `result` and page in SQL from this table. */
  peerTable: PeerTable | undefined;
}

/** The SQL peer table of a reading, when its peers page in SQL. */
export function peerTableOf(r: ReadResult): PeerTable | undefined {
  const format = formatById(r.format);
  return format?.medium === 'sqlite' ? format.peerTable : undefined;
}

export function overviewOf(input: string, opts: ReadOptions = {}, selfId?: bigint): Overview {
  const result = readInput(input, { ...opts, skipPeers: true });
  const summary = summarize(result);
  const userId = result.session.user?.id ?? selfId;
  const peerTable = peerTableOf(result);
  if (!peerTable) return { result, summary, self: selfPeerOf(result.session, userId), peerTable };
  const o = sqlPeerOverview(input, peerTable, userId);
  summary.peers = o.counts;
  summary.warnings = [...summary.warnings, ...o.warnings];
  const self = o.self && { kind: o.self.kind, name: o.self.name, username: o.self.username, phone: o.self.phone };
  return { result, summary, self, peerTable };
}

/** Every peer row of a session in pages (by id from SQL where it pages there, else from the reading). */
export function* peerRowsOf(input: string, o: Overview, pageSize = 10_000): Generator<PeerRow[]> {
  if (!o.peerTable) {
    const peers = o.result.session.peers;
    for (let i = 0; i < peers.length; i += pageSize) yield peers.slice(i, i + pageSize).map(peerRow);
    return;
  }
  const source = SqlPeerSource.open(input, o.peerTable);
  try {
    for (let start = 0; ; start += pageSize) {
      const page = source.page({ search: '', kind: '', sort: 'id', desc: false }, start, pageSize);
      if (page.rows.length === 0) return;
      yield page.rows;
    }
  } finally {
    source.close();
  }
}
