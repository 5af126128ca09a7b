/**
 * The app's data folder (settings, library, index cache, backups, web-mode trash): the same
 * place Electron's userData uses for "Session Deck", so both modes share one library.
 * SESSIONDECK_DATA_DIR overrides it (tests, portable use).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Session Deck';

export function defaultAppDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SESSIONDECK_DATA_DIR) return env.SESSIONDECK_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}
