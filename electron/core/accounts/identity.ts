/**
 * Who a session is, as far as the files know it: the user id from the session (Telethon's self
 * row is read into it) or from its sidecar; bot or user from the session, the own peer row or the
 * sidecar; name, username and phone from the session's own peer cache where it holds the self
 * user, else from the sidecar. Each fact names where it came from; nothing is guessed.
 */
import type { AccountInfo } from '../../../shared/dto.js';
import type { Sidecar } from '../sidecar/codec.js';

/** The own user's row in the peer cache, as the summary and the pager give it. */
export interface SelfPeer {
  kind: string;
  name: string | null;
  username: string | null;
  phone: string | null;
}

export type Account = AccountInfo;

export interface IdentityInput {
  userId: bigint | null;
  isBot: boolean | null;
  self?: SelfPeer;
  sidecar?: { name: string; sidecar: Sidecar };
}

const fullName = (first?: string, last?: string) => [first, last].filter((x) => x !== undefined && x !== '').join(' ') || undefined;

/** The account of one session; null when nothing at all is known of it. */
export function identify(input: IdentityInput): Account | null {
  const side = input.sidecar;
  const a = side?.sidecar.account;
  const from: Account['from'] = { userId: null, isBot: null, name: null, username: null, phone: null };
  const pick = <T>(field: keyof Account['from'], ...options: [T | null | undefined, string][]): T | null => {
    for (const [value, source] of options) {
      if (value !== null && value !== undefined) {
        from[field] = source;
        return value;
      }
    }
    return null;
  };
  const self = input.self;
  const sideName = side?.name ?? '';
  const userId = pick('userId', [input.userId?.toString(), 'session'], [a?.userId?.toString(), sideName]);
  const selfKind = self?.kind === 'bot' ? true : self?.kind === 'user' ? false : undefined;
  const account: Account = {
    userId,
    isBot: pick('isBot', [input.isBot, 'session'], [selfKind, 'peer cache'], [a?.isBot, sideName]),
    name: pick('name', [self?.name, 'peer cache'], [fullName(a?.firstName, a?.lastName), sideName]),
    username: pick('username', [self?.username, 'peer cache'], [a?.username, sideName]),
    phone: pick('phone', [self?.phone, 'peer cache'], [a?.phone, sideName]),
    from,
  };
  return Object.values(from).every((v) => v === null) ? null : account;
}
