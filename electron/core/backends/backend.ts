/**
 * SessionBackend: where ONE session lives (ferogram's trait, spec §1.4), async because file
 * and network backends are. The granular operations default to load → change → save, written
 * once in BaseBackend; SQL backends override them with single statements.
 */
import type { DcEntry, Peer, Session, UpdateState } from '../model/session.js';
import { emptySession } from '../model/session.js';

export type UpdateStateChange =
  | { kind: 'all'; state: UpdateState }
  | { kind: 'primary'; pts: number; date: number; seq: number }
  | { kind: 'secondary'; qts: number }
  | { kind: 'channel'; id: bigint; pts: number };

export interface SessionBackend {
  readonly name: string;
  save(session: Session): Promise<void>;
  /** undefined when nothing has been saved yet. */
  load(): Promise<Session | undefined>;
  delete(): Promise<void>;
  /** Insert or replace the DC entry with the same (id, ipv6). */
  updateDc(dc: DcEntry): Promise<void>;
  setHomeDc(id: number): Promise<void>;
  applyUpdateState(change: UpdateStateChange): Promise<void>;
  /** Insert or replace the peer with the same id. */
  cachePeer(peer: Peer): Promise<void>;
}

/** Applies a change in place (ferogram's UpdateStateChange::apply_to). */
export function applyUpdateChange(state: UpdateState, change: UpdateStateChange): void {
  switch (change.kind) {
    case 'all':
      state.pts = change.state.pts;
      state.qts = change.state.qts;
      state.date = change.state.date;
      state.seq = change.state.seq;
      state.channels = new Map(change.state.channels);
      return;
    case 'primary':
      state.pts = change.pts;
      state.date = change.date;
      state.seq = change.seq;
      return;
    case 'secondary':
      state.qts = change.qts;
      return;
    case 'channel':
      state.channels.set(change.id, change.pts);
      return;
  }
}

export function upsertDc(s: Session, dc: DcEntry): void {
  const i = s.dcs.findIndex((d) => d.id === dc.id && d.ipv6 === dc.ipv6);
  if (i >= 0) s.dcs[i] = dc;
  else s.dcs.push(dc);
}

export function upsertPeer(s: Session, peer: Peer): void {
  const i = s.peers.findIndex((p) => p.id === peer.id);
  if (i >= 0) s.peers[i] = peer;
  else s.peers.push(peer);
}

export abstract class BaseBackend implements SessionBackend {
  abstract readonly name: string;
  abstract save(session: Session): Promise<void>;
  abstract load(): Promise<Session | undefined>;
  abstract delete(): Promise<void>;

  /** load → change → save; file backends override this to hold their lock throughout. */
  protected async mutate(change: (s: Session) => void): Promise<void> {
    const s = (await this.load()) ?? emptySession();
    change(s);
    await this.save(s);
  }

  updateDc(dc: DcEntry): Promise<void> {
    return this.mutate((s) => upsertDc(s, dc));
  }
  setHomeDc(id: number): Promise<void> {
    return this.mutate((s) => {
      s.homeDc = id;
    });
  }
  applyUpdateState(change: UpdateStateChange): Promise<void> {
    return this.mutate((s) => applyUpdateChange(s.updates, change));
  }
  cachePeer(peer: Peer): Promise<void> {
    return this.mutate((s) => upsertPeer(s, peer));
  }
}
