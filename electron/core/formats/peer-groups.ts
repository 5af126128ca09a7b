/** The SQL side of PeerGroups that every format shares: telling the marked-id classes apart. */
import { CHANNEL_MARK, markedClass, type MarkedClass } from '../model/peer-id.js';

/** GROUP BY keys that keep users, basic chats and channels of a marked-id column apart. */
export const markedClassKeys = (column: string): string => `${column} > 0, ${column} < -${CHANNEL_MARK}`;

/** A group's class, from the one id it selects as `sample` (`min(column) AS sample`). */
export function sampleClass(group: Readonly<Record<string, unknown>>): MarkedClass {
  return markedClass(BigInt(group.sample as bigint | number));
}
