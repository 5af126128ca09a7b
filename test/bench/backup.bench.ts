/**
 * Bench scenario: back up and verify N generated session files (nine in ten small binary files,
 * one in ten SQLite databases), with age's default scrypt cost. Returns wall-clock timings.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createBackup } from '../../electron/core/backup/create.js';
import { verify } from '../../electron/core/backup/read.js';

export interface BackupBench {
  n: number;
  archiveBytes: number;
  backupMs: number;
  verifyMs: number;
}

export async function benchBackup(n: number): Promise<BackupBench> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-bench-backup-'));
  try {
    const paths: string[] = [];
    for (let i = 0; i < n; i++) {
      const path = join(dir, `s${i}.session`);
      if (i % 10 === 9) makeSqlite(path);
      else writeFileSync(path, randomBytes(400 + (i % 200)));
      paths.push(path);
    }
    const archive = join(dir, 'bench.tar.age');
    let t = performance.now();
    const made = await createBackup(paths, archive, 'bench passphrase');
    const backupMs = performance.now() - t;
    t = performance.now();
    const report = await verify(archive, 'bench passphrase');
    const verifyMs = performance.now() - t;
    if (!report.ok || report.files !== n) throw new Error(`bench backup did not verify: ${report.problem?.message}`);
    return { n, archiveBytes: made.bytes, backupMs, verifyMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function makeSqlite(path: string): void {
  const db = new Database(path);
  try {
    db.exec('CREATE TABLE entities (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, username TEXT)');
    const insert = db.prepare('INSERT INTO entities VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 200; i++) insert.run(i, i * 7919, `user${i}`);
    })();
  } finally {
    db.close();
  }
}
