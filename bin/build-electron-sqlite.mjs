#!/usr/bin/env node
// `npm run rebuild:electron`: better-sqlite3 built for the installed Electron's ABI, into
// node_modules/better-sqlite3/build-electron/ (the main process loads it with the
// `nativeBinding` option). The Node build in build/ is never touched, so `npm test` keeps
// working whatever happens here. The build runs in a temporary copy of the package: first a
// prebuilt binary (prebuild-install), else a compile against Electron's headers (node-gyp).
// Either needs the network; on failure it says so in one line and changes nothing.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(root, 'package.json'));

/** Where the Electron build goes, and the file naming the Electron version it was built for. */
export function electronSqliteBuild() {
  const pkg = dirname(require.resolve('better-sqlite3/package.json'));
  const dir = join(pkg, 'build-electron', 'Release');
  return { pkg, binding: join(dir, 'better_sqlite3.node'), stamp: join(dir, 'electron-version') };
}

export function installedElectronVersion() {
  return JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
}

/** Whether a build for this exact Electron version is already there. */
export function electronSqliteReady() {
  const { binding, stamp } = electronSqliteBuild();
  return existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === installedElectronVersion();
}

/** The one line of a failed tool's output that says why. */
function why(output) {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.some((l) => /network connectivity/.test(l))) return 'could not download the Electron headers';
  const code = lines.map((l) => /\b(?:getaddrinfo |connect )?E[A-Z]{4,}\b.*/.exec(l)?.[0]).find(Boolean);
  const stack = lines.map((l) => /stack Error: (.*)/.exec(l)?.[1]).find(Boolean);
  return code ?? stack ?? lines.findLast((l) => /err/i.test(l)) ?? lines.at(-1) ?? 'no output';
}

/** The environment without npm's nodedir (this machine's npmrc points it at Node's headers: a build against them would be for Node's ABI). */
function buildEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(k)) delete env[k];
  return env;
}

function run(script, args, cwd) {
  const r = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', env: buildEnv() });
  return { ok: r.status === 0, why: r.error?.message ?? why(`${r.stdout ?? ''}${r.stderr ?? ''}`) };
}

/** npm's own node-gyp when run through npm, else the one installed beside us. */
const nodeGyp = () => process.env.npm_config_node_gyp || require.resolve('node-gyp/bin/node-gyp.js');

/** Builds it; returns an error line, or undefined on success. */
export function buildElectronSqlite() {
  const { pkg, binding, stamp } = electronSqliteBuild();
  const version = installedElectronVersion();
  const work = mkdtempSync(join(tmpdir(), 'sd-electron-sqlite-'));
  try {
    for (const part of ['package.json', 'binding.gyp', 'src', 'deps']) cpSync(join(pkg, part), join(work, part), { recursive: true });
    const target = ['--runtime=electron', `--target=${version}`, `--arch=${process.arch}`];
    const prebuilt = run(require.resolve('prebuild-install/bin.js'), target, work);
    const headers = process.env.SESSIONDECK_ELECTRON_HEADERS_URL ?? 'https://electronjs.org/headers';
    const built = prebuilt.ok ? prebuilt : run(nodeGyp(), ['rebuild', '--release', ...target, `--dist-url=${headers}`], work);
    const made = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (!built.ok || !existsSync(made)) return `no prebuilt binary (${prebuilt.why}) and the compile failed (${built.why})`;
    // A module Node itself can load was built for Node's ABI, whatever was asked.
    const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(made)})`], { encoding: 'utf8' });
    if (probe.status === 0) return "the build came out for Node's ABI, not Electron's";
    mkdirSync(dirname(binding), { recursive: true });
    // Renamed into place, so a reader never sees half a library.
    cpSync(made, `${binding}.tmp`);
    renameSync(`${binding}.tmp`, binding);
    writeFileSync(stamp, `${version}\n`);
    return undefined;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const version = installedElectronVersion();
  if (electronSqliteReady() && !process.argv.includes('--force')) {
    console.log(`better-sqlite3 for Electron ${version} is already built: ${electronSqliteBuild().binding}`);
  } else {
    const error = buildElectronSqlite();
    if (error) {
      process.stderr.write(`Could not build better-sqlite3 for Electron ${version}: ${error}.\n`);
      process.exit(1);
    }
    console.log(`built better-sqlite3 for Electron ${version}: ${electronSqliteBuild().binding}`);
  }
}
