/**
 * The published package as a user gets it: `npm pack` of the built CLI and UI (built here as
 * prepack builds them: the CLI by the test run's setup, the UI below; packed without running
 * prepack again, which would rebuild out/cli under the other tests' feet), then a
 * global install of the tarball into a temporary prefix (its dependencies from npm's cache,
 * better-sqlite3 built for this Node). The installed `sessiondeck` runs without tsx anywhere:
 * the package ships the built CLI, not TypeScript.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { ensureRendererBuilt } from '../../electron/server/ui-build.js';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import { tempDir } from '../helpers/format-io.js';
import { oneDcSession } from '../helpers/sessions.js';

const dir = tempDir('sd-npm-package-');
const npm = (args: string[], cwd = process.cwd()) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the npm package', () => {
  it('packs the built CLI and UI only, and a global install runs sessiondeck without tsx', { timeout: 600_000 }, () => {
    ensureRendererBuilt(() => undefined);
    const pack = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir])) as { filename: string; files: { path: string }[] }[];
    const files = pack[0]!.files.map((f) => f.path);
    expect(files).toContain('out/cli/sessiondeck.mjs');
    expect(files).toContain('out/renderer/index.html');
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    const prefix = join(dir, 'global');
    npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, pack[0]!.filename)]);
    const installed = join(prefix, 'lib', 'node_modules', 'session-deck');
    expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).dependencies.tsx).toBeUndefined();
    expect(existsSync(join(installed, 'node_modules', 'tsx'))).toBe(false);
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['session-deck']);

    const file = join(dir, 'a.session');
    writeOutput(telethonSqlite, oneDcSession(5, 42n), file);
    const r = spawnSync(join(prefix, 'bin', 'sessiondeck'), ['inspect', file, '--json'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'telethon', homeDc: 2, user: { id: '42' } });
  });
});
