/**
 * IPC registration from the contract, in a loop: every channel is `deck:<name>`; nothing else
 * is registered, so Electron itself refuses any other channel. Every call must come from our
 * own top-level page with exactly one payload, and then goes through the same `dispatch` as
 * the web mode (to the core worker: payload validation, one-line errors). No Electron import at runtime: the
 * caller passes ipcMain, and a test passes a fake.
 */
import type { IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES, type ChannelName, type Envelope, type Res, type Settings } from '../../shared/contract.js';
import type { Dispatch } from '../services/handlers.js';
import { senderRefusal, type SenderFrame } from './guards.js';

export const IPC_PREFIX = 'deck:';

/** What the check reads of an invoke event (IpcMainInvokeEvent has it). */
export interface InvokeEvent {
  senderFrame: SenderFrame | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
}

/** Told of every reply the renderer gets (the shell follows the settings in them). */
export type OnReply = (name: ChannelName, reply: Envelope<unknown>) => void;

export function ipcHandler(dispatch: Dispatch, name: ChannelName, rendererUrl: string, onReply?: OnReply) {
  return async (event: InvokeEvent, ...args: unknown[]): Promise<Envelope<unknown>> => {
    const refused = senderRefusal(event.senderFrame, rendererUrl);
    if (refused) return { ok: false, error: refused, code: 'forbidden' };
    if (args.length !== 1) return { ok: false, error: `${name}: bad payload (expected one argument)`, code: 'bad-request' };
    const reply = await dispatch(name, args[0]);
    onReply?.(name, reply);
    return reply;
  };
}

/** Registers one handler per contract channel; returns the channel names registered. */
export function registerIpc(ipc: IpcMainLike, dispatch: Dispatch, rendererUrl: string, onReply?: OnReply): string[] {
  return CHANNEL_NAMES.map((name) => {
    const channel = `${IPC_PREFIX}${name}`;
    ipc.handle(channel, ipcHandler(dispatch, name, rendererUrl, onReply));
    return channel;
  });
}

/**
 * The theme a reply carries (the settings come with app.info and settings.set), for Electron's
 * nativeTheme.themeSource: native menus, dialogs and the title bar then follow the setting.
 */
export function themeInReply(name: ChannelName, reply: Envelope<unknown>): Settings['theme'] | undefined {
  if (!reply.ok) return undefined;
  if (name === 'app.info') return (reply.data as Res<'app.info'>).settings.theme;
  if (name === 'settings.set') return (reply.data as Res<'settings.set'>).theme;
  return undefined;
}
