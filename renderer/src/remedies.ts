/**
 * What a user can do about a refused call, by the error code the core gave it: one table for
 * every dialog, so "locked" offers a retry and a wrong passphrase puts the cursor back in its
 * field wherever they happen. A code without an entry is shown as its line alone.
 */
import { ApiError } from './api.js';

export interface Failure {
  message: string;
  /** The core's error code; null for a problem the dialog itself found. */
  code: string | null;
}

/** A thrown value as a failure: the main process's code where it came from there. */
export const failureOf = (e: unknown): Failure => ({ message: (e as Error).message, code: e instanceof ApiError ? e.code : null });

export interface Remedy {
  /** One more sentence under the error line: what to do. */
  hint: string;
  /** The same call may well work once the user has done that: offer a Retry button. */
  retry?: true;
  /** The secret typed (passphrase, passcode, password) was wrong: focus its field, selected. */
  retype?: true;
}

const REMEDIES: Readonly<Record<string, Remedy>> = {
  locked: { hint: 'Another program has it open (a running bot, Telegram Desktop): stop it, then retry.', retry: true },
  unreachable: { hint: 'Check that the server runs and the address is right, then retry.', retry: true },
  offline: { hint: 'Start Session Deck again, then retry.', retry: true },
  'core-crashed': { hint: 'Session Deck restarted its engine; nothing was half-written. Retry.', retry: true },
  'bad-passphrase': { hint: 'Type the passphrase again: it is the one the backup was made with.', retype: true },
  'bad-passcode': { hint: 'Type the passcode again: it is the one Telegram Desktop asks for when it starts.', retype: true },
  'bad-password': { hint: 'Type the password again, or put it in the URL.', retype: true },
  'needs-password': { hint: 'This server wants a password: type it, or put it in the URL.', retype: true },
};

export function remedyOf(code: string | null): Remedy | null {
  return code === null ? null : (REMEDIES[code] ?? null);
}
