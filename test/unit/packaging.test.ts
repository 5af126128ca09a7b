/**
 * What the packaged app is built with (electron-builder.yml): Electron fuses flipped so the
 * binary cannot be turned into a Node runtime or debugged through the environment, the app
 * loaded only from its integrity-checked asar, and better-sqlite3's native module unpacked;
 * and how that module gets its Electron-ABI build without touching the Node one.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// js-yaml comes with electron-builder; it has no type declarations here.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  asar?: boolean;
  npmRebuild?: boolean;
  asarUnpack?: string[];
  electronFuses?: Record<string, boolean>;
  files?: string[];
  linux?: { target?: string[] };
  mac?: { target?: string };
  win?: { target?: string };
}

const config = yaml.load(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as BuilderConfig;

/** A tiny glob → RegExp for the patterns electron-builder uses here (**, *). */
function globMatches(pattern: string, path: string): boolean {
  const re = pattern
    .split(/(\*\*\/|\*\*|\*)/)
    .map((part) => (part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}$`).test(path);
}

describe('electron-builder.yml', () => {
  it('flips the Electron fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('packs the app into an asar and unpacks better-sqlite3’s Electron build, shipping neither its sources nor its Node build', () => {
    expect(config.asar).toBe(true);
    const unpack = config.asarUnpack ?? [];
    const native = 'node_modules/better-sqlite3/build-electron/Release/better_sqlite3.node';
    expect(unpack.some((p) => globMatches(p, native))).toBe(true);
    expect(unpack.some((p) => globMatches(p, 'out/main/index.js'))).toBe(false);
    const excluded = (path: string) => (config.files ?? []).some((p) => p.startsWith('!') && globMatches(p.slice(1), path));
    expect(excluded(native)).toBe(false);
    for (const path of ['node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'node_modules/better-sqlite3/deps/sqlite3/sqlite3.c', 'node_modules/better-sqlite3/src/better_sqlite3.cpp']) {
      expect(excluded(path)).toBe(true);
    }
  });

  it('never rebuilds native modules in place (that would swap the Node build the tests use); dist builds the Electron one beside it first', () => {
    expect(config.npmRebuild).toBe(false);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['dist']).toMatch(/^node bin\/build-electron-sqlite\.mjs && /);
    expect(pkg.scripts['rebuild:electron']).toBe('node bin/build-electron-sqlite.mjs');
  });

  it('ships the built app only, never sources or tests', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**', '!test/**', '!electron/**', '!renderer/**']));
  });

  it('builds AppImage and deb, dmg, nsis', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
  });
});

describe('bin/build-electron-sqlite.mjs', () => {
  const req = createRequire(import.meta.url);
  const pkg = dirname(req.resolve('better-sqlite3/package.json'));
  const nodeBuild = join(pkg, 'build/Release/better_sqlite3.node');
  const electronBuild = join(pkg, 'build-electron/Release/better_sqlite3.node');
  const digest = (p: string) => (existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'absent');

  it('without a way to get the build, says why in one line and changes nothing: the Node build stays, no temp copy is left', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'sd-rebuild-test-'));
    try {
      const before = [digest(nodeBuild), digest(electronBuild)];
      // Both sources unreachable (a closed loopback port) and no cached headers: the failure path, offline.
      const r = spawnSync(process.execPath, ['bin/build-electron-sqlite.mjs', '--force'], {
        encoding: 'utf8',
        env: {
          ...process.env,
          TMPDIR: tmp,
          npm_config_better_sqlite3_binary_host: 'http://127.0.0.1:59999',
          npm_config_devdir: join(tmp, 'headers'),
          npm_config_node_gyp: '',
          SESSIONDECK_ELECTRON_HEADERS_URL: 'http://127.0.0.1:59999',
        },
      });
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(/^Could not build better-sqlite3 for Electron \d+\.\d+\.\d+: no prebuilt binary \(.*ECONNREFUSED.*\) and the compile failed \(.+\)\.$/);
      expect([digest(nodeBuild), digest(electronBuild)]).toEqual(before);
      expect(readdirSync(tmp).filter((f) => f.startsWith('sd-electron-sqlite-'))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
