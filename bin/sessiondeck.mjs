#!/usr/bin/env node
// The `sessiondeck` command: the CLI's TypeScript sources run through tsx's loader, so it works
// from a fresh checkout after `npm install` and from an installed package alike.
import { register } from 'tsx/esm/api';

register();
// `sessiondeck inspect … --peers | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
