/**
 * The account side of one session on disk, shared by the library scan and `inspect`: its
 * sidecar (read, checked against the session), and who it is (identity.ts).
 */
import { basename } from 'node:path';
import type { AccountInfo, SidecarFacts } from '../../../shared/dto.js';
import type { Session } from '../model/session.js';
import { sidecarConflicts, type Sidecar } from '../sidecar/codec.js';
import { sidecarFacts } from '../sidecar/facts.js';
import { loadSidecar } from '../sidecar/files.js';
import { identify, type SelfPeer } from './identity.js';

export interface SessionFacts {
  userId: bigint | null;
  isBot: boolean | null;
  homeDc: number | null;
  /** The own user's row in the peer cache, when it holds one. */
  self?: SelfPeer;
}

export interface AccountPart {
  sidecarPath: string | null;
  sidecar: SidecarFacts | null;
  /** The parsed sidecar, for a conversion that copies it (holds the 2FA secret: core only). */
  parsed: Sidecar | null;
  account: AccountInfo | null;
  /** A sidecar that does not read, or contradicts its session. */
  warnings: string[];
}

const NONE: string[] = [];

/** The own user's row among a session's peers (Telethon keeps it among its entities). */
export function selfPeerOf(s: Session, userId = s.user?.id): SelfPeer | undefined {
  if (userId === undefined) return undefined;
  const p = s.peers.find((x) => x.id === userId && (x.kind === 'user' || x.kind === 'bot'));
  return p && { kind: p.kind, name: p.name ?? null, username: p.usernames[0] ?? null, phone: p.phone ?? null };
}

/** The sidecar beside `sessionPath` (when there is one) and the account both say. */
export function accountPart(sessionPath: string | null, facts: SessionFacts, found = sessionPath === null ? null : loadSidecar(sessionPath)): AccountPart {
  const parsed = found?.sidecar ?? null;
  const name = found ? basename(found.path) : '';
  const warnings = found?.warning ? [found.warning] : parsed ? sidecarConflicts(parsed, name, facts) : NONE;
  return {
    sidecarPath: found?.path ?? null,
    sidecar: parsed && found ? sidecarFacts(found.path, parsed, warnings) : null,
    parsed,
    account: identify({ userId: facts.userId, isBot: facts.isBot, self: facts.self, sidecar: parsed ? { name, sidecar: parsed } : undefined }),
    warnings,
  };
}
