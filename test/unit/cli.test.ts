import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli-run.js';
import { ferogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import { ferogramCompact, ferogramString } from '../../electron/core/formats/ferogram-strings.js';
import { authKeyId } from '../../electron/core/model/fingerprint.js';
import { toHex } from '../../electron/core/bytes.js';
import { fakeKey, fullSession } from '../helpers/sessions.js';
import { tempDir } from '../helpers/format-io.js';

const dir = tempDir('sd-cli-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], stdin = '') => runCli(args, { stdin });

function ferogramFile(name = 'a.session'): string {
  const p = join(dir, name);
  writeFileSync(p, ferogramBinary.encode(fullSession()));
  return p;
}

describe('sessiondeck inspect', () => {
  it('--json prints the documented shape with decimal strings and key fingerprints only', async () => {
    const r = await run(['inspect', ferogramFile(), '--json', '--peers']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(
      expect.arrayContaining(['format', 'formatVersion', 'homeDc', 'testMode', 'apiId', 'user', 'dcs', 'updates', 'peers', 'minPeers', 'warnings', 'peerList']),
    );
    expect(j.format).toBe('ferogram');
    expect(j.formatVersion).toBe(8);
    expect(j.homeDc).toBe(2);
    expect(j.user).toBeNull(); // ferogram does not store the user id
    expect(j.apiId).toBeNull();
    const dc1 = j.dcs.find((d: { id: number }) => d.id === 1);
    expect(dc1).toMatchObject({ address: '149.154.175.53', port: 443, ipv6: false, mediaOnly: false, salt: '1234567890123', timeOffset: -3 });
    expect(dc1.authKeyId).toBe(authKeyId(fakeKey(1)));
    expect(dc1.authKeyId).toMatch(/^[0-9a-f]{16}$/);
    expect(j.dcs.find((d: { id: number }) => d.id === 5).authKeyId).toBeNull();
    expect(j.updates).toMatchObject({ pts: 1200, qts: 33, seq: 77, date: 1_731_000_000 });
    expect(j.updates.channels).toContainEqual({ id: '1400000001', pts: 501 });
    expect(j.peers.total).toBe(j.peerList.length);
    expect(j.peers.communities).toBe(2);
    expect(j.peers.min).toBe(2);
    expect(j.peerList[0]).toHaveProperty('accessHash');
    expect(typeof j.peerList[0].accessHash).toBe('string');
    // No byte of any key, in any encoding, is printed.
    for (const seed of [1, 2, 4, 40]) {
      const hex = toHex(fakeKey(seed));
      expect(r.out).not.toContain(hex.slice(0, 32));
      expect(r.out).not.toContain(Buffer.from(fakeKey(seed)).toString('base64').slice(0, 24));
    }
  });

  it('reads a string from stdin with -', async () => {
    const s = fullSession();
    const r = await run(['inspect', '-', '--json'], `  ${ferogramCompact.encode(s)}\n`);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ format: 'ferogram-compact', formatVersion: 'V2', user: { id: '777000123' } });
  });

  it('an unknown string is one line on stderr with exit 1', async () => {
    const r = await run(['inspect', 'definitely-not-a-session']);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^sessiondeck inspect: not a session string we know/);
  });
});

