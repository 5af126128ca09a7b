/**
 * A Pyrogram-family session with n peers in the library's own schema (written by our writer),
 * the peers added by one recursive-CTE INSERT. Mix as telethon-big.ts (80 % users, 5 % basic
 * groups, 15 % channels and supergroups); Kurigram and Pyrofork files also get a second
 * username for one user in ten, in their usernames table.
 */
import { randomBytes } from 'node:crypto';
import { kurigramSqlite } from '../../electron/core/formats/pyrogram-sqlite.js';
import type { SqliteFormat } from '../../electron/core/formats/types.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { openDatabase } from '../../electron/core/sqlite/open.js';

export function makeBigPyrogram(path: string, format: SqliteFormat, n: number): void {
  const s = emptySession();
  s.homeDc = 2;
  s.dcs = [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: new Uint8Array(randomBytes(256)) })];
  s.user = { id: 777000n, isBot: false };
  s.apiId = 6;
  const db = openDatabase(path);
  try {
    format.write(db, s);
    const own = (db.prepare("SELECT name FROM pragma_table_info('peers')").pluck().all() as string[]).includes('username');
    db.exec(`
      WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${Math.floor(n)})
      INSERT INTO peers (id, access_hash, type, ${own ? 'username, ' : ''}phone_number, last_update_on)
      SELECT
        CASE WHEN i % 20 < 16 THEN 100000 + i * 7 WHEN i % 20 = 16 THEN -(1000 + i) ELSE -(1000000000000 + 1000000 + i * 3) END,
        (i * 2654435761) % 9223372036854775807 - 4611686018427387904,
        CASE WHEN i % 20 < 15 THEN 'user' WHEN i % 20 = 15 THEN 'bot' WHEN i % 20 = 16 THEN 'group' WHEN i % 20 = 17 THEN 'channel' ELSE 'supergroup' END,
        ${own ? "CASE WHEN i % 20 < 16 AND i % 2 = 0 THEN 'user' || i ELSE NULL END, " : ''}
        CASE WHEN i % 20 < 16 AND i % 3 = 0 THEN '79' || (i + 100000000) ELSE NULL END,
        1700000000 + i
      FROM seq`);
    if (format.peerTable?.usernames) {
      const [peer, name] = format === kurigramSqlite ? ['id', 'username'] : ['peer_id', 'id'];
      db.exec(`
        WITH RECURSIVE seq(i) AS (SELECT 10 UNION ALL SELECT i + 10 FROM seq WHERE i + 10 <= ${Math.floor(n)})
        INSERT INTO usernames (${peer}, ${name}) SELECT 100000 + i * 7, 'also' || i FROM seq WHERE i % 20 < 16`);
    }
  } finally {
    db.close();
  }
}
