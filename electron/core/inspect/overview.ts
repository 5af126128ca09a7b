/**
 * A session's summary as the CLI's inspect and the library's scan show it, without loading a
 * SQLite file's peer cache where its format pages peers in SQL: they are counted, and the own
 * user's row looked up, in SQL, so a million-peer file summarises in about the time of a count.
 * A format that cannot page them counts them by kind in SQL (PeerGroups). Other sessions are
 * read whole (strings, binary files, folders). `peerRowsOf` streams the rows.
 */
import type { PeerCounts, PeerRow, SessionSummary } from '../../../shared/dto.js';
import { selfPeerOf } from '../accounts/session-account.js';
import type { SelfPeer } from '../accounts/identity.js';
import { readInput, type ReadOptions } from '../formats/detect.js';
import { formatById } from '../formats/registry.js';
import type { PeerGroups, PeerTable, ReadResult } from '../formats/types.js';
import { sqlPeerGroupCounts } from './sql-peer-groups.js';
import { SqlPeerSource, sqlPeerOverview } from './sql-peer-source.js';
import { peerRow, summarize } from './summary.js';

export interface Overview {
  result: ReadResult;
  summary: SessionSummary;
  /** The own user's peer row, when the cache holds one (found by `selfId` for a session that stores no user id). */
  self: SelfPeer | undefined;
  /** Set when the peers were left out of `result` and page in SQL from this table. */
  peerTable: PeerTable | undefined;
  /** Whether `result` holds every peer (else they were counted in SQL). */
  peersRead: boolean;
}

/** The SQL peer table of a reading, when its peers page in SQL. */
export function peerTableOf(r: ReadResult): PeerTable | undefined {
  const format = formatById(r.format);
  return format?.medium === 'sqlite' ? format.peerTable : undefined;
}

/** How a reading's peers are counted in SQL, when its format leaves them out of a summary's read. */
export function peerGroupsOf(r: ReadResult): PeerGroups | undefined {
  const format = formatById(r.format);
  return format?.medium === 'sqlite' && !format.peerTable ? format.peerGroups : undefined;
}

/** The overview of a session read whole (from a store, or a string). */
export function overviewOfResult(result: ReadResult): Overview {
  return { result, summary: summarize(result), self: selfPeerOf(result.session), peerTable: undefined, peersRead: true };
}

export function overviewOf(input: string, opts: ReadOptions = {}, selfId?: bigint): Overview {
  const result = readInput(input, { ...opts, skipPeers: true });
  const summary = summarize(result);
  const userId = result.session.user?.id ?? selfId;
  const peerTable = peerTableOf(result);
  const groups = peerGroupsOf(result);
  const peersRead = !peerTable && !groups;
  if (!peerTable) {
    if (groups) Object.assign(summary, withCounts(summary, sqlPeerGroupCounts(input, groups)));
    return { result, summary, self: selfPeerOf(result.session, userId), peerTable, peersRead };
  }
  const o = sqlPeerOverview(input, peerTable, userId);
  Object.assign(summary, withCounts(summary, o));
  const self = o.self && { kind: o.self.kind, name: o.self.name, username: o.self.username, phone: o.self.phone };
  return { result, summary, self, peerTable, peersRead };
}

function withCounts(summary: SessionSummary, o: { counts: PeerCounts; warnings: string[] }): Pick<SessionSummary, 'peers' | 'warnings'> {
  return { peers: o.counts, warnings: [...summary.warnings, ...o.warnings] };
}

/** Every peer row of a session in pages (by id from SQL where it pages there, else from a whole reading). */
export function* peerRowsOf(input: string, o: Overview, opts: ReadOptions = {}, pageSize = 10_000): Generator<PeerRow[]> {
  if (!o.peerTable) {
    const peers = (o.peersRead ? o.result : readInput(input, opts)).session.peers;
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
