/**
 * Sessions the UI has open, kept in memory with their peer pager, least recently used first
 * out, bounded by a total peer budget so a few huge files do not pile up. A file is re-read
 * when its size or modified time changed since it was opened. SQLite formats with a peer table
 * are opened without their peers: the overview counts and the pages come from SQL, and the
 * full session is read only when an action needs it (export, convert, edit). A store's session
 * is held until closed; the alchemy tables' entities are paged in SQL the same way, the store
 * kept open meanwhile, and other layouts are loaded whole.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type { SessionSummary } from '../../shared/dto.js';
import { SessionError } from '../core/errors.js';
import { readInput } from '../core/formats/detect.js';
import { formatById } from '../core/formats/registry.js';
import type { ReadResult } from '../core/formats/types.js';
import { MemoryPeerSource, type PeerSource } from '../core/inspect/peer-source.js';
import { peerGroupsOf } from '../core/inspect/overview.js';
import { SqlPeerSource } from '../core/inspect/sql-peer-source.js';
import { openStoredSession } from '../core/inspect/store-peer-source.js';
import { summarize } from '../core/inspect/summary.js';
import { wipeKeys, withOwnKeys } from '../core/model/session.js';
import { readStoreSession, type StoreOpener, type StoreRef } from '../core/store/session-refs.js';

export interface OpenSession {
  ref: string;
  /** The whole session; for sessions paged in SQL read on first use. */
  full(): Promise<ReadResult>;
  summary: SessionSummary;
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
  /** Stores being opened, so two requests for one session share one connection. */
  private readonly opening = new Map<string, Promise<OpenSession>>();
  private readonly reads = new WeakMap<OpenSession, KeyHolder>();

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
    return this.keep({
      ref,
      full: once(async () => readInput(ref)),
      summary: { ...summarize(head), peers: peers.peerCounts(), warnings: [...head.warnings, ...peers.warnings] },
      peers,
      stamp,
    });
  }

  /** Opens one session of a store (`ref` names it), or returns it when it is held already. */
  async openStored(ref: string, at: StoreRef, open: StoreOpener): Promise<OpenSession> {
    const have = this.items.get(ref);
    if (have) return this.touch(have);
    let p = this.opening.get(ref);
    if (!p) {
      p = this.fromStore(ref, at, open).finally(() => this.opening.delete(ref));
      this.opening.set(ref, p);
    }
    return p;
  }

  private async fromStore(ref: string, at: StoreRef, open: StoreOpener): Promise<OpenSession> {
    if (at.id === undefined) return this.store(ref, await readStoreSession(at, open), '');
    const { head, peers } = await openStoredSession(await open(at.store, {}), at.id);
    if (!peers) return this.store(ref, head, '');
    return this.keep({ ref, full: once(() => readStoreSession(at, open)), summary: { ...summarize(head), peers: peers.peerCounts() }, peers, stamp: '' });
  }

  /** Keeps a session read from a string under a fresh `mem:` handle. */
  hold(result: ReadResult): OpenSession {
    return this.store(`${MEM_PREFIX}${randomBytes(12).toString('hex')}`, result, '');
  }

  /** Forgets a session; the keys it read are zeroed (callers hold copies of their own). */
  close(ref: string): void {
    const s = this.items.get(ref);
    if (!s) return;
    s.peers.close();
    this.items.delete(ref);
    this.reads.get(s)?.wipe();
    this.reads.delete(s);
  }

  private store(ref: string, result: ReadResult, stamp: string): OpenSession {
    return this.keep({ ref, full: async () => result, summary: summarize(result), peers: new MemoryPeerSource(result.session.peers), stamp }, result);
  }

  /** Holds a session (`known`: its whole read, when it is in hand already). */
  private keep(held: OpenSession, known?: ReadResult): OpenSession {
    const read = keyHolder(held.ref, held.full, known);
    const s: OpenSession = { ...held, full: read.full };
    this.reads.set(s, read);
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

interface KeyHolder {
  full(): Promise<ReadResult>;
  wipe(): void;
}

/**
 * The whole session as read, kept once for every caller: each gets its keys in buffers of its
 * own, so the kept ones can be zeroed when the session is closed, even while a conversion or an
 * edit from it is still writing. A caller that asked before the close gets its copy before the
 * zeroing (promise reactions run in the order they were added); after it, full() refuses.
 */
function keyHolder(ref: string, read: () => Promise<ReadResult>, known?: ReadResult): KeyHolder {
  // `read` gives the same result to every call (once(), or a result held): the last call's
  // promise settles no earlier than the others'.
  let last: Promise<ReadResult> | undefined = known && Promise.resolve(known);
  let closed = false;
  return {
    async full() {
      if (closed) throw new SessionError('not-found', `${ref}: this session was closed; open it again`);
      const p = read();
      last = p;
      const r = await p;
      return { ...r, session: withOwnKeys(r.session) };
    },
    wipe() {
      closed = true;
      last?.then((r) => wipeKeys(r.session)).catch(() => {});
    },
  };
}

/** A read done on first use and kept; a failed one is tried again next time. */
function once(read: () => Promise<ReadResult>): () => Promise<ReadResult> {
  let p: Promise<ReadResult> | undefined;
  return () =>
    (p ??= read().catch((e: unknown) => {
      p = undefined;
      throw e;
    }));
}
