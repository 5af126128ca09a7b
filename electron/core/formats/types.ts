/**
 * What every format module exports. A format is a pair of pure functions to and from the
 * model (strings, byte files) or a reader/writer over an SQLite handle or a folder. The
 * registry (index.ts) detects which one fits an input; conversion reads into the model and
 * writes out of it, using `capabilities` to say what the target cannot hold.
 */
import type { Session } from '../model/session.js';
import type { SqliteSchema } from '../sqlite/open.js';

export type FormatId =
  | 'ferogram'
  | 'ferogram-sqlite'
  | 'ferogram-string'
  | 'ferogram-compact'
  | 'telethon'
  | 'telethon-string'
  | 'telethon-v2'
  | 'pyrogram'
  | 'kurigram'
  | 'pyrofork'
  | 'pyrogram-string'
  | 'gramjs-string'
  | 'gramjs-store'
  | 'mtcute-string'
  | 'mtkruto-string'
  | 'mtcute'
  | 'grammers'
  | 'tdata'
  | 'telethon-alchemy'
  | 'mtcute-postgres'
  | 'telethon-redis';

/** 'store': many sessions in a shared database, each under a session id (core/store/). */
export type Medium = 'string' | 'bytes' | 'sqlite' | 'folder' | 'store';

/** What a format can keep; the converter projects a session onto this and reports the rest. */
export interface Capabilities {
  /** 'all': every DC entry; 'per-id': one entry per DC id (IPv4 preferred); 'home': the home DC only. */
  dcs: 'all' | 'per-id' | 'home';
  /** Keeps DC entries without an auth key. */
  keylessDcs: boolean;
  /** Media-only DC entries: all of them, none, or only the home DC's (mtcute's dc_media). */
  mediaDcs: boolean | 'home';
  salt: boolean;
  timeOffset: boolean;
  dcFlags: boolean;
  user: 'id-and-bot' | 'id' | 'none';
  testMode: boolean;
  apiId: boolean;
  takeoutId: boolean;
  updates: boolean;
  channelPts: boolean;
  peers: boolean;
  /** Which peer kinds survive as themselves; the rest are mapped (see convert) or dropped. */
  peerKinds: readonly string[];
  usernames: 'all' | 'first' | 'none';
  phone: boolean;
  name: boolean;
  seenAt: boolean;
  minPeers: boolean;
  futureAuthToken: boolean;
  /** ferogram compact V1's seq_no and layer. */
  seqNoAndLayer?: boolean;
  /** The own user's peer row holds the bot flag (grammers), so that peer is a bot exactly when the account is. */
  ownPeerFollowsBot?: boolean;
  /** Fields the target cannot be written without. */
  requires: readonly ('user' | 'isBot' | 'apiId' | 'authKey')[];
}

export interface ReadResult {
  format: FormatId;
  /** The format's own version (schema version, string flavour), null when it has none. */
  formatVersion: string | number | null;
  session: Session;
  /** Audit findings and oddities, one line each. Never contains key material. */
  warnings: string[];
  /** Values we derived rather than read (e.g. test mode from the DC address), one line each. */
  inferences?: string[];
  /** A Telegram Desktop tdata: every account it holds (the session is one of them). */
  tdata?: TdataInfo;
}

export interface TdataInfo {
  /** e.g. 5008003 (5.8.3). */
  appVersion: number;
  /** In the Desktop's order, counted from 1. */
  accounts: { index: number; userId: bigint; homeDc: number }[];
  /** The index of the active account. */
  active: number;
  /** The index of the account this reading is. */
  account: number;
  /** Whether a local passcode guards the tdata (what is read from it is then never cached on disk). */
  locked: boolean;
}

export interface WriteOptions {
  /** ferogram-compact: write V1 instead of V2. pyrogram-string: write the old 64-bit layout. */
  legacy?: boolean;
  /** tdata: the local passcode to lock it with. */
  passcode?: string;
}

interface FormatBase {
  id: FormatId;
  /** Human label, e.g. "Telethon SQLite session". */
  label: string;
  /** Which library reads it, for export dialogs. */
  library: string;
  medium: Medium;
  capabilities: Capabilities;
}

export interface StringFormat extends FormatBase {
  medium: 'string';
  decode(text: string): ReadResult;
  encode(session: Session, opts?: WriteOptions): string;
}

export interface BytesFormat extends FormatBase {
  medium: 'bytes';
  /** Cheap check on the first bytes, before a full decode. */
  sniff(bytes: Uint8Array): boolean;
  decode(bytes: Uint8Array): ReadResult;
  encode(session: Session, opts?: WriteOptions): Uint8Array;
}

