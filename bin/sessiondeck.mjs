#!/usr/bin/env node
// The `sessiondeck` command: the built CLI (out/cli, made by bin/build-cli.mjs on `npm install`
// and shipped in the package). A checkout without the build says how to make it.
import { existsSync } from 'node:fs';

const built = new URL('../out/cli/sessiondeck.mjs', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('sessiondeck: the CLI is not built yet: run `npm run build:cli` (npm install does it)\n');
  process.exit(1);
}
await import(built.href);
