/**
 * The three Pyrogram SQLite flavours (spec §3.1–3.3): each library's own schema text, as in
 * its pyrogram/storage/sqlite_storage.py, and what a clean file of each may contain, so
 * that the reader can tell the flavours apart by tables and columns (their version numbers
 * clash) and report anything else as an audit finding.
 */
import { hasColumns, type SqliteSchema } from '../sqlite/open.js';

export type PyrogramFlavour = 'pyrogram' | 'kurigram' | 'pyrofork';

const SESSIONS_V3 = `
CREATE TABLE sessions
(
    dc_id     INTEGER PRIMARY KEY,
    api_id    INTEGER,
    test_mode INTEGER,
    auth_key  BLOB,
    date      INTEGER NOT NULL,
    user_id   INTEGER,
    is_bot    INTEGER
);

CREATE TABLE peers
(
    id             INTEGER PRIMARY KEY,
    access_hash    INTEGER,
    type           INTEGER NOT NULL,
    username       TEXT,
    phone_number   TEXT,
    last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER))
);
`;

const UPDATE_STATE = `
CREATE TABLE update_state
(
    id   INTEGER PRIMARY KEY,
    pts  INTEGER,
    qts  INTEGER,
    date INTEGER,
    seq  INTEGER
);
`;

const VERSION_AND_PEER_INDEXES = `
CREATE TABLE version
(
    number INTEGER PRIMARY KEY
);

CREATE INDEX idx_peers_id ON peers (id);
CREATE INDEX idx_peers_username ON peers (username);
CREATE INDEX idx_peers_phone_number ON peers (phone_number);
`;

const PEERS_TRIGGER = `
CREATE TRIGGER trg_peers_last_update_on
    AFTER UPDATE
    ON peers
BEGIN
    UPDATE peers
    SET last_update_on = CAST(STRFTIME('%s', 'now') AS INTEGER)
    WHERE id = NEW.id;
END;
`;

/** pyrogram/pyrogram, SQLiteStorage.VERSION = 3. */
const PYROGRAM_SCHEMA = SESSIONS_V3 + VERSION_AND_PEER_INDEXES + PEERS_TRIGGER;

/** Mayuri-Chan/pyrofork, VERSION = 4: SCHEMA (with update_state) then UNAME_SCHEMA. */
const PYROFORK_SCHEMA =
  SESSIONS_V3 +
  UPDATE_STATE +
  VERSION_AND_PEER_INDEXES +
  PEERS_TRIGGER +
  `
CREATE TABLE IF NOT EXISTS usernames
(
    id             TEXT PRIMARY KEY,
    peer_id        INTEGER NOT NULL,
    last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER))
);

CREATE TRIGGER IF NOT EXISTS trg_usernames_last_update_on
    AFTER UPDATE
    ON usernames
BEGIN
    UPDATE usernames
    SET last_update_on = CAST(STRFTIME('%s', 'now') AS INTEGER)
    WHERE id = NEW.id;
END;
`;

/** KurimuzonAkuma/kurigram, VERSION = 7. */
const KURIGRAM_SCHEMA =
  `
CREATE TABLE sessions
(
    dc_id          INTEGER PRIMARY KEY,
    server_address TEXT,
    port           INTEGER,
    api_id         INTEGER,
    test_mode      INTEGER,
    auth_key       BLOB,
    date           INTEGER NOT NULL,
    user_id        INTEGER,
    is_bot         INTEGER
);

CREATE TABLE peers
(
    id             INTEGER PRIMARY KEY,
    access_hash    INTEGER,
    type           INTEGER NOT NULL,
    phone_number   TEXT,
    last_update_on INTEGER NOT NULL DEFAULT (CAST(STRFTIME('%s', 'now') AS INTEGER))
);

CREATE TABLE usernames
(
    id       INTEGER,
    username TEXT,
    FOREIGN KEY (id) REFERENCES peers(id)
);
` +
  UPDATE_STATE +
  `
CREATE TABLE version
(
    number INTEGER PRIMARY KEY
);

CREATE INDEX idx_peers_id ON peers (id);
CREATE INDEX idx_peers_phone_number ON peers (phone_number);
CREATE INDEX idx_usernames_id ON usernames (id);
CREATE INDEX idx_usernames_username ON usernames (username);
` +
  PEERS_TRIGGER;

