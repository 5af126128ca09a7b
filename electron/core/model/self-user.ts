/**
 * Whether the own account is a bot, from the session: the user's bot flag, else the kind of
 * the peer row for that id (Telethon keeps the self user among its entities). Never guessed.
 */
import type { Session } from './session.js';

export function selfIsBot(s: Session): boolean | undefined {
  if (!s.user) return undefined;
  if (s.user.isBot !== undefined) return s.user.isBot;
  const id = s.user.id;
  const kind = s.peers.find((p) => p.id === id && (p.kind === 'user' || p.kind === 'bot'))?.kind;
  return kind === undefined ? undefined : kind === 'bot';
}
