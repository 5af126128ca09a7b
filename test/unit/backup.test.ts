import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { Encrypter } from 'age-encryption';
import { SessionError } from '../../electron/core/errors.js';
import { createBackup } from '../../electron/core/backup/create.js';
import { verify } from '../../electron/core/backup/read.js';
import { planRestore, restore, type ConflictMode } from '../../electron/core/backup/restore.js';
import { applyRetention, autoBackup } from '../../electron/core/backup/retention.js';
import { encodeHeader, endOfArchive, padding, readTar } from '../../electron/core/backup/tar.js';
import { autoBackupName } from '../../electron/core/backup/stamp.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { tempDir } from '../helpers/format-io.js';
import { v1Manifest } from '../helpers/manifests.js';
import { fullSession } from '../helpers/sessions.js';

const PASS = 'correct horse battery staple';
/** Low scrypt cost keeps the suite fast (the bench uses age's default, 18). */
const WF = 10;
const root = tempDir('sd-backup-');
const src = join(root, 'src');
let live: Database.Database;
let archive: string;

const LONG_NAME = `${'n'.repeat(120)}.session`;
const UNICODE_NAME = 'сессия-😀.session';

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every file below `dir` as relative path → SHA-256. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), sha256(p));
    }
  };
  walk(dir);
  return out;
}

function rows(path: string): { id: number; v: string }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT id, v FROM t ORDER BY id').all() as { id: number; v: string }[];
  } finally {
    db.close();
  }
}

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

async function errorOf(p: Promise<unknown>): Promise<SessionError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SessionError) return e;
    throw e;
  }
  throw new Error('expected a SessionError');
}

beforeAll(async () => {
  mkdirSync(join(src, 'gramjs_store', 'nested'), { recursive: true });
  writeFileSync(join(src, 'binary.session'), randomBytes(333));
  writeFileSync(join(src, 'string.txt'), '1BVtsOK4Bu3example-session-string==\n');
  writeFileSync(join(src, 'gramjs_store', 'authKey'), randomBytes(256).toString('hex'));
  writeFileSync(join(src, 'gramjs_store', 'dcId'), '2');
  writeFileSync(join(src, 'gramjs_store', LONG_NAME), randomBytes(40));
  writeFileSync(join(src, 'gramjs_store', 'nested', UNICODE_NAME), 'ü');
  writeFileSync(join(src, 'gramjs_store', 'empty'), '');
  // An SQLite file in WAL mode whose newest rows live only in the -wal file.
  live = new Database(join(src, 'live.session'));
  live.pragma('journal_mode = WAL');
  live.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  live.prepare('INSERT INTO t (v) VALUES (?)').run('checkpointed');
  live.pragma('wal_checkpoint(TRUNCATE)');
  live.pragma('wal_autocheckpoint = 0');
  for (let i = 0; i < 50; i++) live.prepare('INSERT INTO t (v) VALUES (?)').run(`in-wal-${i}`);
  archive = join(root, 'manual.tar.age');
  await createBackup(
    [join(src, 'binary.session'), join(src, 'string.txt'), join(src, 'live.session'), { path: join(src, 'gramjs_store'), format: 'gramjs-store', userId: 9007199254740993n }],
    archive,
    PASS,
    { workFactor: WF, appVersion: '1.2.3-test' },
  );
});

afterAll(() => {
  live.close();
  rmSync(root, { recursive: true, force: true });
});

