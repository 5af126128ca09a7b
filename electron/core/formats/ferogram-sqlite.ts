/**
 * ferogram's SQLite session file (`sqlite-session` feature, spec §1.4) as a format: detected
 * by its tables and columns (older files lack the newer peer columns and min_peers), read
 * read-only WITHOUT migrating, written into an empty database with the current schema.
 * The SQL and row mapping are in ferogram-sql.ts.
 */
import { SessionError } from '../errors.js';
import {
  CURRENT_TABLES,
  FEROGRAM_BASE_TABLES,
  FEROGRAM_SCHEMA,
  peerGroupsSql,
  peerKindOfGroup,
  readSync,
  runSync,
  saveStatements,
} from './ferogram-sql.js';
import { hasColumns, type SqliteSchema } from '../sqlite/open.js';
import { auditSchema } from '../sqlite/audit.js';
import { ferogramCapabilities } from './ferogram-binary.js';
import type { SqliteFormat } from './types.js';

function matches(schema: SqliteSchema): boolean {
  return Object.entries(FEROGRAM_BASE_TABLES).every(([t, cols]) => hasColumns(schema, t, cols));
}

/** ferogram creates only these tables (and their primary-key indexes). */
const EXPECTED = { library: 'ferogram', tables: Object.fromEntries(CURRENT_TABLES) };


export const ferogramSqlite: SqliteFormat = {
  id: 'ferogram-sqlite',
  label: 'ferogram SQLite session',
  library: 'ferogram (Rust): SqliteBackend / LibSqlBackend',
  medium: 'sqlite',
  capabilities: ferogramCapabilities,
  matches,
  read(db, schema, opts = {}) {
    const session = readSync(db, schema.tables, opts.skipPeers);
    if (!session) throw new SessionError('not-found', 'the ferogram SQLite file holds no session (its meta table is empty)');
    const missing = ['is_chat', 'channel_kind', 'is_community'].filter((c) => !hasColumns(schema, 'peers', [c]));
    const version = missing.length > 0 || !schema.tables.has('min_peers') ? 'older schema' : 'current schema';
    return { format: 'ferogram-sqlite', formatVersion: version, session, warnings: auditSchema(schema, EXPECTED) };
  },
  peerGroups: { sql: (schema) => peerGroupsSql(schema.tables), kindOf: peerKindOfGroup },
  write(db, session) {
    // No WAL pragma here: the caller renames the finished file into place, and a WAL side
    // file would not follow it. ferogram switches the file to WAL itself when it opens it.
    db.transaction(() => {
      for (const sql of FEROGRAM_SCHEMA) db.exec(sql);
      runSync(db, saveStatements(session));
    }).immediate();
  },
};
