/** The `sessiondeck` process: what bin/sessiondeck.mjs runs (built into out/cli by bin/build-cli.mjs). */
import { main } from './main.js';

// `sessiondeck inspect … --peers | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
process.exitCode = await main(process.argv.slice(2));
