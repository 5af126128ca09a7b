/**
 * Sessions the UI has open, kept in memory with their peer pager, least recently used first
 * out, bounded by a total peer budget so a few huge files do not pile up. A file is re-read
 * when its size or modified time changed since it was opened. SQLite formats with a peer table
 * are opened without their peers: the overview counts and the pages come from SQL, and the
 * full session is read only when an action needs it (export, convert, edit).
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Summary } from '../../shared/contract.js';
import { SessionError } from '../core/errors.js';
import { readInput } from '../core/formats/detect.js';
import { formatById } from '../core/formats/registry.js';
import type { ReadResult } from '../core/formats/types.js';
import { MemoryPeerSource, type PeerSource } from '../core/inspect/peer-source.js';
import { peerGroupsOf } from '../core/inspect/overview.js';
import { SqlPeerSource } from '../core/inspect/sql-peer-source.js';
import { summarize } from '../core/inspect/summary.js';

export interface OpenSession {
  ref: string;
  /** The whole session; for SQL-paged files read on first use. */
  readonly result: ReadResult;
  summary: Summary;
  peers: PeerSource;
  stamp: string;
}

const MEM_PREFIX = 'mem:';

function stampOf(path: string): string {
  const st = statSync(path);
  return `${st.size}:${st.mtimeMs}`;
}

export class OpenSessions {
  private readonly items = new Map<string, OpenSession>();

  constructor(
    private readonly peerBudget = 3_000_000,
    private readonly maxItems = 12,
  ) {}

  /** Opens a file or folder (re-reading it when it changed), or returns an in-memory session. */
  open(ref: string): OpenSession {
    const have = this.items.get(ref);
    if (ref.startsWith(MEM_PREFIX)) {
      if (!have) throw new SessionError('not-found', 'this imported session is no longer open; paste it again');
      return this.touch(have);
    }
    let stamp: string;
    try {
      stamp = stampOf(ref);
    } catch {
      throw new SessionError('not-found', `${ref}: no such file or folder`);
    }
    if (have && have.stamp === stamp) return this.touch(have);
    const head = readInput(ref, { skipPeers: true });
    const format = formatById(head.format);
    // A format that only counts its peers in SQL left them out of `head`: the view needs them all.
    if (format?.medium !== 'sqlite' || !format.peerTable) return this.store(ref, peerGroupsOf(head) ? readInput(ref) : head, stamp);
    const peers = SqlPeerSource.open(ref, format.peerTable);
    let full: ReadResult | undefined;
    return this.keep({
      ref,
      get result() {
        full ??= readInput(ref);
        return full;
      },
      summary: { ...summarize(head), peers: peers.peerCounts(), warnings: [...head.warnings, ...peers.warnings] },
      peers,
      stamp,
    });
  }

  /** A session already held under this ref (a store's, loaded once), without re-reading. */
  held(ref: string): OpenSession | undefined {
    const have = this.items.get(ref);
    return have && this.touch(have);
  }

  /** Keeps a session read from elsewhere (a store) under its own ref. */
  holdAs(ref: string, result: ReadResult): OpenSession {
    return this.store(ref, result, '');
  }

  /** Keeps a session read from a string under a fresh `mem:` handle. */
  hold(result: ReadResult): OpenSession {
    return this.store(`${MEM_PREFIX}${randomBytes(12).toString('hex')}`, result, '');
  }

  close(ref: string): void {
    this.items.get(ref)?.peers.close();
    this.items.delete(ref);
  }

  private store(ref: string, result: ReadResult, stamp: string): OpenSession {
    return this.keep({ ref, result, summary: summarize(result), peers: new MemoryPeerSource(result.session.peers), stamp });
  }

  private keep(s: OpenSession): OpenSession {
    this.close(s.ref);
    this.items.set(s.ref, s);
    this.evict(s.ref);
    return s;
  }

  private touch(s: OpenSession): OpenSession {
    this.items.delete(s.ref);
    this.items.set(s.ref, s);
    return s;
  }

  private evict(keep: string): void {
    let total = 0;
    for (const s of this.items.values()) total += s.peers.resident;
    for (const [ref, s] of this.items) {
      if (total <= this.peerBudget && this.items.size <= this.maxItems) break;
      if (ref === keep) continue;
      total -= s.peers.resident;
      this.close(ref);
    }
  }
}
