#!/usr/bin/env node
// `npm run web -- [folders…] [--port N]`: `sessiondeck serve` from a checkout, the CLI rebuilt
// first (its sources may be newer than the last build); serve builds the UI when needed.
import { pathToFileURL } from 'node:url';
import { buildCli } from './build-cli.mjs';

export async function serve(args) {
  await buildCli();
  const { main } = await import('../out/cli/main.mjs');
  process.exitCode = await main(['serve', ...args]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await serve(process.argv.slice(2));
