import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBackup } from '../../electron/core/backup/create.js';
import { restore } from '../../electron/core/backup/restore.js';
import { tempDir } from '../helpers/format-io.js';

const PY = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./telethon_writer.py', import.meta.url));
const PASS = 'interop';
const dir = tempDir('sd-backup-telethon-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Restored {
  dc: number;
  server: string;
  port: number;
  authKeyOk: boolean;
  pts: number | null;
  seq: number | null;
  entities: number;
  minId: number | null;
  maxId: number | null;
  integrity: string;
}

describe('backup of a session Telethon is writing', () => {
  it('takes consistent snapshots without Telethon ever hitting "database is locked"', async () => {
    const session = join(dir, 'bot.session');
    const writer = spawn(PY, [SCRIPT, 'write', session, '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    writer.stdout.on('data', (d: Buffer) => (out += d.toString()));
    writer.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((res) => writer.on('close', res));
    for (let i = 0; i < 200 && !out.includes('ready'); i++) await sleep(25);
    expect({ out, err }).toMatchObject({ out: expect.stringContaining('ready') });

    const archives: string[] = [];
    const captured = new Map<string, number>();
    const until = Date.now() + 2500;
    while (Date.now() < until) {
      const file = join(dir, `b${archives.length}.tar.age`);
      const how = (await createBackup([session], file, PASS, { workFactor: 10 })).manifest.sessions[0]!.files[0]!.captured;
      captured.set(how, (captured.get(how) ?? 0) + 1);
      archives.push(file);
      await sleep(150);
    }
    // Telethon writes in rollback-journal mode, a -journal beside the file most of the time: those
    // backups are snapshots; byte copies taken between its transactions are checked the same way.
    expect(captured.get('sqlite-backup')).toBeGreaterThan(0);
    expect({ code: await exited, err }).toMatchObject({ code: 0 });
    const summary = JSON.parse(out.trim().split('\n').at(-1)!) as { rounds: number; errors: string[] };
    expect(summary.errors).toEqual([]);
    expect(summary.rounds).toBeGreaterThan(50);

    const restored: string[] = [];
    for (const [i, file] of archives.entries()) {
      const dest = join(dir, `r${i}`);
      await restore(file, PASS, dest, { onConflict: 'skip' });
      restored.push(join(dest, 'bot.session'));
    }
    const read = spawnSync(PY, [SCRIPT, 'read', ...restored], { encoding: 'utf8' });
    expect({ status: read.status, err: read.stderr }).toMatchObject({ status: 0 });
    const states = JSON.parse(read.stdout) as Restored[];
    expect(states).toHaveLength(archives.length);
    for (const s of states) {
      expect(s).toMatchObject({ dc: 2, server: '149.154.167.51', port: 443, authKeyOk: true, integrity: 'ok' });
      // One save() stores user n and pts n together: a torn copy would break this.
      const pts = s.pts ?? 0;
      expect(s.entities).toBe(pts);
      expect(s.seq).toBe(s.pts);
      expect([s.minId, s.maxId]).toEqual(pts > 0 ? [1001, 1000 + pts] : [null, null]);
      expect(pts).toBeLessThanOrEqual(summary.rounds);
    }
    // Snapshots were taken at different moments of the writing, not all before or after it.
    const distinct = new Set(states.map((s) => s.pts));
    expect(distinct.size).toBeGreaterThan(2);
  });

  it('copies a file Telethon has closed byte for byte: the SHA-256 is sha256sum\'s, the restore the same bytes', async () => {
    const session = join(dir, 'closed.session');
    const writer = spawnSync(PY, [SCRIPT, 'write', session, '0.2'], { encoding: 'utf8' });
    expect({ status: writer.status, err: writer.stderr }).toMatchObject({ status: 0 });
    const original = readFileSync(session);
    const file = join(dir, 'closed.tar.age');
    const r = await createBackup([session], file, PASS, { workFactor: 10 });
    expect(r.manifest.sessions[0]!.files[0]).toMatchObject({
      captured: 'copy',
      size: original.length,
      sha256: createHash('sha256').update(original).digest('hex'),
    });
    const dest = join(dir, 'closed-restored');
    await restore(file, PASS, dest, { onConflict: 'skip' });
    expect(readFileSync(join(dest, 'closed.session')).equals(original)).toBe(true);
    const read = spawnSync(PY, [SCRIPT, 'read', join(dest, 'closed.session')], { encoding: 'utf8' });
    expect(JSON.parse(read.stdout)).toEqual([expect.objectContaining({ authKeyOk: true, integrity: 'ok' })]);
  });
});
