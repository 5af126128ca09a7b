/**
 * IPC registration from the contract, in a loop: every channel is `deck:<name>`, every call is
 * checked to come from our own page (the top frame of our file:// or dev URL) and then goes
 * through the same `dispatch` as the web mode (payload validation, one-line errors).
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../../shared/contract.js';
import { dispatch, type Handlers } from '../services/services.js';

export function isTrustedUrl(url: string, rendererUrl: string): boolean {
  try {
    const u = new URL(url);
    const ours = new URL(rendererUrl);
    if (ours.protocol === 'file:') return u.protocol === 'file:' && u.pathname === ours.pathname;
    return u.origin === ours.origin;
  } catch {
    return false;
  }
}

export function registerIpc(handlers: Handlers, rendererUrl: string): void {
  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(`deck:${name}`, async (event: IpcMainInvokeEvent, payload: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedUrl(frame.url, rendererUrl)) {
        return { ok: false, error: 'refused: the request did not come from Session Deck', code: 'forbidden' };
      }
      return dispatch(handlers, name, payload);
    });
  }
}
