/** The application menu: the usual roles plus our dialogs, with their shortcuts. */
import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../../shared/contract.js';

export function buildMenu(getWindow: () => BrowserWindow | null, devTools: boolean): Menu {
  const send = (action: EventPayload<'menu'>['action']) => getWindow()?.webContents.send('deck-event:menu', { action });
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Add Folder or File…', accelerator: 'CmdOrCtrl+O', click: () => send('add') },
        { label: 'Import Session String…', accelerator: 'CmdOrCtrl+I', click: () => send('import') },
        { type: 'separator' },
        { label: isMac ? 'Settings…' : 'Preferences…', accelerator: 'CmdOrCtrl+,', click: () => send('settings') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Find…', accelerator: 'CmdOrCtrl+K', click: () => send('finder') },
        { type: 'separator' },
        { role: 'reload' },
        ...(devTools ? [{ role: 'toggleDevTools' as const }] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: `Session Deck ${app.getVersion()}`, enabled: false }] },
  ];
  return Menu.buildFromTemplate(template);
}
