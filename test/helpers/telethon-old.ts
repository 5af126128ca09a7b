/**
 * Telethon 1.x session files as older releases wrote them (schema versions 1-7, from
 * sessions/sqlite.py and its migration history; early-2018 files used WITHOUT ROWID), with
 * the same small content in each, for the unit tests and for Telethon's own migration.
 */
import Database from 'better-sqlite3';

/** A deterministic, non-secret 256-byte test key. */
export const oldFileKey = (seed: number): Uint8Array => Uint8Array.from({ length: 256 }, (_, i) => (i * 7 + seed) & 0xff);
const key = oldFileKey;

/** Telethon's schema as it was at each version (sessions/sqlite.py and its migrations). */
export function oldSchema(version: number, withoutRowid: boolean): string[] {
  const wr = withoutRowid ? ' without rowid' : '';
  const sessions = `create table sessions (dc_id integer primary key, server_address text, port integer, auth_key blob${version >= 5 ? ', takeout_id integer' : ''})${wr}`;
  const entities = `create table entities (id integer primary key, hash integer not null, username text, phone integer, name text${version >= 7 ? ', date integer' : ''})${wr}`;
  const out = ['create table version (version integer primary key)', sessions, entities];
  if (version === 2) {
    out.push(`create table sent_files (md5_digest blob, file_size integer, id integer, hash integer, primary key(md5_digest, file_size))${wr}`);
  } else if (version >= 3) {
    out.push('create table sent_files (md5_digest blob, file_size integer, type integer, id integer, hash integer, primary key(md5_digest, file_size, type))');
  }
  if (version >= 4) out.push('create table update_state (id integer primary key, pts integer, qts integer, date integer, seq integer)');
  return out;
}

export function buildOldFile(path: string, version: number, withoutRowid = false): void {
  const db = new Database(path);
  for (const sql of oldSchema(version, withoutRowid)) db.exec(sql);
  db.prepare('insert into version values (?)').run(version);
  const cols = version >= 5 ? '(dc_id, server_address, port, auth_key, takeout_id)' : '(dc_id, server_address, port, auth_key)';
  const vals = version >= 5 ? [4, '149.154.167.91', 443, Buffer.from(key(9)), 77] : [4, '149.154.167.91', 443, Buffer.from(key(9))];
  db.prepare(`insert into sessions ${cols} values (${vals.map(() => '?').join(',')})`).run(...vals);
  const ins = db.prepare('insert into entities (id, hash, username, phone, name) values (?,?,?,?,?)');
  ins.run(123_456n, -42n, 'olduser', 15_551_234_567n, 'Old User');
  ins.run(-1_000_000_000_777n, 4242n, 'oldchannel', null, 'Old Channel');
  ins.run(-555n, 0n, null, null, 'Old Chat');
  if (version >= 4) {
    // Python's datetime.timestamp() is a float: a fractional date stays REAL in an integer column.
    db.prepare('insert into update_state values (?,?,?,?,?)').run(0n, 11, 12, 1_600_000_000.75, 13);
    db.prepare('insert into update_state values (?,?,?,?,?)').run(777n, 21, 0, 0, 0);
  }
  db.close();
}