describe('backup round trip', () => {
  it('captures the WAL file consistently and never writes beside the user files', () => {
    expect(statSync(join(src, 'live.session-wal')).size).toBeGreaterThan(0);
    // The main file alone does not hold the WAL rows; the backup must have them (next test).
    expect(readdirSync(src).sort()).toEqual(['binary.session', 'gramjs_store', 'live.session', 'live.session-shm', 'live.session-wal', 'string.txt']);
  });

  it('restores every file byte for byte, and the SQLite snapshot holds the uncheckpointed rows', async () => {
    const dest = join(root, 'restore-fresh');
    const progress: number[] = [];
    const r = await restore(archive, PASS, dest, { onConflict: 'skip', onProgress: (p) => progress.push(p.done) });
    expect(r.items.map((i) => [i.session, i.action])).toEqual([
      ['binary.session', 'create'],
      ['string.txt', 'create'],
      ['live.session', 'create'],
      ['gramjs_store', 'create'],
    ]);
    expect(readdirSync(dest).sort()).toEqual(['binary.session', 'gramjs_store', 'live.session', 'string.txt']);
    for (const f of ['binary.session', 'string.txt']) expect(sha256(join(dest, f))).toBe(sha256(join(src, f)));
    expect(tree(join(dest, 'gramjs_store'))).toEqual(tree(join(src, 'gramjs_store')));
    expect(rows(join(dest, 'live.session'))).toEqual(live.prepare('SELECT id, v FROM t ORDER BY id').all());
    expect(rows(join(dest, 'live.session'))).toHaveLength(51);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(statSync(archive).size);
  });

  it('records origin, format, user id, sizes and hashes in the manifest; verify agrees', async () => {
    const report = await verify(archive, PASS);
    expect(report.ok).toBe(true);
    const m = report.manifest!;
    expect(m.appVersion).toBe('1.2.3-test');
    expect(m.automatic).toBe(false);
    const store = m.sessions.find((s) => s.name === 'gramjs_store')!;
    expect(store).toMatchObject({ kind: 'folder', format: 'gramjs-store', userId: 9007199254740993n, originalPath: join(src, 'gramjs_store') });
    expect(store.files.map((f) => f.path).sort()).toEqual(
      ['authKey', 'dcId', 'empty', LONG_NAME, `nested/${UNICODE_NAME}`].map((p) => `sessions/gramjs_store/${p}`).sort(),
    );
    const bin = m.sessions.find((s) => s.name === 'binary.session')!.files[0]!;
    expect(bin).toMatchObject({ size: 333, sha256: sha256(join(src, 'binary.session')), captured: 'copy' });
    expect(m.sessions.find((s) => s.name === 'live.session')!.files[0]!.captured).toBe('sqlite-backup');
    expect(report.files).toBe(8);
  });
});

