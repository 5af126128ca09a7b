/**
 * SessionStore: many sessions, each under an id chosen by the caller (a file name stem, a
 * UUID). Backends hold one session; stores hold a collection of them.
 */
import { SessionError } from '../errors.js';
import type { Session } from '../model/session.js';

export interface SessionStore {
  save(id: string, session: Session): Promise<void>;
  load(id: string): Promise<Session | undefined>;
  listIds(): Promise<string[]>;
  /** true when something was deleted. */
  delete(id: string): Promise<boolean>;
  /** Ids of the sessions whose own user is `userId`. */
  listForAccount(userId: bigint): Promise<string[]>;
}

/** The default listForAccount: list, then load each (stores with an index override it). */
export abstract class BaseSessionStore implements SessionStore {
  abstract save(id: string, session: Session): Promise<void>;
  abstract load(id: string): Promise<Session | undefined>;
  abstract listIds(): Promise<string[]>;
  abstract delete(id: string): Promise<boolean>;

  async listForAccount(userId: bigint): Promise<string[]> {
    const out: string[] = [];
    for (const id of await this.listIds()) {
      if ((await this.load(id))?.user?.id === userId) out.push(id);
    }
    return out;
  }
}

/** Ids become file names: letters, digits, `.`, `_`, `-`; no leading dot; at most 128 chars. */
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

export function checkSessionId(id: string): string {
  if (!SAFE_ID.test(id)) {
    throw new SessionError('usage', `invalid session id "${id.slice(0, 40)}": use letters, digits, ".", "_", "-" (no leading dot)`);
  }
  return id;
}
