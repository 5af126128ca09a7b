/**
 * Sidecars (`acct.session` → `acct.json`) travel with their session through backup, verify and
 * restore, and the manifest carries a session's labels and note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Decrypter, Encrypter } from 'age-encryption';
import { SessionError } from '../../electron/core/errors.js';
import { createBackup, type BackupOptions } from '../../electron/core/backup/create.js';
import type { BackupSource } from '../../electron/core/backup/source.js';
import { parseManifest } from '../../electron/core/backup/manifest.js';
import { verify } from '../../electron/core/backup/read.js';
import { planRestore, restore, type ConflictMode } from '../../electron/core/backup/restore.js';
import { ferogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import { authKeyId } from '../../electron/core/model/fingerprint.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { tempDir } from '../helpers/format-io.js';
import { fakeKey } from '../helpers/sessions.js';
import { v1Manifest } from '../helpers/manifests.js';

const PASS = 'correct horse battery staple';
const WF = 10;
const root = tempDir('sd-backup-sidecar-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
/** Odd spacing and a 64-bit number: only a byte-for-byte copy keeps both. */
const sidecarText = (marker: string) => `{"session_file": "acct",  "user_id": 9007199254740993, "note": "${marker}"}\n`;
let archives = 0;

/** A ferogram session file (detected, with a home DC key) and, unless told otherwise, its sidecar. */
function account(dir: string, name: string, seed: number, sidecar = true): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.session`);
  const key = fakeKey(seed);
  writeFileSync(path, ferogramBinary.encode({ ...emptySession(), homeDc: 2, dcs: [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: key })] }));
  if (sidecar) writeFileSync(join(dir, `${name}.json`), sidecarText(`${name} ${seed}`));
  return path;
}

async function backup(sources: BackupSource[], opts: Partial<Pick<BackupOptions, 'labels'>> = {}) {
  return createBackup(sources, join(root, `a${++archives}.tar.age`), PASS, { workFactor: WF, ...opts });
}

function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}

describe('sidecars in the archive', () => {
  it('a file session and a folder session each take the sidecar beside them, byte for byte', async () => {
    const dir = join(root, 'one');
    const acct = account(dir, 'acct', 1);
    mkdirSync(join(dir, 'tdata'));
    writeFileSync(join(dir, 'tdata', 'key_datas'), 'tdesktop');
    writeFileSync(join(dir, 'tdata.json'), '{"app": "tdesktop"}');
    const r = await backup([acct, join(dir, 'tdata')]);
    const [file, folder] = r.manifest.sessions;
    expect(file).toMatchObject({ name: 'acct.session', format: 'ferogram' });
    expect(file!.sidecar).toEqual({
      path: 'sessions/acct.json',
      originalPath: join(dir, 'acct.json'),
      format: null,
      size: readFileSync(join(dir, 'acct.json')).length,
      mtime: expect.any(String),
      sha256: sha256(join(dir, 'acct.json')),
      captured: 'copy',
    });
    expect(folder!.sidecar).toMatchObject({ path: 'sessions/tdata.json', sha256: sha256(join(dir, 'tdata.json')) });
    expect(folder!.files.map((f) => f.path)).toEqual(['sessions/tdata/key_datas']);
    expect(await verify(r.file, PASS)).toMatchObject({ ok: true, files: 4 });

    const dest = join(root, 'one-restored');
    const restored = await restore(r.file, PASS, dest, { onConflict: 'skip' });
    expect(restored.items.map((i) => [i.action, relative(dest, i.target), relative(dest, i.sidecar!)])).toEqual([
      ['create', 'acct.session', 'acct.json'],
      ['create', 'tdata', 'tdata.json'],
    ]);
    expect(listing(dest)).toEqual(['acct.json', 'acct.session', 'tdata', 'tdata.json']);
    for (const f of ['acct.json', 'acct.session', 'tdata.json', join('tdata', 'key_datas')]) {
      expect({ f, same: sha256(join(dest, f)) }).toEqual({ f, same: sha256(join(dir, f)) });
    }
  });

  it('a sidecar picked as a source as well is archived once, with its session', async () => {
    const dir = join(root, 'twice');
    const acct = account(dir, 'acct', 2);
    for (const sources of [
      [acct, join(dir, 'acct.json')],
      [join(dir, 'acct.json'), acct],
    ]) {
      const r = await backup(sources);
      expect(r.manifest.sessions.map((s) => [s.name, s.sidecar?.path])).toEqual([['acct.session', 'sessions/acct.json']]);
    }
  });

  it('a folder that holds sessions and their sidecars is archived as it is', async () => {
    const dir = join(root, 'lib');
    account(dir, 'acct', 3);
    const r = await backup([dir]);
    expect(r.manifest.sessions).toHaveLength(1);
    expect(r.manifest.sessions[0]!.sidecar).toBeUndefined();
    expect(r.manifest.sessions[0]!.files.map((f) => f.path)).toEqual(['sessions/lib/acct.json', 'sessions/lib/acct.session']);
  });

  it('names stay unique, case-insensitively, sessions and sidecars together', async () => {
    const a = account(join(root, 'names', 'a'), 'acct', 4);
    const upper = account(join(root, 'names', 'c'), 'ACCT', 5);
    const b = join(root, 'names', 'b');
    mkdirSync(b);
    writeFileSync(join(b, 'acct.json'), '{"plain": "a JSON file backed up on its own"}');
    const names = (r: Awaited<ReturnType<typeof backup>>) => r.manifest.sessions.map((s) => [s.name, s.sidecar?.path ?? null]);

    const first = await backup([a, join(b, 'acct.json'), upper]);
    expect(names(first)).toEqual([
      ['acct.session', 'sessions/acct.json'],
      ['acct-2.json', null],
      // ACCT-2.json would be acct-2.json on a case-insensitive disk.
      ['ACCT-3.session', 'sessions/ACCT-3.json'],
    ]);
    // The same files in another order: the plain acct.json comes first and keeps its name.
    expect(names(await backup([join(b, 'acct.json'), a]))).toEqual([
      ['acct.json', null],
      ['acct-2.session', 'sessions/acct-2.json'],
    ]);

    const dest = join(root, 'names-restored');
    await restore(first.file, PASS, dest, { onConflict: 'skip' });
    expect(listing(dest)).toEqual(['ACCT-3.json', 'ACCT-3.session', 'acct-2.json', 'acct.json', 'acct.session']);
    expect(sha256(join(dest, 'ACCT-3.json'))).toBe(sha256(join(root, 'names', 'c', 'ACCT.json')));
    expect(sha256(join(dest, 'acct-2.json'))).toBe(sha256(join(b, 'acct.json')));
  });
});

describe('restoring a session with its sidecar', () => {
  const src = join(root, 'conflict-src');
  const now = new Date('2030-01-02T03:04:05.678Z');
  const STAMP = '2030-01-02T03-04-05-678Z';
  let archive: string;
  beforeAll(async () => {
    archive = (await backup([account(src, 'acct', 6)])).file;
  });

  /** A destination holding the session and its sidecar as given: 'same' bytes, other bytes, or nothing. */
  function dest(name: string, session: 'same' | 'other' | 'none', sidecar: 'same' | 'other' | 'none'): string {
    const d = join(root, `dest-${name}`);
    mkdirSync(d);
    const put = (file: string, how: string) => {
      if (how === 'same') writeFileSync(join(d, file), readFileSync(join(src, file)));
      if (how === 'other') writeFileSync(join(d, file), `edited ${file}`);
    };
    put('acct.session', session);
    put('acct.json', sidecar);
    return d;
  }

  const run = (d: string, onConflict: ConflictMode) => restore(archive, PASS, d, { onConflict, now });
  const same = (d: string, file: string, original: string) => expect(sha256(join(d, file))).toBe(sha256(join(src, original)));

  it('unchanged means both identical; a missing sidecar beside an identical session is simply put there', async () => {
    const both = dest('both', 'same', 'same');
    expect((await run(both, 'skip')).items[0]).toEqual({ session: 'acct.session', kind: 'file', action: 'unchanged', target: join(both, 'acct.session'), sidecar: join(both, 'acct.json') });
    expect(listing(both)).toEqual(['acct.json', 'acct.session']);

    const noSidecar = dest('no-sidecar', 'same', 'none');
    expect((await run(noSidecar, 'skip')).items[0]).toMatchObject({ action: 'unchanged', sidecar: join(noSidecar, 'acct.json') });
    same(noSidecar, 'acct.json', 'acct.json');
  });

  it('a differing sidecar is a conflict: skip leaves both, keep-both renames both alike', async () => {
    const skip = dest('skip', 'same', 'other');
    const skipped = await run(skip, 'skip');
    expect(skipped.items[0]).toMatchObject({ action: 'skip', target: join(skip, 'acct.session') });
    expect(skipped.items[0]!.sidecar).toBeUndefined();
    expect(readFileSync(join(skip, 'acct.json'), 'utf8')).toBe('edited acct.json');

    const keep = dest('keep', 'same', 'other');
    // A name whose sidecar name is taken is passed over, for both.
    writeFileSync(join(keep, 'acct-restored-1.json'), 'someone else');
    const kept = await run(keep, 'keep-both');
    expect(kept.items[0]).toMatchObject({ action: 'keep-both', target: join(keep, 'acct-restored-2.session'), sidecar: join(keep, 'acct-restored-2.json') });
    expect(listing(keep)).toEqual(['acct-restored-1.json', 'acct-restored-2.json', 'acct-restored-2.session', 'acct.json', 'acct.session']);
    same(keep, 'acct-restored-2.session', 'acct.session');
    same(keep, 'acct-restored-2.json', 'acct.json');
    expect(readFileSync(join(keep, 'acct.json'), 'utf8')).toBe('edited acct.json');
  });

  it('overwrite moves aside what differs, session or sidecar, the same way', async () => {
    const sidecarOnly = dest('over-sidecar', 'same', 'other');
    const a = await run(sidecarOnly, 'overwrite');
    expect(a.items[0]).toMatchObject({ action: 'overwrite', target: join(sidecarOnly, 'acct.session'), sidecar: join(sidecarOnly, 'acct.json') });
    expect(a.items[0]!.movedAside).toBeUndefined();
    expect(listing(sidecarOnly)).toEqual(['acct.json', `acct.json.before-restore-${STAMP}`, 'acct.session']);
    expect(readFileSync(join(sidecarOnly, `acct.json.before-restore-${STAMP}`), 'utf8')).toBe('edited acct.json');
    same(sidecarOnly, 'acct.json', 'acct.json');

    const both = dest('over-both', 'other', 'other');
    const b = await run(both, 'overwrite');
    expect(b.items[0]!.movedAside).toBe(join(both, `acct.session.before-restore-${STAMP}`));
    expect(listing(both)).toEqual(['acct.json', `acct.json.before-restore-${STAMP}`, 'acct.session', `acct.session.before-restore-${STAMP}`]);
    same(both, 'acct.session', 'acct.session');
    same(both, 'acct.json', 'acct.json');

    const sessionOnly = dest('over-session', 'other', 'none');
    await run(sessionOnly, 'overwrite');
    expect(listing(sessionOnly)).toEqual(['acct.json', 'acct.session', `acct.session.before-restore-${STAMP}`]);
    same(sessionOnly, 'acct.json', 'acct.json');
  });

  it('planning writes nothing, and says where the sidecar would go', async () => {
    const d = dest('plan', 'other', 'none');
    const plan = await planRestore(archive, PASS, d, { onConflict: 'keep-both', now });
    expect(plan.items[0]).toMatchObject({ action: 'keep-both', sidecar: join(d, 'acct-restored-1.json') });
    expect(listing(d)).toEqual(['acct.session']);
  });
});

describe('a damaged sidecar', () => {
  /** The archive with `from` replaced by `to` (same length) in its plaintext, encrypted again. */
  async function tampered(file: string, from: string, to: string): Promise<string> {
    const d = new Decrypter();
    d.addPassphrase(PASS);
    const plain = Buffer.from(await d.decrypt(readFileSync(file)));
    const at = plain.indexOf(from);
    expect(at).toBeGreaterThan(0);
    plain.write(to, at);
    const e = new Encrypter();
    e.setPassphrase(PASS);
    e.setScryptWorkFactor(WF);
    const out = `${file}.tampered`;
    writeFileSync(out, await e.encrypt(plain));
    return out;
  }

  it('fails verify and restore by its SHA-256, writing nothing', async () => {
    const r = await backup([account(join(root, 'damaged'), 'acct', 7)]);
    const bad = await tampered(r.file, 'acct 7', 'acct 8');
    const report = await verify(bad, PASS);
    expect(report).toMatchObject({ ok: false, problem: { code: 'malformed' } });
    expect(report.problem!.message).toMatch(/"sessions\/acct\.json" does not match the SHA-256/);
    const dest = join(root, 'damaged-dest');
    await expect(restore(bad, PASS, dest, { onConflict: 'overwrite' })).rejects.toThrow(/acct\.json" does not match the SHA-256/);
    expect(existsSync(dest)).toBe(false);
  });
});

describe('the manifest', () => {
  const v1 = v1Manifest('42');
  const parse = (m: unknown) => parseManifest(new TextEncoder().encode(JSON.stringify(m)));
  const sidecar = (path: string) => ({ ...v1.sessions[0]!.files[0]!, path, originalPath: '/x/a.json' });

  it('reads a version-1 manifest, with no sidecar and no labels', () => {
    const m = parse(v1);
    const s = m.sessions[0]!;
    expect(s).toMatchObject({ name: 'a.session', userId: 42n });
    expect([s.sidecar, s.authKeyId, m.labels]).toEqual([undefined, undefined, undefined]);
  });

  it('refuses a sidecar not named after its session, or named like another session', () => {
    const withSidecar = (path: string, others: unknown[] = []) => ({ ...v1, version: 2, sessions: [{ ...v1.sessions[0], sidecar: sidecar(path) }, ...others] });
    expect(parse(withSidecar('sessions/a.json')).sessions[0]!.sidecar?.path).toBe('sessions/a.json');
    expect(() => parse(withSidecar('sessions/b.json'))).toThrow(/invalid sidecar path "sessions\/b\.json"/);
    const other = { ...v1.sessions[0], name: 'a.json', files: [{ ...v1.sessions[0]!.files[0], path: 'sessions/a.json' }] };
    expect(() => parse(withSidecar('sessions/a.json', [other]))).toThrow(SessionError);
    expect(() => parse(withSidecar('sessions/a.json', [other]))).toThrow(/invalid session name "a\.json"/);
  });
});

describe('labels in the manifest', () => {
  it('carries the labels and notes the caller gives, through verify and restore', async () => {
    const path = account(join(root, 'labelled'), 'acct', 8, false);
    const labels = [{ authKeyId: 'aabbccddeeff0011', labels: ['work', 'Bot farm'], note: 'two lines\nof note' }];
    const r = await backup([{ path, authKeyId: 'aabbccddeeff0011' }], { labels });
    expect(r.manifest.labels).toEqual(labels);
    expect(r.manifest.sessions[0]!.authKeyId).toBe('aabbccddeeff0011');
    expect((await verify(r.file, PASS)).manifest!.labels).toEqual(labels);
    const restored = await restore(r.file, PASS, join(root, 'labelled-restored'), { onConflict: 'skip' });
    expect(restored.manifest.labels).toEqual(labels);
  });

  it('without them: the fingerprint of the home DC key where the file reads, and no labels', async () => {
    const path = account(join(root, 'unlabelled'), 'acct', 9, false);
    const m = (await verify((await backup([path])).file, PASS)).manifest!;
    expect(m.sessions[0]!.authKeyId).toBe(authKeyId(fakeKey(9)));
    expect(m.labels).toBeUndefined();
  });

  it('refuses an authKeyId that is not a fingerprint before writing anything', async () => {
    const path = account(join(root, 'bad-key'), 'acct', 10, false);
    const out = join(root, 'bad-key.tar.age');
    const e = await createBackup([{ path, authKeyId: 'not hex' }], out, PASS, { workFactor: WF }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SessionError);
    expect(e).toMatchObject({ code: 'usage', message: expect.stringMatching(/not an auth key fingerprint/) });
    expect(existsSync(out)).toBe(false);
  });
});