/** Runs `age -d` with the passphrase typed into a pseudo-terminal (age reads it from the TTY). */
function ageDecrypt(input: string, output: string, passphrase: string): { status: number | null; out: string } {
  const script = `
import os, pty, sys
pw, inp, out = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.execvp('age', ['age', '-d', '-o', out, inp])
buf, sent = b'', False
while True:
    try:
        data = os.read(fd, 1024)
    except OSError:
        break
    if not data:
        break
    buf += data
    if not sent and b'passphrase' in buf.lower():
        os.write(fd, pw.encode() + b'\\n')
        sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(buf.decode(errors='replace'))
sys.exit(os.waitstatus_to_exitcode(status))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script, passphrase, input, output], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** Bytes 18 and 19 of an SQLite file: 1 for a rollback journal, 2 for WAL. */
function journalBytes(path: string): number[] {
  return [...readFileSync(path).subarray(18, 20)];
}

function tableWith(path: string, values: string[], journal: 'DELETE' | 'WAL'): Database.Database {
  const db = new Database(path);
  db.pragma(`journal_mode = ${journal}`);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  for (const v of values) db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
  return db;
}

describe('how SQLite files are captured', () => {
  it('a Telethon file nobody is writing is copied byte for byte: its SHA-256 is the original\'s, the restore the same bytes', async () => {
    const dir = join(root, 'quiet');
    mkdirSync(dir);
    const file = join(dir, 'telethon.session');
    writeOutput(telethonSqlite, fullSession(), file);
    expect(journalBytes(file)).toEqual([1, 1]);
    const out = join(root, 'quiet.tar.age');
    const r = await createBackup([file], out, PASS, { workFactor: WF });
    expect(r.manifest.sessions[0]!.files[0]).toMatchObject({ captured: 'copy', size: statSync(file).size, sha256: sha256(file) });
    expect((await verify(out, PASS)).ok).toBe(true);
    const dest = join(root, 'quiet-restored');
    await restore(out, PASS, dest, { onConflict: 'skip' });
    expect(readFileSync(join(dest, 'telethon.session')).equals(readFileSync(file))).toBe(true);
    expect(readdirSync(dir)).toEqual(['telethon.session']);
  });

  it('a WAL-mode file with no -wal left is still a snapshot (its header says WAL), and nothing appears beside it', async () => {
    const dir = join(root, 'wal-closed');
    mkdirSync(dir);
    const file = join(dir, 'closed.session');
    tableWith(file, ['a', 'b'], 'WAL').close();
    expect(journalBytes(file)).toEqual([2, 2]);
    expect(readdirSync(dir)).toEqual(['closed.session']);
    const out = join(root, 'wal-closed.tar.age');
    const r = await createBackup([file], out, PASS, { workFactor: WF });
    expect(r.manifest.sessions[0]!.files[0]!.captured).toBe('sqlite-backup');
    expect(readdirSync(dir)).toEqual(['closed.session']);
    const dest = join(root, 'wal-closed-restored');
    await restore(out, PASS, dest, { onConflict: 'skip' });
    expect(rows(join(dest, 'closed.session')).map((x) => x.v)).toEqual(['a', 'b']);
  });

  it('in a folder: a file with a -journal (a writer mid-transaction) is a snapshot without its -journal; a quiet one is copied with its -shm', async () => {
    const dir = join(root, 'busy');
    mkdirSync(dir);
    const quiet = join(dir, 'quiet.session');
    tableWith(quiet, ['q'], 'DELETE').close();
    writeFileSync(join(dir, 'quiet.session-shm'), 'a stray index');
    const writer = tableWith(join(dir, 'bot.session'), ['committed'], 'DELETE');
    writer.exec('BEGIN IMMEDIATE');
    writer.prepare('INSERT INTO t (v) VALUES (?)').run('not committed');
    try {
      expect(existsSync(join(dir, 'bot.session-journal'))).toBe(true);
      const out = join(root, 'busy.tar.age');
      const r = await createBackup([dir], out, PASS, { workFactor: WF });
      const files = new Map(r.manifest.sessions[0]!.files.map((f) => [f.path.slice('sessions/busy/'.length), f]));
      expect([...files.keys()]).toEqual(['bot.session', 'quiet.session', 'quiet.session-shm']);
      expect(files.get('bot.session')!.captured).toBe('sqlite-backup');
      expect(files.get('quiet.session')).toMatchObject({ captured: 'copy', sha256: sha256(quiet) });
      expect(files.get('quiet.session-shm')).toMatchObject({ captured: 'copy', sha256: sha256(join(dir, 'quiet.session-shm')) });
      const dest = join(root, 'busy-restored');
      await restore(out, PASS, dest, { onConflict: 'skip' });
      expect(rows(join(dest, 'busy', 'bot.session')).map((x) => x.v)).toEqual(['committed']);
      expect(readFileSync(join(dest, 'busy', 'quiet.session')).equals(readFileSync(quiet))).toBe(true);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });
  it('a -journal listed with its folder but gone when its file is copied is not looked for, nor archived', async () => {
    const dir = join(root, 'journal-gone');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.txt'), 'first in the folder');
    tableWith(join(dir, 'x.session'), ['v'], 'DELETE').close();
    writeFileSync(join(dir, 'x.session-journal'), 'a transaction that ends before x.session is read');
    const r = await createBackup([dir], join(root, 'journal-gone.tar.age'), PASS, {
      workFactor: WF,
      // Between a.txt and x.session, as the writer of x.session finishes its transaction.
      onProgress: (p) => p.done === 1 && rmSync(join(dir, 'x.session-journal')),
    });
    expect(r.manifest.sessions[0]!.files.map((f) => [f.path, f.captured])).toEqual([
      ['sessions/journal-gone/a.txt', 'copy'],
      ['sessions/journal-gone/x.session', 'copy'],
    ]);
  });
});

describe('by hand: age -d and tar -x', () => {
  it('decrypts with the age CLI and unpacks files matching the manifest', async () => {
    const file = join(root, 'by-hand.tar.age');
    await createBackup([join(src, 'binary.session'), join(src, 'gramjs_store'), join(src, 'live.session')], file, PASS, { workFactor: 14 });
    const tarFile = join(root, 'by-hand.tar');
    const dec = ageDecrypt(file, tarFile, PASS);
    expect(dec).toMatchObject({ status: 0 });
    const out = join(root, 'by-hand');
    mkdirSync(out);
    const tar = spawnSync('tar', ['-xf', tarFile, '-C', out], { encoding: 'utf8' });
    expect(tar.status).toBe(0);
    expect(tar.stderr).toBe('');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const listed = new Map<string, string>();
    for (const s of manifest.sessions) for (const f of s.files) listed.set(f.path, f.sha256);
    const unpacked = tree(out);
    unpacked.delete('manifest.json');
    expect(unpacked).toEqual(listed);
    expect(sha256(join(out, 'sessions', 'binary.session'))).toBe(sha256(join(src, 'binary.session')));
    expect(tree(join(out, 'sessions', 'gramjs_store'))).toEqual(tree(join(src, 'gramjs_store')));
    expect(rows(join(out, 'sessions', 'live.session'))).toHaveLength(51);
  });

  it('the age CLI refuses a wrong passphrase', () => {
    const dec = ageDecrypt(archive, join(root, 'wrong.tar'), 'not it');
    expect(dec.status).not.toBe(0);
  });
});

describe('a bad archive writes nothing', () => {
  function damaged(name: string, damage: (path: string) => void): string {
    const copy = join(root, name);
    writeFileSync(copy, readFileSync(archive));
    damage(copy);
    return copy;
  }

  function destWithOneFile(name: string): string {
    const dest = join(root, name);
    mkdirSync(dest);
    writeFileSync(join(dest, 'binary.session'), 'older content');
    return dest;
  }

  const cases: [string, () => string, SessionError['code'], RegExp][] = [
    ['wrong passphrase', () => archive, 'bad-passphrase', /wrong passphrase/],
    [
      'one flipped byte',
      () =>
        damaged('flipped.tar.age', (p) => {
          const b = readFileSync(p);
          b[Math.floor(b.length / 2)]! ^= 0x01;
          writeFileSync(p, b);
        }),
      'malformed',
      /damaged, cut off or was modified/,
    ],
    ['a cut-off archive', () => damaged('cut.tar.age', (p) => truncateSync(p, statSync(p).size - 100)), 'malformed', /damaged, cut off/],
    ['a header cut off', () => damaged('stub.tar.age', (p) => truncateSync(p, 40)), 'truncated', /cut off inside its header/],
  ];

  it.each(cases)('%s: one-line SessionError from restore and verify', async (label, make, code, message) => {
    const file = make();
    const pass = label === 'wrong passphrase' ? 'wrong' : PASS;
    const dest = destWithOneFile(`dest-${code}-${label.length}`);
    const before = tree(dest);
    const e = await errorOf(restore(file, pass, dest, { onConflict: 'overwrite' }));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('\n');
    expect(tree(dest)).toEqual(before);
    expect(readdirSync(dest)).toEqual(['binary.session']);
    const report = await verify(file, pass);
    expect(report).toMatchObject({ ok: false, problem: { code } });
  });

  it('a restore into a missing folder leaves no folder behind on failure', async () => {
    const dest = join(root, 'never-created', 'deeper');
    await errorOf(restore(archive, 'wrong', dest, { onConflict: 'skip' }));
    expect(() => statSync(join(root, 'never-created'))).toThrow(/ENOENT/);
  });

  async function craft(name: string, entries: { path: string; body: string }[]): Promise<string> {
    const parts: Uint8Array[] = [];
    for (const e of entries) {
      const body = new TextEncoder().encode(e.body);
      parts.push(encodeHeader({ path: e.path, type: 'file', size: body.length, mode: 0o644, mtime: 0 }), body, padding(body.length));
    }
    parts.push(endOfArchive());
    const enc = new Encrypter();
    enc.setPassphrase(PASS);
    enc.setScryptWorkFactor(WF);
    const file = join(root, name);
    writeFileSync(file, await enc.encrypt(Buffer.concat(parts)));
    return file;
  }

  it.each([
    ['../escape.session', /unsafe path/],
    ['/etc/evil', /unsafe path/],
    ['sessions/../../evil', /unsafe path/],
    ['other/file', /unexpected entry/],
  ])('refuses an archive holding %s', async (path, message) => {
    const file = await craft(`evil-${path.length}.tar.age`, [{ path, body: 'x' }]);
    const dest = join(root, `evil-dest-${path.length}`);
    mkdirSync(dest);
    const e = await errorOf(restore(file, PASS, dest, { onConflict: 'overwrite' }));
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(message);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('refuses files whose hash differs from the manifest', async () => {
    const manifest = v1Manifest();
    const file = await craft('bad-hash.tar.age', [
      { path: 'sessions/a.session', body: 'x' },
      { path: 'manifest.json', body: JSON.stringify(manifest) },
    ]);
    const dest = join(root, 'bad-hash-dest');
    mkdirSync(dest);
    const e = await errorOf(restore(file, PASS, dest, { onConflict: 'overwrite' }));
    expect(e.message).toMatch(/does not match the SHA-256/);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('cancels through an AbortSignal without writing', async () => {
    const dest = join(root, 'aborted');
    mkdirSync(dest);
    const ac = new AbortController();
    ac.abort();
    const e = await errorOf(restore(archive, PASS, dest, { onConflict: 'skip', signal: ac.signal }));
    expect(e.code).toBe('cancelled');
    expect(readdirSync(dest)).toEqual([]);
  });

  it('a backup cancelled half-way leaves no file, and reports progress in files until then', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    const out = join(root, 'aborted.tar.age');
    const sources = [join(src, 'binary.session'), join(src, 'live.session'), join(src, 'string.txt')];
    const e = await errorOf(
      createBackup(sources, out, PASS, {
        workFactor: WF,
        signal: ac.signal,
        onProgress: (p) => {
          seen.push(`${p.done}/${p.total} ${p.unit}`);
          if (p.done === 1) ac.abort();
        },
      }),
    );
    expect(e.code).toBe('cancelled');
    expect(seen).toEqual(['0/3 files', '1/3 files']);
    expect(readdirSync(root).filter((n) => n.includes('aborted.tar.age'))).toEqual([]);
  });
});

describe('tar', () => {
  it.each(['gnu', 'pax', 'ustar'])('reads what GNU tar writes in --format=%s', async (format) => {
    const dir = join(root, `gnutar-${format}`);
    mkdirSync(dir);
    // ustar cannot hold a 120-byte base name; the other formats get one.
    const names = format === 'ustar' ? ['a.session', 'sub'] : ['a.session', 'sub', LONG_NAME];
    writeFileSync(join(dir, 'a.session'), randomBytes(1000));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'b'), 'bee');
    if (format !== 'ustar') writeFileSync(join(dir, LONG_NAME), randomBytes(513));
    const r = spawnSync('tar', [`--format=${format}`, '-cf', '-', '-C', dir, ...names]);
    expect(r.status).toBe(0);
    const got = new Map<string, string>();
    for await (const e of readTar(once(new Uint8Array(r.stdout)))) {
      const hash = createHash('sha256');
      for await (const c of e.body) hash.update(c);
      got.set(`${e.type}:${e.path}`, hash.digest('hex'));
    }
    const want = new Map<string, string>([
      [`file:a.session`, sha256(join(dir, 'a.session'))],
      ['directory:sub', createHash('sha256').digest('hex')],
      ['file:sub/b', sha256(join(dir, 'sub', 'b'))],
    ]);
    if (format !== 'ustar') want.set(`file:${LONG_NAME}`, sha256(join(dir, LONG_NAME)));
    expect(got).toEqual(want);
  });

  it('refuses a cut-off tar and a corrupted header', async () => {
    const body = new TextEncoder().encode('hello');
    const whole = Buffer.concat([encodeHeader({ path: 'x', type: 'file', size: 5, mode: 0o600, mtime: 0 }), body, padding(5), endOfArchive()]);
    const drain = async (b: Uint8Array) => {
      for await (const e of readTar(once(b))) for await (const _ of e.body);
    };
    await expect(drain(whole.subarray(0, 600))).rejects.toMatchObject({ code: 'truncated' });
    const bad = Buffer.from(whole);
    bad[0] = 0x79;
    await expect(drain(bad)).rejects.toThrow(/bad checksum/);
  });
});

describe('restore conflicts', () => {
  const NEWER = 'content changed since the backup';

  function prepared(mode: ConflictMode): string {
    const dest = join(root, `conflict-${mode}`);
    mkdirSync(join(dest, 'gramjs_store'), { recursive: true });
    writeFileSync(join(dest, 'binary.session'), readFileSync(join(src, 'binary.session'))); // identical
    writeFileSync(join(dest, 'string.txt'), NEWER); // differs
    writeFileSync(join(dest, 'gramjs_store', 'dcId'), '4'); // a different folder session
    return dest;
  }

  const now = new Date('2030-01-02T03:04:05.678Z');

  it('plans without writing', async () => {
    const dest = prepared('skip');
    const before = tree(dest);
    const plan = await planRestore(archive, PASS, dest, { onConflict: 'keep-both', now });
    expect(plan.items.map((i) => [i.session, i.action, relative(dest, i.target)])).toEqual([
      ['binary.session', 'unchanged', 'binary.session'],
      ['string.txt', 'keep-both', 'string-restored-1.txt'],
      ['live.session', 'create', 'live.session'],
      ['gramjs_store', 'keep-both', 'gramjs_store-restored-1'],
    ]);
    expect(tree(dest)).toEqual(before);
  });

  it('skip leaves differing sessions alone', async () => {
    const dest = prepared('skip');
    const r = await restore(archive, PASS, dest, { onConflict: 'skip' });
    expect(r.items.map((i) => i.action)).toEqual(['unchanged', 'skip', 'create', 'skip']);
    expect(readFileSync(join(dest, 'string.txt'), 'utf8')).toBe(NEWER);
    expect(readdirSync(join(dest, 'gramjs_store'))).toEqual(['dcId']);
    expect(readdirSync(dest).sort()).toEqual(['binary.session', 'gramjs_store', 'live.session', 'string.txt']);
  });

  it('keep-both restores beside the existing ones', async () => {
    const dest = prepared('keep-both');
    await restore(archive, PASS, dest, { onConflict: 'keep-both' });
    expect(readFileSync(join(dest, 'string.txt'), 'utf8')).toBe(NEWER);
    expect(sha256(join(dest, 'string-restored-1.txt'))).toBe(sha256(join(src, 'string.txt')));
    expect(tree(join(dest, 'gramjs_store-restored-1'))).toEqual(tree(join(src, 'gramjs_store')));
    expect(readFileSync(join(dest, 'gramjs_store', 'dcId'), 'utf8')).toBe('4');
  });

  it('overwrite moves the old version aside first', async () => {
    const dest = prepared('overwrite');
    const r = await restore(archive, PASS, dest, { onConflict: 'overwrite', now });
    const aside = `string.txt.before-restore-2030-01-02T03-04-05-678Z`;
    expect(r.items[1]).toMatchObject({ action: 'overwrite', movedAside: join(dest, aside) });
    expect(readFileSync(join(dest, aside), 'utf8')).toBe(NEWER);
    expect(sha256(join(dest, 'string.txt'))).toBe(sha256(join(src, 'string.txt')));
    expect(tree(join(dest, 'gramjs_store'))).toEqual(tree(join(src, 'gramjs_store')));
    expect(readFileSync(join(dest, 'gramjs_store.before-restore-2030-01-02T03-04-05-678Z', 'dcId'), 'utf8')).toBe('4');
    expect(readdirSync(dest).filter((n) => n.startsWith('.sessiondeck-restore'))).toEqual([]);
  });
});

describe('automatic backups and retention', () => {
  it('autoBackup names by time; retention removes only automatic backups past the policy', async () => {
    const dir = join(root, 'auto');
    const day = 24 * 60 * 60 * 1000;
    const t0 = Date.parse('2030-06-01T00:00:00.000Z');
    const made: string[] = [];
    for (const ago of [40, 10, 2, 0]) {
      const r = await autoBackup([join(src, 'binary.session')], dir, PASS, { workFactor: WF, now: new Date(t0 - ago * day) });
      made.push(r.file);
      expect(r.manifest.automatic).toBe(true);
    }
    // Same instant again: a second name, not an overwrite.
    const twin = await autoBackup([join(src, 'string.txt')], dir, PASS, { workFactor: WF, now: new Date(t0) });
    expect(twin.file).toBe(join(dir, autoBackupName(new Date(t0), 2)));
    writeFileSync(join(dir, 'manual-2020.tar.age'), 'a manual backup');
    writeFileSync(join(dir, 'auto-notes.txt'), 'not a backup');

    const byAge = await applyRetention(dir, { maxAgeDays: 30 }, new Date(t0));
    expect(byAge.removed).toEqual([autoBackupName(new Date(t0 - 40 * day))]);
    const byCount = await applyRetention(dir, { keepLast: 2 }, new Date(t0));
    expect(byCount.removed).toEqual([autoBackupName(new Date(t0 - 2 * day)), autoBackupName(new Date(t0 - 10 * day))]);
    expect(readdirSync(dir).sort()).toEqual(
      ['auto-notes.txt', autoBackupName(new Date(t0)), autoBackupName(new Date(t0), 2), 'manual-2020.tar.age'].sort(),
    );
    expect((await verify(twin.file, PASS)).ok).toBe(true);
  });
});
