/**
 * The only bridge between the sandboxed renderer and the main process: window.deck.<channel>
 * for every channel of the contract (generated in a loop), invoke() and on() for events, and
 * pathForFile() for files dropped on the window (Electron gives a dropped File's path only
 * here). No Node, no ipcRenderer, nothing else crosses.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/contract.js';

const invoke = (channel: string, payload: unknown): Promise<unknown> => {
  if (!(CHANNEL_NAMES as string[]).includes(channel)) return Promise.resolve({ ok: false, error: `unknown channel "${channel}"`, code: 'unknown-channel' });
  return ipcRenderer.invoke(`deck:${channel}`, payload);
};

const api: Record<string, unknown> = {
  invoke,
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!(EVENT_NAMES as string[]).includes(event)) return () => undefined;
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(`deck-event:${event}`, wrapped);
    return () => ipcRenderer.removeListener(`deck-event:${event}`, wrapped);
  },
  /** The path of a File from a drop event ('' for anything that is not a local file). */
  pathForFile(file: File): string {
    return file instanceof File ? webUtils.getPathForFile(file) : '';
  },
};
for (const name of CHANNEL_NAMES) api[name] = (payload: unknown) => invoke(name, payload);

contextBridge.exposeInMainWorld('deck', api);
