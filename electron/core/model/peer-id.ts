/**
 * Bot API style marked ids: user = id, basic chat = -id, channel = -(1e12 + id).
 * The model keeps bare ids plus a kind; these helpers are the edge conversions.
 */
import type { PeerKind } from './session.js';
import { isChannelKind } from './session.js';

export const CHANNEL_MARK = 1_000_000_000_000n;

export type MarkedClass = 'user' | 'chat' | 'channel';

export function markId(id: bigint, kind: PeerKind): bigint {
  if (isChannelKind(kind)) return -(CHANNEL_MARK + id);
  if (kind === 'chat') return -id;
  return id;
}

export function markedClass(marked: bigint): MarkedClass {
  if (marked >= 0n) return 'user';
  if (marked < -CHANNEL_MARK) return 'channel';
  return 'chat';
}

/** The bare id of a marked one, without the object unmarkId makes (a merge of a million ids calls it). */
export function bareId(marked: bigint): bigint {
  if (marked >= 0n) return marked;
  if (marked < -CHANNEL_MARK) return -marked - CHANNEL_MARK;
  return -marked;
}

export function unmarkId(marked: bigint): { id: bigint; cls: MarkedClass } {
  return { id: bareId(marked), cls: markedClass(marked) };
}

export function markChannel(id: bigint): bigint {
  return -(CHANNEL_MARK + id);
}
