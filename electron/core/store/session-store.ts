/**
 * SessionStore: many sessions in one shared store (a PostgreSQL schema, a Redis hive, the
 * alchemy tables in an SQLite file), each under a session id. Opened read-only unless the
 * caller asks to write; every write is one transaction.
 */
import { SessionError } from '../errors.js';
import type { FormatId, ReadResult } from '../formats/types.js';
import type { Session } from '../model/session.js';
import type { SqlClient } from './sql/client.js';

export type StoreFormatId = Extract<FormatId, 'telethon-alchemy' | 'mtcute-postgres' | 'telethon-redis'>;

/** One session of a listing: what the library shows without loading its peers. */
export interface StoredSession {
  id: string;
  /** The session without its peers: DCs, own user, update counters. */
  head: Session;
  peers: number;
  warnings: string[];
}

export interface SaveOptions {
  /** Replace a session that exists under this id (else that is refused). */
  replace?: boolean;
}

export interface LoadOptions {
  /** Leave the peers out but the own user's (stores with entityRows, whose peers are paged in SQL). */
  skipPeers?: boolean;
}

/** Where one session's Telethon entity rows are, for paging them in SQL: the table (quoted, qualified) and the id. */
export interface EntityRows {
  db: SqlClient;
  table: string;
  sessionId: string;
}

export interface SessionStore {
  readonly format: StoreFormatId;
  /** Where it is, without a password. */
  readonly location: string;
  /** The layout found (schema, prefix, hive, versions): one line, for manifests and `inspect`. */
  readonly layout: string;
  list(): Promise<StoredSession[]>;
  listIds(): Promise<string[]>;
  /** The whole session; a missing id is a not-found error. */
  load(id: string, opts?: LoadOptions): Promise<ReadResult>;
  /** The alchemy tables only: their entity rows are paged in SQL rather than loaded. */
  entityRows?(id: string): EntityRows;
  save(id: string, session: Session, opts?: SaveOptions): Promise<void>;
  /** true when something was deleted. */
  delete(id: string): Promise<boolean>;
  /** Ids of the sessions whose own user is `userId`. */
  listForAccount(userId: bigint): Promise<string[]>;
  close(): Promise<void>;
}

/** A session id as the stores keep it: printable, no `#`, at most 200 characters. */
export function checkSessionId(id: string): string {
  if (id.length === 0 || id.length > 200 || /[\p{Cc}#]/u.test(id) || id.trim() !== id) {
    throw new SessionError('usage', `invalid session id "${id.slice(0, 40)}": use 1 to 200 printable characters, no "#" and no surrounding spaces`);
  }
  return id;
}

export const missingSession = (store: SessionStore, id: string): SessionError =>
  new SessionError('not-found', `${store.location}: no session "${id}" in this ${store.format} store`);

export const existingSession = (store: SessionStore, id: string): SessionError =>
  new SessionError('exists', `${store.location}: a session "${id}" exists already (use --force to replace it)`);

/** listForAccount from a listing, for stores without an index on the own user. */
export async function idsForAccount(store: SessionStore, userId: bigint): Promise<string[]> {
  return (await store.list()).filter((s) => s.head.user?.id === userId).map((s) => s.id);
}
