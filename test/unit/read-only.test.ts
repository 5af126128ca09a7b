/** Reading never writes: no side files, no byte changed, a live writer's WAL honoured. */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readInput } from '../../electron/core/formats/detect.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { formatById } from '../../electron/core/formats/registry.js';
import { fullSession } from '../helpers/sessions.js';
import { tempDir } from '../helpers/format-io.js';

const dir = tempDir('sd-ro-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function walFile(name: string): string {
  const path = join(dir, name);
  writeOutput(formatById('ferogram-sqlite')!, fullSession(), path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.close();
  return path;
}

describe('reading SQLite sources', () => {
  it('a WAL-mode file with no writer gets no -wal/-shm beside it and keeps its bytes', () => {
    const path = walFile('idle.session');
    const before = readFileSync(path);
    expect(readInput(path).format).toBe('ferogram-sqlite');
    expect(readdirSync(dir).filter((f) => f.startsWith('idle'))).toEqual(['idle.session']);
    expect(readFileSync(path)).toEqual(before);
  });

  it('a live writer holding the file: its committed WAL content is read', () => {
    const path = walFile('live.session');
    const writer = new Database(path);
    try {
      writer.prepare('INSERT INTO channel_pts (channel_id, pts) VALUES (?, ?)').run(4242, 77);
      const r = readInput(path);
      expect(r.session.updates.channels.get(4242n)).toBe(77);
    } finally {
      writer.close();
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('live'))).toEqual(['live.session']);
  });
});
