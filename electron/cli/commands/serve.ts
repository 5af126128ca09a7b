import { SessionError } from '../../core/errors.js';
import { runWebMode } from '../../server/run.js';
import { ensureRendererBuilt } from '../../server/ui-build.js';
import { parse, str, type Command } from '../args.js';

export const serveCommand: Command = {
  usage: `sessiondeck serve [folders | store URLs…] [--port N]

  folders…       add these folders (or files, or store URLs) to the library
  --port N       listen on this port (default: a free one)
  --data-dir D   the app data folder (default: the desktop app's)

Prints the address (with its token) on a line of its own; stop with Ctrl-C.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { port: { type: 'string' }, 'data-dir': { type: 'string' } });
    const portText = str(values, 'port');
    if (portText !== undefined && (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535)) {
      throw new SessionError('usage', `--port must be a port number, not "${portText}"`);
    }
    ensureRendererBuilt(io.err);
    const app = await runWebMode({
      folders: positionals,
      port: portText === undefined ? undefined : Number(portText),
      appDataDir: str(values, 'data-dir'),
      print: io.out,
    });
    await new Promise<void>((done) => {
      const stop = () => void app.stop().then(done);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
