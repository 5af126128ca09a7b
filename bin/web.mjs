#!/usr/bin/env node
// `npm run web -- [folders…] [--port N]`: `sessiondeck serve`, which builds the UI first when needed.
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();

export async function serve(args) {
  const { main } = await import('../electron/cli/main.ts');
  process.exitCode = await main(['serve', ...args]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await serve(process.argv.slice(2));
