/**
 * Starts the web mode: the core worker + HTTP server, the given folders added to the library, the
 * address printed on a line of its own. Used by `sessiondeck serve`, `npm run web` and the
 * `npm start` fallback.
 */
import pkg from '../../package.json' with { type: 'json' };
import { CoreHost } from '../services/core-worker/host.js';
import { defaultAppDataDir } from '../services/app-data.js';
import { startWebServer, type WebServer } from './server.js';
import { RENDERER_DIR } from './ui-build.js';


export interface WebModeOptions {
  folders: string[];
  port?: number;
  appDataDir?: string;
  staticDir?: string;
  print?: (line: string) => void;
  /** Where a crash of the core is reported (one line; default stderr). */
  report?: (line: string) => void;
}

/**
 * The core runs in its worker thread; this thread only serves HTTP and relays, so the server
 * answers while a long job runs.
 */
export async function runWebMode(opts: WebModeOptions): Promise<{ web: WebServer; core: CoreHost; stop(): Promise<void> }> {
  let web: WebServer | undefined;
  // A folder that does not exist stops here, with one line, before anything listens.
  const core = await CoreHost.start({
    platform: {
      mode: 'web',
      appDataDir: opts.appDataDir ?? defaultAppDataDir(),
      version: pkg.version,
      emit: (name, payload) => web?.emit(name, payload),
    },
    folders: opts.folders,
    report: opts.report ?? ((line) => process.stderr.write(`${line}\n`)),
  });
  try {
    web = await startWebServer(core.dispatch, { port: opts.port, staticDir: opts.staticDir ?? RENDERER_DIR });
  } catch (e) {
    await core.dispose();
    throw e;
  }
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  print(web.url);
  const server = web;
  return {
    web: server,
    core,
    stop: async () => {
      await core.dispose();
      await server.close();
    },
  };
}
