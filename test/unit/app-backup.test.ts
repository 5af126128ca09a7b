/**
 * The app's backup, restore, automatic-backup, batch-convert and clean-up channels, through
 * `dispatch` exactly as the UI calls them (payload validation included), with the job events
 * they emit. scrypt's work factor is lowered so the suite stays quick.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../shared/contract.js';
import { verify } from '../../electron/core/backup/read.js';
import { autoBackupName } from '../../electron/core/backup/stamp.js';
import { ferogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { createServices, type Services } from '../../electron/services/services.js';
import { dispatch } from '../../electron/services/handlers.js';

const WORK = 10;
const PASS = 'correct horse battery';
const key = (seed: number) => Uint8Array.from({ length: 256 }, (_, i) => (i * seed + 1) % 256);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function ferogram(seed: number, userId: bigint): Uint8Array {
  return ferogramBinary.encode({
    ...emptySession(),
    homeDc: 2,
    dcs: [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: key(seed) }), makeDc({ id: 4, address: '149.154.167.91', port: 443 })],
    user: { id: userId, isBot: false },
  });
}

interface Env {
  dir: string;
  lib: string;
  data: string;
  events: JobEvent[];
  services: Services;
  call<T = unknown>(channel: string, payload: unknown): Promise<{ ok: true; data: T } | { ok: false; error: string; code: string }>;
  ok<T>(channel: string, payload: unknown): Promise<T>;
}

async function makeEnv(seal = false): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), 'deck-app-backup-'));
  const lib = join(dir, 'lib');
  mkdirSync(join(lib, 'sub'), { recursive: true });
  writeFileSync(join(lib, 'a.session'), ferogram(3, 1001n));
  writeFileSync(join(lib, 'b.session'), ferogram(5, 1002n));
  writeFileSync(join(lib, 'sub', 'c.session'), ferogram(7, 1003n));
  writeFileSync(join(lib, 'notes.txt'), 'not a session\n');
  const data = join(dir, 'data');
  const events: JobEvent[] = [];
  const services = createServices({
    mode: 'web',
    appDataDir: data,
    version: '0',
    emit: (name, payload) => name === 'job' && events.push(payload as JobEvent),
    watchFolders: false,
    backupWorkFactor: WORK,
    // A stand-in for the OS keychain: reversible, but not the plain text.
    seal: seal ? { seal: (t) => Buffer.from(t, 'utf8').reverse(), open: (b) => Buffer.from(b).reverse().toString('utf8') } : undefined,
  });
  services.library.add([lib]);
  await services.library.scan();
  const call = (channel: string, payload: unknown) => dispatch(services.handlers, channel, payload) as never;
  const ok = async <T,>(channel: string, payload: unknown): Promise<T> => {
    const r = (await call(channel, payload)) as { ok: boolean; data?: T; error?: string };
    if (!r.ok) throw new Error(`${channel}: ${r.error}`);
    return r.data as T;
  };
  return { dir, lib, data, events, services, call, ok };
}

let n = 0;
const jobId = () => `job-${++n}-0000`;

describe('backup, verify and restore from the app', () => {
  let env: Env;
  beforeAll(async () => {
    env = await makeEnv();
  });
  afterAll(() => env.services.dispose());

  it('backs up the library with progress events under the id the UI chose', async () => {
    const id = jobId();
    const out = join(env.dir, 'lib.tar.age');
    const r = await env.ok<{ file: string; sessions: { name: string; kind: string; files: number }[] }>('backup.create', { jobId: id, paths: [env.lib], out, passphrase: PASS });
    expect(r.file).toBe(out);
    expect(r.sessions).toEqual([expect.objectContaining({ name: 'lib', kind: 'folder', files: 4 })]);
    const mine = env.events.filter((e) => e.jobId === id);
    expect(mine[0]).toMatchObject({ state: 'running', done: 0 });
    expect(mine.at(-1)).toMatchObject({ state: 'done', done: 4, total: 4, message: '4 of 4 files' });
    // A session picked from the library carries the format the library found.
    const single = await env.ok<{ sessions: { format: string }[] }>('backup.create', {
      jobId: jobId(),
      paths: [join(env.lib, 'a.session')],
      out: join(env.dir, 'a.tar.age'),
      passphrase: PASS,
    });
    expect(single.sessions[0]).toMatchObject({ format: 'ferogram' });
  });

  it('refuses a short new passphrase and an existing archive, writing nothing', async () => {
    const r = await env.call('backup.create', { jobId: jobId(), paths: [env.lib], out: join(env.dir, 'x.tar.age'), passphrase: 'short' });
    expect(r).toMatchObject({ ok: false, code: 'bad-request' });
    expect(existsSync(join(env.dir, 'x.tar.age'))).toBe(false);
    const again = await env.call('backup.create', { jobId: jobId(), paths: [env.lib], out: join(env.dir, 'lib.tar.age'), passphrase: PASS });
    expect(again).toMatchObject({ ok: false, code: 'exists' });
  });

  it('cancels a running backup through job.cancel: no archive, a cancelled event', async () => {
    const id = jobId();
    const out = join(env.dir, 'cancelled.tar.age');
    const pending = env.call('backup.create', { jobId: id, paths: [env.lib], out, passphrase: PASS });
    expect(await env.call('job.cancel', { jobId: id })).toEqual({ ok: true, data: { ok: true } });
    expect(await pending).toMatchObject({ ok: false, code: 'cancelled' });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(env.dir).filter((f) => f.includes('cancelled'))).toEqual([]);
    expect(env.events.filter((e) => e.jobId === id).at(-1)?.state).toBe('cancelled');
  });

  it('verifies: the right passphrase lists the sessions, a wrong one is a clear answer', async () => {
    const good = await env.ok<{ ok: boolean; files: number; automatic: boolean; sessions: unknown[] }>('backup.verify', { jobId: jobId(), file: join(env.dir, 'lib.tar.age'), passphrase: PASS });
    expect(good).toMatchObject({ ok: true, files: 4, automatic: false, problem: null });
    const bad = await env.ok<{ ok: boolean; problem: string }>('backup.verify', { jobId: jobId(), file: join(env.dir, 'lib.tar.age'), passphrase: 'wrong passphrase' });
    expect(bad.ok).toBe(false);
    expect(bad.problem).toMatch(/passphrase/);
    expect(bad.problem).not.toContain('\n');
  });

  it('previews a restore without writing, restores byte for byte, then sees what is unchanged or in conflict', async () => {
    const dest = join(env.dir, 'restored');
    const req = { file: join(env.dir, 'lib.tar.age'), passphrase: PASS, dest, onConflict: 'keep-both' };
    const plan = await env.ok<{ items: { action: string; target: string; originalPath: string }[] }>('restore.plan', { ...req, jobId: jobId() });
    expect(plan.items).toEqual([expect.objectContaining({ action: 'create', target: join(dest, 'lib'), originalPath: env.lib })]);
    expect(existsSync(dest)).toBe(false);

    await env.ok('restore.apply', { ...req, jobId: jobId() });
    for (const f of ['a.session', 'b.session', join('sub', 'c.session'), 'notes.txt']) {
      expect({ f, same: readFileSync(join(dest, 'lib', f)).equals(readFileSync(join(env.lib, f))) }).toEqual({ f, same: true });
    }
    const again = await env.ok<{ items: { action: string }[] }>('restore.plan', { ...req, jobId: jobId() });
    expect(again.items.map((i) => i.action)).toEqual(['unchanged']);
    writeFileSync(join(dest, 'lib', 'notes.txt'), 'changed\n');
    const conflict = await env.ok<{ items: { action: string; target: string }[] }>('restore.plan', { ...req, jobId: jobId() });
    expect(conflict.items).toEqual([expect.objectContaining({ action: 'keep-both', target: join(dest, 'lib-restored-1') })]);
    const wrong = await env.call('restore.apply', { ...req, passphrase: 'not it at all', jobId: jobId() });
    expect(wrong).toMatchObject({ ok: false, code: 'bad-passphrase' });
    expect(readdirSync(dest).sort()).toEqual(['lib']);
  });
});

describe('automatic backups before edits, and retention', () => {
  let env: Env;
  beforeAll(async () => {
    env = await makeEnv(true);
  });
  afterAll(() => env.services.dispose());

  it('an edit is refused until the automatic-backup passphrase is set, and changes nothing', async () => {
    const file = join(env.lib, 'a.session');
    const before = readFileSync(file);
    const r = await env.call('edit.apply', { path: file, op: { type: 'setHomeDc', dc: 4 } });
    expect(r).toMatchObject({ ok: false, code: 'missing-field' });
    expect((r as { error: string }).error).toMatch(/passphrase/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(join(env.data, 'backups'))).toBe(false);
    expect(await env.ok('autoBackup.status', {})).toMatchObject({ passphraseSet: false, count: 0, newest: null });
  });

  it('with the passphrase set, the original is backed up (encrypted) before the edit is written', async () => {
    const file = join(env.lib, 'a.session');
    const before = readFileSync(file);
    await env.ok('autoBackup.setPassphrase', { passphrase: PASS });
    // Sealed at rest by the host's keychain: the plain passphrase is not in the file.
    const stored = readFileSync(join(env.data, 'auto-backup-passphrase'), 'utf8');
    expect(stored).not.toContain(PASS);
    expect(stored).not.toContain(Buffer.from(PASS).toString('base64'));
    const r = await env.ok<{ backup: string; summary: { homeDc: number } }>('edit.apply', { path: file, op: { type: 'setHomeDc', dc: 4 } });
    expect(r.summary.homeDc).toBe(4);
    expect(r.backup).toMatch(/[/\\]backups[/\\]auto-[\dTZ-]+\.tar\.age$/);
    const v = await verify(r.backup, PASS);
    expect(v.ok).toBe(true);
    expect(v.manifest?.automatic).toBe(true);
    expect(v.manifest?.sessions[0]?.files[0]?.sha256).toBe(sha(before));
    expect(sha(readFileSync(file))).not.toBe(sha(before));
    const status = await env.ok<{ passphraseSet: boolean; count: number; newest: string }>('autoBackup.status', {});
    expect(status).toEqual({ dir: join(env.data, 'backups'), passphraseSet: true, count: 1, newest: r.backup });
  });

  it('retention keeps the newest N and drops old ones at start and on a settings change; manual backups are never touched', async () => {
    const dir = join(env.data, 'backups');
    const now = Date.now();
    const old = [400, 200, 100, 10, 5].map((days) => autoBackupName(new Date(now - days * 86_400_000)));
    for (const name of old) writeFileSync(join(dir, name), 'x');
    writeFileSync(join(dir, 'manual-backup.tar.age'), 'mine');
    await env.ok('settings.set', { autoBackupKeepLast: 0, autoBackupMaxAgeDays: 150 });
    await env.services.start();
    const left = () => readdirSync(dir).sort();
    expect(left()).not.toContain(old[0]);
    expect(left()).not.toContain(old[1]);
    expect(left()).toContain(old[2]);
    expect(left()).toContain('manual-backup.tar.age');
    await env.ok('settings.set', { autoBackupKeepLast: 2 });
    await expect.poll(() => left().filter((f) => f.startsWith('auto-')).length).toBe(2);
    // The two kept are the newest: the edit's backup and the 5-day-old one.
    expect(left()).toContain(old[4]);
    expect(left()).toContain('manual-backup.tar.age');
    await env.services.dispose();
  });
});

describe('batch convert and clean-up', () => {
  let env: Env;
  beforeAll(async () => {
    env = await makeEnv();
  });
  afterAll(() => env.services.dispose());

  it('converts several sessions as one job; a file that cannot be converted is reported, the rest written', async () => {
    const id = jobId();
    const out = join(env.dir, 'converted');
    const paths = ['a.session', 'b.session', 'notes.txt', join('sub', 'c.session')].map((f) => join(env.lib, f));
    const r = await env.ok<{ written: { from: string; to: string }[]; failed: { path: string; error: string }[]; cancelled: boolean }>('convert.batch', {
      jobId: id,
      paths,
      to: 'telethon',
      outDir: out,
    });
    expect(r.cancelled).toBe(false);
    expect(r.written.map((w) => w.to).sort()).toEqual(['a.telethon.session', 'b.telethon.session', 'c.telethon.session'].map((f) => join(out, f)));
    expect(r.failed).toEqual([{ path: join(env.lib, 'notes.txt'), error: expect.stringMatching(/not a session/) }]);
    for (const w of r.written) expect(readFileSync(w.to).subarray(0, 15).toString()).toBe('SQLite format 3');
    const mine = env.events.filter((e) => e.jobId === id);
    // Progress is throttled (at most one event per 100 ms): the start, then the end with the last figures.
    expect(mine[0]).toMatchObject({ state: 'running', done: 0 });
    expect(mine.at(-1)).toMatchObject({ state: 'done', done: 4, total: 4 });
    // The same names again get a numbered suffix, never an overwrite.
    const second = await env.ok<{ written: { to: string }[] }>('convert.batch', { jobId: jobId(), paths: paths.slice(0, 1), to: 'telethon', outDir: out });
    expect(second.written[0]?.to).toBe(join(out, 'a.telethon-2.session'));
  });

  it('a cancelled batch stops between files and says so', async () => {
    const many = join(env.dir, 'many');
    mkdirSync(many);
    const paths = Array.from({ length: 40 }, (_, i) => {
      const p = join(many, `s${i}.session`);
      writeFileSync(p, ferogram(i + 3, BigInt(2000 + i)));
      return p;
    });
    const id = jobId();
    const pending = env.ok<{ written: unknown[]; cancelled: boolean }>('convert.batch', { jobId: id, paths, to: 'telethon', outDir: join(env.dir, 'many-out') });
    await env.ok('job.cancel', { jobId: id });
    const r = await pending;
    expect(r.cancelled).toBe(true);
    expect(r.written.length).toBeLessThan(40);
    expect(env.events.filter((e) => e.jobId === id).at(-1)?.state).toBe('cancelled');
  });

  it('archives sessions (with their SQLite side files) into a folder: moved, never deleted or overwritten', async () => {
    const archive = join(env.dir, 'archive');
    mkdirSync(archive);
    writeFileSync(join(archive, 'b.session'), 'already here');
    writeFileSync(join(env.lib, 'b.session-wal'), 'side file');
    const bytes = readFileSync(join(env.lib, 'b.session'));
    const r = await env.ok<{ moved: { from: string; to: string }[] }>('file.archive', { paths: [join(env.lib, 'b.session')], dest: archive });
    expect(r.moved).toEqual([{ from: join(env.lib, 'b.session'), to: join(archive, 'b-2.session') }]);
    expect(readFileSync(join(archive, 'b-2.session')).equals(bytes)).toBe(true);
    expect(readFileSync(join(archive, 'b-2.session-wal'), 'utf8')).toBe('side file');
    expect(readFileSync(join(archive, 'b.session'), 'utf8')).toBe('already here');
    expect(existsSync(join(env.lib, 'b.session'))).toBe(false);
    expect(existsSync(join(env.lib, 'b.session-wal'))).toBe(false);
    const list = await env.ok<{ entries: { path: string }[] }>('library.list', {});
    expect(list.entries.map((e) => e.path)).not.toContain(join(env.lib, 'b.session'));
  });

  it('refuses an archive folder inside the library and files outside it', async () => {
    const inside = await env.call('file.archive', { paths: [join(env.lib, 'a.session')], dest: join(env.lib, 'old') });
    expect(inside).toMatchObject({ ok: false, code: 'usage' });
    expect(existsSync(join(env.lib, 'a.session'))).toBe(true);
    const outside = await env.call('file.archive', { paths: [join(env.dir, 'lib.tar.age')], dest: join(env.dir, 'archive') });
    expect(outside).toMatchObject({ ok: false, code: 'usage' });
  });

  it('the web mode’s delete moves the file into the app’s trash folder', async () => {
    const r = await env.ok<{ where: string }>('file.trash', { path: join(env.lib, 'sub', 'c.session') });
    expect(r.where.startsWith(join(env.data, 'trash'))).toBe(true);
    expect(existsSync(join(r.where, 'c.session'))).toBe(true);
    expect(existsSync(join(env.lib, 'sub', 'c.session'))).toBe(false);
  });
});
