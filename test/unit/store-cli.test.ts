/**
 * The CLI with a shared store on a private PostgreSQL server: a store URL wherever a folder
 * is (list), `<url>#<id>` wherever a session is (inspect, export, convert) and as -o of
 * convert/import with --to a store layout; delete and --force back the session up first.
 * Listing and reading never write.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTelethonString } from '../../electron/core/formats/telethon-string.js';
import { readInput } from '../../electron/core/formats/detect.js';
import { authKeyId } from '../../electron/core/model/fingerprint.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { formatById } from '../../electron/core/formats/registry.js';
import { runCli } from '../helpers/cli-run.js';
import { tempDir } from '../helpers/format-io.js';
import { fakeKey, oneDcSession, peerOf } from '../helpers/sessions.js';
import { startPostgres, type PgServer } from '../helpers/servers.js';

let server: PgServer;
let url: string;
const dir = tempDir('sd-store-cli-');

beforeAll(async () => {
  server = await startPostgres();
  server.psql('CREATE DATABASE fleet');
  url = server.url('fleet');
}, 60_000);
afterAll(() => {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const env = { SESSIONDECK_DATA_DIR: join(dir, 'data') };

describe('stores on the command line', () => {
  it('imports, converts in, lists, inspects, exports and converts out', async () => {
    const s = oneDcSession(7, 4242n);
    s.user!.isBot = false;
    s.peers = [peerOf('user', 1, { extras: true }), peerOf('channel', 2)];
    const file = join(dir, 'bot-one.session');
    writeOutput(formatById('telethon')!, s, file);
    const imported = await runCli(['import', '-', '--to', 'mtcute-postgres', '--user', '--user-id', '99', '-o', `${url}#from-string`], { stdin: encodeTelethonString(oneDcSession(8, 99n)), env });
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    const conv = await runCli(['convert', file, '--to', 'mtcute-postgres', '--user', '-o', url], { env });
    expect(conv.code).toBe(0);
    expect(conv.out).toContain('#bot-one: telethon → mtcute-postgres');
    expect(conv.out).not.toContain('test-Pa55word');
    const again = await runCli(['convert', file, '--to', 'mtcute-postgres', '--user', '-o', url], { env });
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/a session "bot-one" exists already \(use --force to replace it\)/);

    const list = await runCli(['list', url, '--json'], { env });
    expect(list.code).toBe(0);
    const entries = JSON.parse(list.out).entries as { path: string; format: string; account: { userId: string } | null }[];
    expect(entries.map((e) => [e.path.replace(/^.*#/, ''), e.format, e.account?.userId])).toEqual([
      ['bot-one', 'mtcute-postgres', '4242'],
      ['from-string', 'mtcute-postgres', '99'],
    ]);
    expect(list.out).not.toContain('test-Pa55word');

    const inspect = await runCli(['inspect', `${url}#bot-one`, '--json', '--peers'], { env });
    expect(inspect.code).toBe(0);
    const j = JSON.parse(inspect.out);
    expect(j.format).toBe('mtcute-postgres');
    expect(j.user).toEqual({ id: '4242', isBot: false });
    expect(j.dcs[0].authKeyId).toBe(authKeyId(fakeKey(7)));
    expect(j.peers.total).toBe(2);
    expect(j.peerList).toHaveLength(2);
    expect(j.store.id).toBe('bot-one');

    const exported = await runCli(['export', `${url}#bot-one`, '--to', 'telethon-string'], { env });
    expect(exported.code).toBe(0);
    expect(authKeyId(readInput(exported.out.trim()).session.dcs[0]!.authKey)).toBe(authKeyId(fakeKey(7)));

    const out = join(dir, 'back.session');
    const back = await runCli(['convert', `${url}#bot-one`, '--to', 'telethon', '-o', out], { env });
    expect(back.code).toBe(0);
    const r = readInput(out).session;
    expect(r.user?.id).toBe(4242n);
    expect(r.peers).toHaveLength(2);
  });

  it('bad input is one line', async () => {
    const missing = await runCli(['inspect', `${url}#nobody`], { env });
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/no session "nobody" in this mtcute-postgres store/);
    const wrongDb = await runCli(['list', server.url('nope')], { env });
    expect(wrongDb.err.split('\n')).toHaveLength(1);
    expect(wrongDb.err).toMatch(/database "nope" does not exist/);
    const noId = await runCli(['export', url, '--to', 'telethon-string'], { env });
    expect(noId.err).toMatch(/name one session of the store as <store>#<session id>/);
    const stringIn = await runCli(['import', '-', '--to', 'mtcute-postgres', '--user', '-o', url], { stdin: encodeTelethonString(oneDcSession(9, 5n)), env });
    expect(stringIn.err).toMatch(/a session string has no name/);
    const notStore = join(dir, 'x.txt');
    writeFileSync(notStore, 'x');
    const toFile = await runCli(['convert', join(dir, 'bot-one.session'), '--to', 'mtcute-postgres', '-o', notStore], { env });
    expect(toFile.err).toMatch(/-o is a store, as <store URL>#<session id>/);
  });
});

describe('stores in backups', () => {
  it('backs up a whole store as files of their own library, restores into files and into another store', async () => {
    const pass = { SESSIONDECK_PASSPHRASE: 'correct horse battery staple', ...env };
    const archive = join(dir, 'fleet.tar.age');
    const b = await runCli(['backup', url, '-o', archive], { env: pass });
    expect(b.err).toBe('');
    expect(b.out).toMatch(/2 session\(s\)/);
    expect(b.out).not.toContain('test-Pa55word');
    const files = join(dir, 'restored');
    const r = await runCli(['restore', archive, '-d', files], { env: pass });
    expect(r.code).toBe(0);
    const one = readInput(join(files, 'bot-one.session'));
    expect(one.format).toBe('mtcute');
    expect(one.session.user?.id).toBe(4242n);
    expect(authKeyId(one.session.dcs[0]!.authKey)).toBe(authKeyId(fakeKey(7)));

    server.psql('CREATE DATABASE copy');
    const target = server.url('copy');
    const into = await runCli(['restore', archive, '--into', target, '--to', 'telethon-alchemy'], { env: pass });
    expect(into.err).toBe('');
    expect(into.out).toMatch(/written {3}.*#bot-one \(from bot-one\.session\)/);
    const again = await runCli(['restore', archive, '--into', target], { env: pass });
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/skipped {3}.*#bot-one .*exists already/);
    const listed = JSON.parse((await runCli(['list', target, '--json'], { env })).out).entries as { format: string; account: { userId: string } }[];
    expect(listed.map((e) => [e.format, e.account.userId])).toEqual([
      ['telethon-alchemy', '4242'],
      ['telethon-alchemy', '99'],
    ]);
  });
});

describe('deleting from a store', () => {
  it('backs the session up first, then deletes it in one transaction; a missing one is one line', async () => {
    const pass = { SESSIONDECK_PASSPHRASE: 'correct horse battery staple', ...env };
    const d = await runCli(['delete', `${url}#from-string`], { env: pass });
    expect(d.err).toBe('');
    const backup = /backed up first to (\S+)\)/.exec(d.out)?.[1];
    expect(backup).toBeDefined();
    const restored = join(dir, 'undo');
    expect((await runCli(['restore', backup!, '-d', restored], { env: pass })).code).toBe(0);
    expect(readInput(join(restored, 'from-string.session')).session.user?.id).toBe(99n);
    const ids = JSON.parse((await runCli(['list', url, '--json'], { env })).out).entries.map((e: { path: string }) => e.path.replace(/^.*#/, ''));
    expect(ids).toEqual(['bot-one']);
    const again = await runCli(['delete', `${url}#from-string`], { env: pass });
    expect(again.err).toMatch(/no session "from-string"/);
    expect((await runCli(['delete', join(dir, 'bot-one.session')], { env: pass })).err).toMatch(/delete takes a session in a store/);
  });
});

describe('replacing a session in a store', () => {
  it('with --force backs the one before up first, then writes the new one under its id', async () => {
    const pass = { SESSIONDECK_PASSPHRASE: 'correct horse battery staple', ...env };
    const file = join(dir, 'newer', 'bot-one.session');
    mkdirSync(join(dir, 'newer'));
    writeOutput(formatById('telethon')!, oneDcSession(12, 4343n), file);
    const r = await runCli(['convert', file, '--to', 'mtcute-postgres', '--user', '-o', `${url}#bot-one`, '--force'], { env: pass });
    expect(r.err).toBe('');
    const backup = /replaced; the one before is backed up to (\S+)\)/.exec(r.out)?.[1];
    expect(backup).toBeDefined();
    const undo = join(dir, 'undo-replace');
    expect((await runCli(['restore', backup!, '-d', undo], { env: pass })).code).toBe(0);
    expect(readInput(join(undo, 'bot-one.session')).session.user?.id).toBe(4242n);
    const now = JSON.parse((await runCli(['inspect', `${url}#bot-one`, '--json'], { env })).out) as { user: { id: string }; dcs: { authKeyId: string }[] };
    expect([now.user.id, now.dcs[0]!.authKeyId]).toEqual(['4343', authKeyId(fakeKey(12))]);
    const noPass = await runCli(['convert', file, '--to', 'mtcute-postgres', '--user', '-o', `${url}#bot-one`, '--force'], { env });
    expect(noPass.err).toMatch(/no passphrase: set SESSIONDECK_PASSPHRASE/);
  });
});