export interface FlavourSpec {
  flavour: PyrogramFlavour;
  library: string;
  schema: string;
  version: number;
  /** Every table and column a file of this flavour may hold, older versions included. */
  tables: Readonly<Record<string, readonly string[]>>;
  /** Every index and trigger it may hold (migrated files keep older ones). */
  others: readonly string[];
}

const SESSIONS_COLS = ['dc_id', 'api_id', 'test_mode', 'auth_key', 'date', 'user_id', 'is_bot'];
const PEERS_COLS = ['id', 'access_hash', 'type', 'username', 'phone_number', 'last_update_on'];
const UPDATE_STATE_COLS = ['id', 'pts', 'qts', 'date', 'seq'];
const BASE_OTHERS = ['idx_peers_id', 'idx_peers_username', 'idx_peers_phone_number', 'trg_peers_last_update_on'];

export const FLAVOURS: Readonly<Record<PyrogramFlavour, FlavourSpec>> = {
  pyrogram: {
    flavour: 'pyrogram',
    library: 'Pyrogram',
    schema: PYROGRAM_SCHEMA,
    version: 3,
    tables: { sessions: SESSIONS_COLS, peers: PEERS_COLS, version: ['number'] },
    others: BASE_OTHERS,
  },
  kurigram: {
    flavour: 'kurigram',
    library: 'Kurigram',
    schema: KURIGRAM_SCHEMA,
    version: 7,
    tables: {
      sessions: [...SESSIONS_COLS, 'server_address', 'port'],
      // peers.username survives in files migrated from version 3.
      peers: PEERS_COLS,
      usernames: ['id', 'username'],
      update_state: UPDATE_STATE_COLS,
      version: ['number'],
    },
    others: [...BASE_OTHERS, 'idx_usernames_id', 'idx_usernames_username'],
  },
  pyrofork: {
    flavour: 'pyrofork',
    library: 'Pyrofork',
    schema: PYROFORK_SCHEMA,
    version: 4,
    tables: {
      sessions: SESSIONS_COLS,
      peers: PEERS_COLS,
      usernames: ['id', 'peer_id', 'last_update_on'],
      update_state: UPDATE_STATE_COLS,
      version: ['number'],
      // Some Pyrofork releases also create this table of DC addresses from GetConfig.
      dc_options: ['id', 'dc_id', 'address', 'port', 'is_ipv6', 'is_test', 'is_media', 'is_default_ip'],
    },
    others: [...BASE_OTHERS, 'trg_usernames_last_update_on'],
  },
};

/** The columns every flavour and every supported version (2 and later) has. */
function isPyrogramFamily(schema: SqliteSchema): boolean {
  return (
    hasColumns(schema, 'sessions', ['dc_id', 'test_mode', 'auth_key', 'date', 'user_id', 'is_bot']) &&
    hasColumns(schema, 'peers', ['id', 'access_hash', 'type', 'phone_number', 'last_update_on']) &&
    hasColumns(schema, 'version', ['number'])
  );
}

/**
 * Which library wrote the file, from its tables and columns. Kurigram: usernames(id,
 * username) or sessions.server_address. Pyrofork: usernames(id = the username, peer_id), or
 * update_state without usernames. Upstream: neither. A Kurigram or Pyrofork version-3 file
 * is byte-for-byte an upstream one and reads as upstream.
 */
export function detectFlavour(schema: SqliteSchema): PyrogramFlavour | null {
  if (!isPyrogramFamily(schema)) return null;
  const usernames = schema.tables.get('usernames');
  if (usernames?.includes('peer_id')) return 'pyrofork';
  if (usernames?.includes('username') || hasColumns(schema, 'sessions', ['server_address'])) return 'kurigram';
  if (usernames !== undefined) return null;
  return schema.tables.has('update_state') ? 'pyrofork' : 'pyrogram';
}

