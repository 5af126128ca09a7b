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

export function unmarkId(marked: bigint): { id: bigint; cls: MarkedClass } {
  const cls = markedClass(marked);
  if (cls === 'user') return { id: marked, cls };
  if (cls === 'channel') return { id: -marked - CHANNEL_MARK, cls };
  return { id: -marked, cls };
}

export function markChannel(id: bigint): bigint {
  return -(CHANNEL_MARK + id);
}
