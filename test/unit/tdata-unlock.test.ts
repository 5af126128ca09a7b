/**
 * A tdata behind a local passcode in the app: listed as locked (never cached on disk, not even
 * who its account is), unlocked by `tdata.unlock` for this process only (a wrong passcode
 * changes nothing), then read by the library, the session view and conversion like any other;
 * Convert writes a tdata locked with a new passcode; `sessiondeck list` reads one with the
 * passcode from the environment.
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../shared/contract.js';
import type { LibraryEntry } from '../../shared/dto.js';
import { runCli } from '../helpers/cli-run.js';
import { readTdataAccount } from '../../electron/core/formats/tdata-format.js';
import { forgetUnlocked, readTdata, unlockTdata, unlockedKey } from '../../electron/core/formats/tdata/index.js';
import { probe } from '../../electron/core/library/scan.js';
import { createServices, type Services } from '../../electron/services/services.js';
import { dispatch } from '../../electron/services/handlers.js';
import { codeOf } from '../helpers/errors.js';
import { tempDir } from '../helpers/format-io.js';
import { TDATA_FIXTURES } from '../helpers/tdata-sessions.js';

const PASSCODE = '123123';
const USER = '1787945512';
const dir = tempDir('sd-tdata-unlock-');
const lib = join(dir, 'lib');
const locked = join(lib, 'tdata');
const account = join(locked, 'D877F783D5D3EF8Cs');
const dataDir = join(dir, 'data');
let services: Services;
const events: JobEvent[] = [];

async function jobEnd(jobId: string): Promise<JobEvent> {
  for (let i = 0; i < 1000; i++) {
    const e = events.find((x) => x.jobId === jobId && x.state !== 'running');
    if (e) return e;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`job ${jobId} did not end`);
}

async function data<T>(channel: string, payload: unknown): Promise<T> {
  const r = await dispatch(services.handlers, channel, payload);
  if (!r.ok) throw new Error(r.error);
  return r.data as T;
}
const entries = async () => (await data<{ entries: LibraryEntry[] }>('library.list', {})).entries;

beforeAll(async () => {
  mkdirSync(lib, { recursive: true });
  cpSync(join(TDATA_FIXTURES, 'passcode'), locked, { recursive: true });
  cpSync(join(TDATA_FIXTURES, 'simple'), join(lib, 'open-tdata'), { recursive: true });
  services = createServices({ mode: 'web', appDataDir: dataDir, version: '0', emit: (name, payload) => name === 'job' && events.push(payload as JobEvent), watchFolders: false, backupWorkFactor: 10 });
  services.library.add([lib]);
  await services.library.scan();
});
afterAll(async () => {
  await services.dispose();
});
afterEach(() => forgetUnlocked());

describe('the keyring', () => {
  it('keeps the local key of a tdata unlocked with its passcode, for reads without one, until forgotten', () => {
    expect(codeOf(() => readTdataAccount(locked))).toBe('needs-passcode');
    expect(() => unlockTdata(locked, 'nope')).toThrow(`wrong passcode for tdata ${locked}`);
    expect(unlockedKey(locked)).toBeUndefined();
    unlockTdata(locked, PASSCODE);
    expect(readTdataAccount(account).session.user?.id).toBe(BigInt(USER));
    // The same folder by another spelling of its path.
    expect(unlockedKey(`${locked}/`)).toBe(unlockedKey(locked));
    const key = unlockedKey(locked)!;
    forgetUnlocked(locked);
    expect(key.every((b) => b === 0)).toBe(true);
    expect(codeOf(() => readTdataAccount(locked))).toBe('needs-passcode');
  });

  it('a kept key that no longer opens the tdata is not used: the tdata asks again', () => {
    const other = readTdata(join(TDATA_FIXTURES, 'simple'));
    expect(other.locked).toBe(false);
    expect(codeOf(() => readTdata(locked, { localKey: new Uint8Array(256).fill(7) }))).toBe('needs-passcode');
  });
});

describe('the library', () => {
  it('lists a tdata behind a passcode as locked, and never caches it', async () => {
    const e = (await entries()).find((x) => x.path === account)!;
    expect(e).toMatchObject({ status: 'locked', format: 'tdata', userId: null, name: 'tdata · account 1' });
    expect(e.error).toMatch(/locked with a local passcode/);
    expect(probe(account).cacheable).toBe(false);
    // The open tdata beside it reads, and is cached.
    expect((await entries()).find((x) => x.path === join(lib, 'open-tdata', 'D877F783D5D3EF8Cs'))).toMatchObject({ status: 'ok', userId: USER });
    expect(probe(join(lib, 'open-tdata', 'D877F783D5D3EF8Cs')).cacheable).toBe(true);
  });

  it('a wrong passcode is one line and changes nothing', async () => {
    const r = await dispatch(services.handlers, 'tdata.unlock', { path: account, passcode: 'nope' });
    expect(r).toMatchObject({ ok: false, error: `wrong passcode for tdata ${locked}`, code: 'bad-passcode' });
    expect((await entries()).find((x) => x.path === account)?.status).toBe('locked');
    const notTdata = await dispatch(services.handlers, 'tdata.unlock', { path: lib, passcode: 'x' });
    expect(notTdata).toMatchObject({ ok: false, error: `${lib} is not a Telegram Desktop tdata folder` });
  });

  it('unlocks: the library reads its accounts, the session view opens one, and nothing of it reaches the disk cache', async () => {
    const r = await data<{ folder: string; jobId: string | null }>('tdata.unlock', { path: account, passcode: PASSCODE });
    expect(r.folder).toBe(locked);
    expect(r.jobId).not.toBeNull();
    expect((await jobEnd(r.jobId!)).state).toBe('done');
    expect((await entries()).find((x) => x.path === account)).toMatchObject({ status: 'ok', format: 'tdata', userId: USER, homeDc: 1 });
    const opened = await data<{ summary: { user: { id: string } | null; dcs: unknown[] } }>('session.open', { ref: account });
    expect(opened.summary.user?.id).toBe(USER);
    expect(opened.summary.dcs).toHaveLength(4);
    const cache = readFileSync(join(dataDir, 'index-cache.json'), 'utf8');
    expect(cache).toContain('open-tdata');
    expect(cache).not.toContain(account);
  });

  it('is never edited in place: the app says so and leaves Edit out', async () => {
    unlockTdata(locked, PASSCODE);
    const before = readFileSync(account);
    const r = await dispatch(services.handlers, 'edit.apply', { path: account, op: { type: 'setHomeDc', dc: 2 } });
    expect(r).toMatchObject({ ok: false, error: `${account}: a Telegram Desktop tdata folder is not edited in place; convert it instead` });
    expect(readFileSync(account).equals(before)).toBe(true);
    const info = await data<{ formats: { id: string; editable: boolean }[] }>('app.info', {});
    // Store layouts are never edited through edit.apply either (a store session is replaced whole).
    expect(info.formats.filter((f) => !f.editable).map((f) => f.id)).toEqual(['tdata', 'telethon-alchemy', 'mtcute-postgres', 'telethon-redis']);
  });

  it('Convert writes a tdata locked with a new passcode, which reads only with it', async () => {
    unlockTdata(locked, PASSCODE);
    const out = join(dir, 'converted-tdata');
    await data('convert.write', { ref: account, to: 'tdata', out, passcode: 'n3w-code' });
    expect(codeOf(() => readTdata(out))).toBe('needs-passcode');
    expect(readTdata(out, { passcode: 'n3w-code' }).accounts[0]!.session.user?.id).toBe(BigInt(USER));
    const wrongTarget = await dispatch(services.handlers, 'convert.write', { ref: account, to: 'telethon', out: join(dir, 'x.session'), passcode: 'n3w-code' });
    expect(wrongTarget).toMatchObject({ ok: false, error: 'a passcode is for a Telegram Desktop tdata only' });
    expect(existsSync(join(dir, 'x.session'))).toBe(false);
  });
});

describe('sessiondeck list', () => {
  const list = (env: Record<string, string>) => runCli(['list', locked, '--json'], { env });

  it('lists a locked tdata as locked, reads it with SESSIONDECK_TDATA_PASSCODE, and says so for a wrong one', async () => {
    const bare = await list({ SESSIONDECK_TDATA_PASSCODE: '' });
    expect(JSON.parse(bare.out).entries).toMatchObject([{ path: account, status: 'locked', account: null }]);
    const read = await list({ SESSIONDECK_TDATA_PASSCODE: PASSCODE });
    expect(JSON.parse(read.out).entries).toMatchObject([{ path: account, status: 'ok', account: { userId: USER } }]);
    const wrong = await list({ SESSIONDECK_TDATA_PASSCODE: 'nope' });
    expect([wrong.code, wrong.err]).toEqual([1, `sessiondeck list: wrong passcode for tdata ${locked}`]);
  });
});