describe('sessiondeck convert / export / import', () => {
  it('convert never overwrites without --force and reports losses', async () => {
    const src = ferogramFile('conv.session');
    const out = join(dir, 'conv.sqlite');
    const first = await run(['convert', src, '--to', 'ferogram-sqlite', '-o', out]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('ferogram → ferogram-sqlite');
    const before = statSync(out).mtimeMs;
    const again = await run(['convert', src, '--to', 'ferogram-sqlite', '-o', out]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exists \(use --force/);
    expect(statSync(out).mtimeMs).toBe(before);
    const forced = await run(['convert', src, '--to', 'ferogram-sqlite', '-o', out, '--force']);
    expect(forced.code).toBe(0);
    // It holds auth keys: owner-only, like the binary and string outputs.
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const lossy = await run(['convert', src, '--to', 'ferogram-compact', '-o', join(dir, 'c.txt'), '--user-id', '42']);
    expect(lossy.code).toBe(0);
    expect(lossy.out).toMatch(/lost: .*peers dropped/);
    expect(lossy.out).toMatch(/given: user id 42/);
  });

  it('refuses when the target needs a field the source lacks, writing nothing', async () => {
    const src = ferogramFile('needs.session');
    const out = join(dir, 'needs.txt');
    const r = await run(['convert', src, '--to', 'ferogram-compact', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/needs the own user id.*--user-id/);
    expect(existsSync(out)).toBe(false);
  });

  it('export prints only the string on stdout; import writes it back', async () => {
    const src = ferogramFile('exp.session');
    const e = await run(['export', src, '--to', 'ferogram-string']);
    expect(e.code).toBe(0);
    expect(e.out).toBe(ferogramString.encode(fullSession()));
    const out = join(dir, 'imp.session');
    const i = await run(['import', '-', '--to', 'ferogram', '-o', out], e.out);
    expect(i.code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(src));
  });

  it('batch convert continues past a bad input and ends with a summary', async () => {
    const good = ferogramFile('good.session');
    const bad = join(dir, 'bad.session');
    writeFileSync(bad, Buffer.from([0x08, 1, 2]));
    const outDir = join(dir, 'batch');
    const r = await run(['convert', good, bad, '--to', 'ferogram-string', '-o', outDir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/1 converted, 1 failed: .*bad\.session/);
    expect(r.err).toMatch(/bad\.session: .*truncated/);
    expect(existsSync(join(outDir, 'good.txt'))).toBe(true);
    expect(existsSync(join(outDir, 'bad.txt'))).toBe(false);
  });
});

describe('the sessiondeck executable', () => {
  it('--help works on every command', () => {
    for (const cmd of ['inspect', 'convert', 'export', 'import', 'formats']) {
      const out = execFileSync('node', ['bin/sessiondeck.mjs', cmd, '--help'], { encoding: 'utf8' });
      expect(out).toContain(`sessiondeck ${cmd}`);
    }
  });

  it('errors are one line on stderr, exit status 1, no stack trace', () => {
    const r = spawnSync('node', ['bin/sessiondeck.mjs', 'inspect', join(dir, 'missing-dir', 'x')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no such file or folder/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('sessiondeck backup / verify / restore', () => {
  const env = { ...process.env, SESSIONDECK_PASSPHRASE: 'correct horse' };
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    spawnSync('node', ['bin/sessiondeck.mjs', ...args], { encoding: 'utf8', env: { ...env, ...extra } });

  it('round-trips through the CLI with the passphrase from the environment only', () => {
    const src = ferogramFile('bk.session');
    const archive = join(dir, 'bk.tar.age');
    expect(cli(['backup', src, '-o', archive]).status).toBe(0);
    const v = cli(['verify', archive]);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/OK, 1 session\(s\), 1 file\(s\) verified/);
    const bad = cli(['verify', archive], { SESSIONDECK_PASSPHRASE: 'wrong' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toMatch(/^sessiondeck verify: .*wrong passphrase/);
    const dest = join(dir, 'restored');
    expect(cli(['restore', archive, '-d', dest]).status).toBe(0);
    expect(readFileSync(join(dest, 'bk.session'))).toEqual(readFileSync(src));
  });

  it('without a passphrase and without a terminal it refuses in one line', () => {
    const r = spawnSync('node', ['bin/sessiondeck.mjs', 'verify', join(dir, 'x.tar.age')], {
      encoding: 'utf8',
      env: { ...process.env, SESSIONDECK_PASSPHRASE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('sessiondeck verify: no passphrase: set SESSIONDECK_PASSPHRASE or run in a terminal to be asked');
  });
});
