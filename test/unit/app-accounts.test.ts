/**
 * The account channels as the UI calls them (through `dispatch`, payload validation included):
 * labels, the sidecar's 2FA Reveal, conversion carrying the sidecar, and trash and archive
 * moving a sidecar with its session.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryEntry } from '../../shared/dto.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { ferogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { createServices, type Services } from '../../electron/services/services.js';
import { dispatch } from '../../electron/services/handlers.js';
import { fakeKey, oneDcSession } from '../helpers/sessions.js';

const TWO_FA = 'app-2fa-secret-value';
const dir = mkdtempSync(join(tmpdir(), 'deck-app-accounts-'));
const lib = join(dir, 'lib');
let services: Services;

const call = (channel: string, payload: unknown) => dispatch(services.handlers, channel, payload);
async function data<T>(channel: string, payload: unknown): Promise<T> {
  const r = await call(channel, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.error}`);
  return r.data as T;
}
const entries = async () => (await data<{ entries: LibraryEntry[] }>('library.list', {})).entries;

function telethonFile(name: string, seed: number, userId?: bigint): string {
  const p = join(lib, name);
  writeOutput(telethonSqlite, oneDcSession(seed, userId), p);
  return p;
}

beforeAll(async () => {
  mkdirSync(lib, { recursive: true });
  telethonFile('acct.session', 21);
  writeFileSync(join(lib, 'acct.json'), `{"session_file":"acct","user_id":777000111,"app_id":2040,"app_hash":"0123456789abcdef0123456789abcdef","twoFA":"${TWO_FA}","is_bot":false}`);
  telethonFile('plain.session', 22, 5n);
  services = createServices({ mode: 'web', appDataDir: join(dir, 'data'), version: '0', emit: () => undefined, watchFolders: false, backupWorkFactor: 10 });
  services.library.add([lib]);
  await services.library.scan();
});
afterAll(async () => {
  await services.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('labels from the app', () => {
  it('sets labels and a note on a session, shown in the library list, and clears them', async () => {
    const path = join(lib, 'plain.session');
    expect(await data('labels.set', { path, labels: ['vip', 'farm'], note: 'spare' })).toEqual({ labels: ['farm', 'vip'], note: 'spare' });
    expect((await entries()).find((e) => e.path === path)).toMatchObject({ labels: ['farm', 'vip'], note: 'spare' });
    expect(await data('labels.set', { path, labels: [], note: null })).toEqual({ labels: [], note: null });
  });

  it('refuses a bad label in one line and changes nothing', async () => {
    const path = join(lib, 'plain.session');
    await data('labels.set', { path, labels: ['keep'], note: null });
    const r = await call('labels.set', { path, labels: ['ok', '   '], note: null });
    expect(r).toMatchObject({ ok: false, error: 'a label cannot be empty' });
    expect((await entries()).find((e) => e.path === path)?.labels).toEqual(['keep']);
  });
});

describe('the sidecar in the app', () => {
  it('reveals the 2FA password only on request, and nothing else carries it', async () => {
    const list = await entries();
    expect(JSON.stringify(list)).not.toContain(TWO_FA);
    expect(list.find((e) => e.name === 'acct.session')?.sidecar).toMatchObject({ has2fa: true, apiHash: '0123••••••••ef' });
    expect(await data('sidecar.reveal2fa', { path: join(lib, 'acct.session') })).toEqual({ text: TWO_FA });
    expect(await data('sidecar.reveal2fa', { path: join(lib, 'acct.json') })).toEqual({ text: TWO_FA });
    expect(await call('sidecar.reveal2fa', { path: join(lib, 'plain.session') })).toMatchObject({ ok: false, error: expect.stringMatching(/has no sidecar/) });
  });

  it('convert previews name the sidecar, fill what the target needs from it, and write a copy', async () => {
    const ref = join(lib, 'acct.session');
    const preview = await data<{ missing: string[]; given: string[]; sidecar: string | null }>('convert.preview', { ref, to: 'pyrogram' });
    expect(preview).toMatchObject({ missing: [], sidecar: 'acct.json' });
    expect(preview.given).toEqual(expect.arrayContaining(['user id 777000111 from acct.json', 'account is a user from acct.json', 'api_id 2040 from acct.json']));
    const out = join(dir, 'out', 'acct.pyrogram.session');
    mkdirSync(join(dir, 'out'));
    const w = await data<{ sidecar: string | null }>('convert.write', { ref, to: 'pyrogram', out });
    expect(w.sidecar).toBe(join(dir, 'out', 'acct.pyrogram.json'));
    expect(JSON.parse(readFileSync(w.sidecar!, 'utf8')).session_file).toBe('acct.pyrogram');
    const bare = await data<{ sidecar: string | null }>('convert.write', { ref, to: 'telethon', out: join(dir, 'out', 'bare.session'), sidecar: false });
    expect(bare.sidecar).toBeNull();
    expect(existsSync(join(dir, 'out', 'bare.json'))).toBe(false);
  });

  it('asks for the bot flag where the target keeps it with the user id the sidecar gives', async () => {
    const ref = join(lib, 'acct.session');
    writeFileSync(join(lib, 'acct.json'), readFileSync(join(lib, 'acct.json'), 'utf8').replace(',"is_bot":false', ''));
    expect(await data('convert.preview', { ref, to: 'mtcute' })).toMatchObject({ missing: ['isBot'] });
    expect(await data('convert.preview', { ref, to: 'mtcute', given: { isBot: false } })).toMatchObject({ missing: [] });
    expect(await call('convert.write', { ref, to: 'mtcute', out: join(dir, 'no-flag.session') })).toMatchObject({ ok: false, error: expect.stringMatching(/^mtcute needs whether the account is a bot/) });
    writeFileSync(join(lib, 'acct.json'), readFileSync(join(lib, 'acct.json'), 'utf8').replace('}', ',"is_bot":false}'));
  });

  it('batch conversion carries each sidecar', async () => {
    const outDir = join(dir, 'batch');
    const r = await data<{ written: { from: string; to: string }[]; failed: unknown[] }>('convert.batch', { jobId: 'batch-0001', paths: [join(lib, 'acct.session')], to: 'mtcute', outDir });
    expect(r.failed).toEqual([]);
    expect(existsSync(join(outDir, 'acct.mtcute.json'))).toBe(true);
  });

  it('archive and trash move the sidecar with its session, renamed with it when the name is taken', async () => {
    const archive = join(dir, 'archive');
    mkdirSync(archive);
    writeFileSync(join(archive, 'acct.json'), 'someone else');
    const r = await data<{ moved: { from: string; to: string }[] }>('file.archive', { paths: [join(lib, 'acct.session')], dest: archive });
    expect(r.moved).toEqual([{ from: join(lib, 'acct.session'), to: join(archive, 'acct-2.session') }]);
    expect(readFileSync(join(archive, 'acct-2.json'), 'utf8')).toContain(TWO_FA);
    expect(readFileSync(join(archive, 'acct.json'), 'utf8')).toBe('someone else');
    expect(existsSync(join(lib, 'acct.json'))).toBe(false);

    telethonFile('gone.session', 23);
    writeFileSync(join(lib, 'gone.json'), '{"id": 1}');
    await services.library.scan();
    const t = await data<{ where: string }>('file.trash', { path: join(lib, 'gone.session') });
    expect(existsSync(join(t.where, 'gone.session'))).toBe(true);
    expect(existsSync(join(t.where, 'gone.json'))).toBe(true);
    expect(existsSync(join(lib, 'gone.json'))).toBe(false);
  });
});

describe('labels through an edit', () => {
  it('follow the session when a new home DC makes another key its login', async () => {
    // ferogram keeps a key per DC (Telethon only the home one).
    const path = join(lib, 'twodc.session');
    writeFileSync(path, ferogramBinary.encode({ ...emptySession(), homeDc: 2, dcs: [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: fakeKey(31) }), makeDc({ id: 4, address: '149.154.167.91', port: 443, authKey: fakeKey(32) })] }));
    await services.library.scan();
    await data('autoBackup.setPassphrase', { passphrase: 'correct horse battery' });
    await data('labels.set', { path, labels: ['moved'], note: 'edit me' });
    await data('edit.apply', { path, op: { type: 'setHomeDc', dc: 4 } });
    await services.library.scan();
    expect((await entries()).find((e) => e.path === path)).toMatchObject({ labels: ['moved'], note: 'edit me' });
  });
});

describe('labels through a backup', () => {
  it('a backup of the library folder carries the labels of the sessions in it, and restore brings them back', async () => {
    const path = join(lib, 'plain.session');
    await data('labels.set', { path, labels: ['to keep'], note: 'restored note' });
    const file = join(dir, 'labels.tar.age');
    await data('backup.create', { jobId: 'backup-labels-1', paths: [lib], out: file, passphrase: 'correct horse battery' });
    await data('labels.set', { path, labels: [], note: null });
    const dest = join(dir, 'restored');
    await data('restore.plan', { jobId: 'restore-plan-1', file, passphrase: 'correct horse battery', dest, onConflict: 'skip' });
    // A plan writes nothing, labels included.
    expect((await entries()).find((e) => e.path === path)?.labels).toEqual([]);
    await data('restore.apply', { jobId: 'restore-labels-1', file, passphrase: 'correct horse battery', dest, onConflict: 'skip' });
    expect((await entries()).find((e) => e.path === path)).toMatchObject({ labels: ['to keep'], note: 'restored note' });
  });
});

