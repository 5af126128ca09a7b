/**
 * A Telethon session with n entities in Telethon's exact schema (written by our Telethon
 * writer, which uses Telethon's CREATE TABLE text), the entities added by one recursive-CTE
 * INSERT so a million rows take about a second. Mix: 80 % users (half with a username, a
 * third with a phone), 5 % basic chats, 15 % channels; every entity has a name.
 */
import { randomBytes } from 'node:crypto';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { openDatabase } from '../../electron/core/sqlite/open.js';

export function makeBigTelethon(path: string, n: number): void {
  const s = emptySession();
  const dc = makeDc({ id: 2, address: '149.154.167.51', port: 443 });
  dc.authKey = new Uint8Array(randomBytes(256));
  s.homeDc = 2;
  s.dcs = [dc];
  s.user = { id: 777000n };
  const db = openDatabase(path);
  try {
    telethonSqlite.write(db, s);
    db.exec(`
      WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${Math.floor(n)})
      INSERT INTO entities (id, hash, username, phone, name, date)
      SELECT
        CASE WHEN i % 20 < 16 THEN 100000 + i * 7
             WHEN i % 20 = 16 THEN -(1000 + i)
             ELSE -(1000000000000 + 1000000 + i * 3) END,
        (i * 2654435761) % 9223372036854775807 - 4611686018427387904,
        CASE WHEN i % 20 < 16 AND i % 2 = 0 THEN 'user' || i
             WHEN i % 20 > 16 THEN 'chan' || i ELSE NULL END,
        CASE WHEN i % 20 < 16 AND i % 3 = 0 THEN 79000000000 + i ELSE NULL END,
        'Name ' || i,
        1700000000 + i
      FROM seq`);
  } finally {
    db.close();
  }
}
