/**
 * What the packaged app is built with (electron-builder.yml): Electron fuses flipped so the
 * binary cannot be turned into a Node runtime or debugged through the environment, the app
 * loaded only from its integrity-checked asar, and better-sqlite3's native module unpacked.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// js-yaml comes with electron-builder; it has no type declarations here.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  asar?: boolean;
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

  it('packs the app into an asar and unpacks better-sqlite3’s native module', () => {
    expect(config.asar).toBe(true);
    const unpack = config.asarUnpack ?? [];
    const native = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    expect(unpack.some((p) => globMatches(p, native))).toBe(true);
    expect(unpack.some((p) => globMatches(p, 'out/main/index.js'))).toBe(false);
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
