/**
 * The Electron main process: one instance, one locked-down window, the contract's handlers
 * over IPC (relayed to the core worker), native dialogs, the main-process clipboard, the OS
 * trash, the application menu. Everything that touches sessions lives in ../services and
 * ../core (plain Node), in the worker thread.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeTheme, safeStorage, session, shell } from 'electron';
import { CSP } from '../server/csp.js';
import { APP_NAME, defaultAppDataDir } from '../services/app-data.js';
import { CoreHost } from '../services/core-worker/host.js';
import { allowNavigation, permissionAllowed, windowOpenDecision } from './guards.js';
import { registerIpc, themeInReply } from './ipc.js';
import { buildMenu } from './menu.js';
import { windowOptions } from './window-options.js';
import { loadWindowState, trackWindowState } from './window-state.js';

const here = dirname(fileURLToPath(import.meta.url));
const RENDERER_URL = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(join(here, '../renderer/index.html')).href;
const devTools = !app.isPackaged;

app.setName(APP_NAME);
app.setPath('userData', defaultAppDataDir());

/** A better-sqlite3 built for Electron's ABI, when the developer made one (npm run rebuild:electron); the core worker loads it. */
function electronSqliteBuild(): string | undefined {
  const candidates = [process.env.SESSIONDECK_SQLITE_BINDING, join(app.getAppPath(), 'node_modules/better-sqlite3/build-electron/Release/better_sqlite3.node')];
  const found = candidates.find((p): p is string => p !== undefined && existsSync(p));
  if (!found) console.error('better-sqlite3 has no build for Electron here (npm run rebuild:electron): SQLite sessions will not open');
  return found;
}

let win: BrowserWindow | null = null;
let core: CoreHost | undefined;

function createWindow(): BrowserWindow {
  const dataDir = app.getPath('userData');
  const state = loadWindowState(dataDir);
  const w = new BrowserWindow(
    windowOptions({ bounds: state, preload: join(here, '../preload/index.cjs'), dark: nativeTheme.shouldUseDarkColors, devTools }),
  );
  if (state.maximized) w.maximize();
  trackWindowState(w, dataDir);
  w.once('ready-to-show', () => w.show());

  // Our page only: no navigation away, no new windows; allow-listed links open in the browser.
  w.webContents.on('will-navigate', (e, url) => {
    if (!allowNavigation(url, RENDERER_URL)) e.preventDefault();
  });
  w.webContents.on('will-redirect', (e, url) => {
    if (!allowNavigation(url, RENDERER_URL)) e.preventDefault();
  });
  w.webContents.setWindowOpenHandler(({ url }) => {
    const { action, openExternally } = windowOpenDecision(url);
    if (openExternally) void shell.openExternal(openExternally);
    return { action };
  });
  w.webContents.on('will-attach-webview', (e) => e.preventDefault());
  void w.loadURL(RENDERER_URL);
  return w;
}

function lockDownSession(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((wc, permission, done, details) => done(permissionAllowed(permission, details.requestingUrl ?? wc.getURL(), RENDERER_URL)));
  s.setPermissionCheckHandler((wc, permission, requestingOrigin, details) =>
    permissionAllowed(permission, details.requestingUrl ?? wc?.getURL() ?? requestingOrigin, RENDERER_URL),
  );
  s.webRequest.onHeadersReceived((details, done) => {
    done({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  const started = app.whenReady().then(async () => {
    lockDownSession();
    mkdirSync(app.getPath('userData'), { recursive: true });
    // Folders given on the command line join the library (`npm start -- folders…`).
    const folders = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('-') && existsSync(a));
    // The handlers run in the core's worker thread; this process keeps the window, menus,
    // dialogs, the clipboard and the keychain, which the worker calls back for.
    core = await CoreHost.start({
      platform: {
        mode: 'electron',
        appDataDir: app.getPath('userData'),
        version: app.getVersion(),
        emit: (name, payload) => win?.webContents.send(`deck-event:${name}`, payload),
        clipboard: { readText: () => clipboard.readText(), writeText: (t) => clipboard.writeText(t) },
        trashItem: (p) => shell.trashItem(p),
        // The automatic-backup passphrase is sealed with the OS keychain where there is one.
        seal: safeStorage.isEncryptionAvailable()
          ? { seal: (t) => safeStorage.encryptString(t), open: (b) => safeStorage.decryptString(b) }
          : undefined,
        openDialog: async (kind) => {
          const r = await dialog.showOpenDialog(win!, {
            properties: kind === 'folder' ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
          });
          return r.canceled ? [] : r.filePaths;
        },
        saveDialog: async (defaultPath) => {
          const r = await dialog.showSaveDialog(win!, { defaultPath });
          return r.canceled || !r.filePath ? null : r.filePath;
        },
      },
      folders,
      sqliteBinding: electronSqliteBuild(),
      report: (line) => console.error(line),
    });
    registerIpc(ipcMain, core.dispatch, RENDERER_URL, (name, reply) => {
      const theme = themeInReply(name, reply);
      if (theme) nativeTheme.themeSource = theme;
    });
    Menu.setApplicationMenu(buildMenu(() => win, devTools));
    win = createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) win = createWindow();
    });
  });
  // The core could not start (its data folder unreadable, a build without its worker): say so, then quit.
  started.catch((e: unknown) => {
    dialog.showErrorBox('Session Deck cannot start', (e as Error).message.split('\n')[0] ?? String(e));
    app.quit();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // On quit the clipboard is cleared if it still holds a string we copied (the core does it on dispose).
  let disposed = false;
  app.on('will-quit', (e) => {
    if (disposed || !core) return;
    e.preventDefault();
    disposed = true;
    void core.dispose().finally(() => app.quit());
  });
}
