/**
 * Starts the web mode: services + HTTP server, the given folders added to the library, the
 * address printed on a line of its own. Used by `sessiondeck serve`, `npm run web` and the
 * `npm start` fallback.
 */
import pkg from '../../package.json' with { type: 'json' };
import { createServices, type Services } from '../services/services.js';
import { defaultAppDataDir } from '../services/app-data.js';
import { startWebServer, type WebServer } from './server.js';
import { RENDERER_DIR } from './ui-build.js';


export interface WebModeOptions {
  folders: string[];
  port?: number;
  appDataDir?: string;
  staticDir?: string;
  print?: (line: string) => void;
}

export async function runWebMode(opts: WebModeOptions): Promise<{ web: WebServer; services: Services; stop(): Promise<void> }> {
  let web: WebServer | undefined;
  const services = createServices({
    mode: 'web',
    appDataDir: opts.appDataDir ?? defaultAppDataDir(),
    version: pkg.version,
    emit: (name, payload) => web?.emit(name, payload),
  });
  // A folder that does not exist stops here, with one line, before anything listens.
  if (opts.folders.length > 0) services.library.add(opts.folders);
  web = await startWebServer(() => services.handlers, { port: opts.port, staticDir: opts.staticDir ?? RENDERER_DIR });
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  print(web.url);
  void services.start().catch(() => undefined);
  const server = web;
  return {
    web: server,
    services,
    stop: async () => {
      await services.dispose();
      await server.close();
    },
  };
}
