/**
 * The app's side of shared stores, through the contract's handlers (as the UI calls them), on
 * a private PostgreSQL server: adding a store (its password kept out of library.json), its
 * sessions in the library grouped by account, one opened, exported and converted out, and a
 * file converted into it; a session replaced or deleted in it after an automatic backup.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../shared/contract.js';
import type { LibraryEntry } from '../../shared/dto.js';
import { readInput } from '../../electron/core/formats/detect.js';
import { formatById } from '../../electron/core/formats/registry.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { authKeyId } from '../../electron/core/model/fingerprint.js';
import { openStore } from '../../electron/core/store/open-store.js';
import { verify } from '../../electron/core/backup/read.js';
import { createServices, type Services } from '../../electron/services/services.js';
import { dispatch } from '../../electron/services/handlers.js';
import { tempDir } from '../helpers/format-io.js';
import { fakeKey, oneDcSession, peerOf } from '../helpers/sessions.js';
import { SERVER_PASSWORD, startPostgres, type PgServer } from '../helpers/servers.js';

let server: PgServer;
let services: Services;
const dir = tempDir('sd-store-services-');
const dataDir = join(dir, 'data');
const events: JobEvent[] = [];

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const r = await dispatch(services.handlers, channel, payload);
  if (!r.ok) throw new Error(r.error);
  return r.data as T;
}
const fails = async (channel: string, payload: unknown) => {
  const r = await dispatch(services.handlers, channel, payload);
  if (r.ok) throw new Error(`${channel} did not fail`);
  return r.error;
};
async function jobEnd(jobId: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (events.some((x) => x.jobId === jobId && x.state !== 'running')) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`job ${jobId} did not end`);
}

beforeAll(async () => {
  server = await startPostgres();
  server.psql('CREATE DATABASE fleet');
  const store = await openStore(server.url('fleet'), { create: 'mtcute-postgres' });
  for (const [id, seed, user] of [['bot-a', 1, 101n], ['bot-b', 2, 101n], ['other', 3, 202n]] as const) {
    const s = oneDcSession(seed, user);
    s.user!.isBot = false;
    s.peers = [peerOf('user', seed)];
    await store.save(id, s);
  }
  await store.close();
  services = createServices({ mode: 'web', appDataDir: dataDir, version: '0', emit: (name, payload) => name === 'job' && events.push(payload as JobEvent), watchFolders: false, backupWorkFactor: 10 });
}, 60_000);
afterAll(async () => {
  await services?.dispose();
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const noPassword = () => server.url('fleet').replace(`:${encodeURIComponent(SERVER_PASSWORD)}@`, '@');

describe('a store in the library', () => {
  it('is refused with one line when it cannot be opened, and nothing is added', async () => {
    const saved = process.env.PGPASSWORD;
    delete process.env.PGPASSWORD;
    try {
      expect(await fails('library.addStore', { url: noPassword() })).toMatch(/the server wants a password/);
      expect(await fails('library.addStore', { url: noPassword(), password: 'wrong' })).toMatch(/refused the user name or password/);
    } finally {
      if (saved !== undefined) process.env.PGPASSWORD = saved;
    }
    expect(await fails('library.addStore', { url: server.url('postgres') })).toMatch(/no session store's tables here/);
    expect((await call<{ roots: unknown[] }>('library.list', {})).roots).toEqual([]);
  });

  it('lists its sessions grouped by account, the password kept out of the library file', async () => {
    const added = await call<{ store: string; format: string; sessions: number; jobId: string }>('library.addStore', { url: noPassword(), password: SERVER_PASSWORD });
    expect(added).toMatchObject({ format: 'mtcute-postgres', sessions: 3 });
    expect(added.store).not.toContain(SERVER_PASSWORD);
    await jobEnd(added.jobId);
    const list = await call<{ roots: { path: string; kind: string }[]; entries: LibraryEntry[] }>('library.list', {});
    expect(list.roots).toEqual([{ path: added.store, kind: 'store' }]);
    const ok = list.entries.filter((e) => e.status === 'ok');
    expect(ok.map((e) => [e.name, e.account?.userId, e.format])).toEqual([
      ['bot-a', '101', 'mtcute-postgres'],
      ['bot-b', '101', 'mtcute-postgres'],
      ['other', '202', 'mtcute-postgres'],
    ]);
    for (const f of readdirSync(dataDir)) expect(readFileSync(join(dataDir, f)).includes(SERVER_PASSWORD)).toBe(false);
  });

  it('opens a session (DCs, counters, peers paged), exports it and converts it to a file', async () => {
    const { entries } = await call<{ entries: LibraryEntry[] }>('library.list', {});
    const ref = entries.find((e) => e.name === 'bot-a')!.path;
    const opened = await call<{ summary: { user: { id: string }; dcs: { authKeyId: string }[]; peers: { total: number } } }>('session.open', { ref });
    expect(opened.summary.user.id).toBe('101');
    expect(opened.summary.dcs[0]!.authKeyId).toBe(authKeyId(fakeKey(1)));
    expect((await call<{ total: number }>('session.peers', { ref, start: 0, limit: 100 })).total).toBe(1);
    const prepared = await call<{ handle: string }>('export.prepare', { ref, to: 'telethon-string' });
    const { text } = await call<{ text: string }>('export.reveal', { handle: prepared.handle });
    expect(authKeyId(readInput(text).session.dcs[0]!.authKey)).toBe(authKeyId(fakeKey(1)));
    const out = join(dir, 'bot-a.session');
    await call('convert.write', { ref, to: 'telethon', out });
    expect(readInput(out).session.user?.id).toBe(101n);
  });

  it('takes a file converted into it under a session id, suggested from the file name', async () => {
    const file = join(dir, 'newbot.session');
    const s = oneDcSession(9, 303n);
    writeOutput(formatById('telethon')!, s, file);
    await call('library.add', { paths: [file] });
    const preview = await call<{ suggestedPath: string }>('convert.preview', { ref: file, to: 'mtcute-postgres', given: { isBot: true } });
    expect(preview.suggestedPath).toMatch(/fleet#newbot$/);
    const written = await call<{ path: string }>('convert.write', { ref: file, to: 'mtcute-postgres', given: { isBot: true }, out: preview.suggestedPath });
    expect(written.path).toBe(preview.suggestedPath);
    expect(await fails('convert.write', { ref: file, to: 'mtcute-postgres', given: { isBot: true }, out: preview.suggestedPath })).toMatch(/exists already/);
    const store = await openStore(server.url('fleet'));
    expect((await store.load('newbot')).session.user).toEqual({ id: 303n, isBot: true });
    await store.close();
  });
});

describe('a store in a backup made by the app', () => {
  it('takes the store’s sessions out read-only, as files of their library, with their labels', async () => {
    const { entries } = await call<{ entries: LibraryEntry[] }>('library.list', {});
    const inStore = entries.filter((e) => e.format === 'mtcute-postgres');
    await call('labels.set', { path: inStore[0]!.path, labels: ['fleet'], note: null });
    const out = join(dir, 'app.tar.age');
    const made = await call<{ sessions: unknown[] }>('backup.create', { jobId: 'store-backup-1', paths: inStore.map((e) => e.path), out, passphrase: 'a long enough passphrase' });
    expect(made.sessions).toHaveLength(inStore.length);
    const r = await verify(out, 'a long enough passphrase');
    expect(r.ok).toBe(true);
    const sessions = r.manifest!.sessions;
    expect(sessions.map((s) => [s.name, s.format, s.store?.id, s.store?.format])).toEqual(inStore.map((e) => [`${e.name}.session`, 'mtcute', e.name, 'mtcute-postgres']));
    expect(sessions[0]!.originalPath).toBe(inStore[0]!.path);
    expect(JSON.stringify(sessions.map((s) => s.originalPath))).not.toContain(SERVER_PASSWORD);
    expect(r.manifest!.labels?.[0]?.labels).toEqual(['fleet']);
  });
});

describe('a session deleted from its store in the app', () => {
  it('without the automatic-backup passphrase is refused, and the session stays', async () => {
    const { entries } = await call<{ entries: LibraryEntry[] }>('library.list', {});
    const ref = entries.find((e) => e.name === 'other')!.path;
    expect(await fails('store.delete', { ref })).toMatch(/automatic-backup passphrase/);
    const store = await openStore(server.url('fleet'));
    expect(await store.listIds()).toContain('other');
    await store.close();
  });

  it('is backed up first, encrypted, then gone from the store and the library', async () => {
    await call('autoBackup.setPassphrase', { passphrase: 'correct horse battery' });
    const { entries } = await call<{ entries: LibraryEntry[] }>('library.list', {});
    const ref = entries.find((e) => e.name === 'other')!.path;
    const { backup } = await call<{ backup: string }>('store.delete', { ref });
    const r = await verify(backup, 'correct horse battery');
    expect(r.ok).toBe(true);
    expect(r.manifest!.sessions.map((s) => [s.store?.id, s.format])).toEqual([['other', 'mtcute']]);
    const store = await openStore(server.url('fleet'));
    expect((await store.listIds()).sort()).toEqual(['bot-a', 'bot-b', 'newbot']);
    await store.close();
    const after = await call<{ entries: LibraryEntry[] }>('library.list', {});
    expect(after.entries.map((e) => e.name)).not.toContain('other');
    expect(await fails('store.delete', { ref })).toMatch(/other/);
    expect(await fails('store.delete', { ref: join(dir, 'bot-a.session') })).toMatch(/not a session in a store/);
  });

  it('is replaced on request (force) after the same automatic backup of the one before', async () => {
    const newer = join(dir, 'newer.session');
    writeOutput(formatById('telethon')!, oneDcSession(10, 304n), newer);
    const target = (await call<{ suggestedPath: string }>('convert.preview', { ref: join(dir, 'newbot.session'), to: 'mtcute-postgres', given: { isBot: true } })).suggestedPath;
    const written = await call<{ path: string; backup: string | null }>('convert.write', { ref: newer, to: 'mtcute-postgres', given: { isBot: true }, out: target, force: true });
    expect(written.path).toBe(target);
    const r = await verify(written.backup!, 'correct horse battery');
    expect(r.manifest!.sessions.map((s) => s.store?.id)).toEqual(['newbot']);
    const store = await openStore(server.url('fleet'));
    expect((await store.load('newbot')).session.user).toEqual({ id: 304n, isBot: true });
    await store.close();
    const fresh = await call<{ path: string; backup: string | null }>('convert.write', { ref: newer, to: 'mtcute-postgres', given: { isBot: true }, out: target.replace(/#newbot$/, '#newest'), force: true });
    expect(fresh.backup).toBeNull();
  });
});
