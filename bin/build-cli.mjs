#!/usr/bin/env node
// Builds the CLI (and the web mode it serves) into out/cli with esbuild: our TypeScript as
// plain ES modules, one chunk per command loaded on demand, every npm package left external
// (installed beside it; better-sqlite3 is native). A built CLI starts in a fraction of the
// time tsx needs to compile the sources on every run. `npm install` runs it (prepare).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildCli() {
  // Chunk names carry content hashes: the last build's would linger (and ship) beside the new.
  rmSync(`${root}out/cli`, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    // main: the same CLI as a module (bin/web.mjs calls it in-process).
    // core-worker: the thread the web mode's handlers run in (core-worker/host.ts finds it by file).
    entryPoints: { sessiondeck: 'electron/cli/entry.ts', main: 'electron/cli/main.ts', 'core-worker': 'electron/services/core-worker/entry.ts' },
    outdir: 'out/cli',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli();