/**
 * Where an SQLite format keeps its peers, for paging them in SQL instead of loading them all
 * (inspect/sql-peer-source.ts). The id column holds Bot API marked ids and is the table's
 * INTEGER PRIMARY KEY, so each marked-id class (user > 0, chat, channel) is an index range.
 */
export interface PeerTable {
  table: string;
  id: string;
  hash: string;
  username: string;
  phone: string;
  /** null: the format keeps no names. */
  name: string | null;
  /**
   * A row's kind: its marked-id class alone (Telethon), or a type column read within the
   * class (Pyrogram), where a row of an unknown type, or of a type that does not fit its id's
   * class, is not a peer; `noHash`: the class whose access hash reads as 0.
   */
  kinds:
    | Readonly<Record<import('../model/peer-id.js').MarkedClass, import('../model/session.js').PeerKind>>
    | {
        column: string;
        byClass: Readonly<Record<import('../model/peer-id.js').MarkedClass, Readonly<Record<string, import('../model/session.js').PeerKind>>>>;
        noHash?: import('../model/peer-id.js').MarkedClass;
        /** The reader's warnings for the rows that are not peers (or read narrowed), from counts per type. */
        warnings(rows: readonly PeerTypeCount[]): string[];
      };
  /**
   * More usernames in a second table (Kurigram, Pyrofork), added in its row order after the
   * peer's own; a positive peer id that names no user there is tried as a bare channel id.
   */
  usernames?: { table: string; peer: string; name: string; orphanWarning(n: number): string };
}

/** How many rows of one type a class holds (`fits`: the type belongs to that class), in first-row order. */
export interface PeerTypeCount {
  type: string;
  fits: boolean;
  n: number;
}

export interface SqliteReadOptions {
  /**
   * Leave the peer rows out (the UI pages them from SQL, a summary counts them there), all but
   * the own user's where the file names it; honoured by formats with a peerTable or peerGroups.
   */
  skipPeers?: boolean;
}

/**
 * A peer cache counted by kind in SQL: one GROUP BY over the columns that decide a row's
 * kind, each group's kind then decided by the reader's own rule. For formats whose peers do
 * not page in SQL, so that a summary still never loads them.
 */
export interface PeerGroups {
  /** The grouping SELECT (a column `n` holds each group's count); undefined when the file has no peer table. */
  sql(schema: SqliteSchema): string | undefined;
  /** The kind of a group's rows (integers arrive as bigint); undefined for rows the reader does not read as peers. */
  kindOf(group: Readonly<Record<string, unknown>>): import('../model/session.js').PeerKind | undefined;
  /** What the reader would warn about the rows, from the groups. */
  warnings?(groups: readonly Readonly<Record<string, unknown>>[]): string[];
}

export interface SqliteFormat extends FormatBase {
  medium: 'sqlite';
  /** True when the tables and columns are this library's (not by version number). */
  matches(schema: SqliteSchema): boolean;
  read(db: import('better-sqlite3').Database, schema: SqliteSchema, opts?: SqliteReadOptions): ReadResult;
  /** Set when the peers can be paged in SQL; `read` then honours `skipPeers`. */
  peerTable?: PeerTable;
  /** Set (instead) when the peers can only be counted in SQL; `read` then honours `skipPeers` too. */
  peerGroups?: PeerGroups;
  /** Writes into an EMPTY database inside one transaction (the caller handles atomic rename). */
  write(db: import('better-sqlite3').Database, session: Session, opts?: WriteOptions): void;
}

/** What reading a folder may need: which of its accounts (tdata, counted from 1) and its passcode. */
export interface FolderReadOptions {
  account?: number;
  passcode?: string;
}

/**
 * A shared store's layout: what it can hold, for conversion and the formats table. Reading and
 * writing it is asynchronous I/O against a server (core/store/), not a codec of bytes.
 */
export interface StoreFormat extends FormatBase {
  medium: 'store';
  /** The engines it lives on, as the store URL names them. */
  engines: readonly ('postgresql' | 'redis' | 'sqlite')[];
}

export interface FolderFormat extends FormatBase {
  medium: 'folder';
  matches(dir: string): boolean;
  read(dir: string, opts?: FolderReadOptions): ReadResult;
  /** Writes into a new, empty folder. */
  write(dir: string, session: Session, opts?: WriteOptions): void;
}

export type SessionFormat = StringFormat | BytesFormat | SqliteFormat | FolderFormat | StoreFormat;
