/**
 * The account channels: a session's labels and note (kept by its login's fingerprint, so they
 * follow it through renames, copies and conversions) and the Reveal of its sidecar's 2FA
 * password, the one reply that carries it.
 */
import { resolve } from 'node:path';
import { loginKeyOf } from '../core/accounts/login-key.js';
import { SessionError } from '../core/errors.js';
import { readInput } from '../core/formats/detect.js';
import { storeRefOf } from '../core/store/session-refs.js';
import type { Library } from '../core/library/library.js';
import { isJsonName, loadSidecar, readSidecarFile } from '../core/sidecar/files.js';
import type { Handlers } from './handlers.js';

type AccountChannels = 'labels.set' | 'sidecar.reveal2fa';

/** The login fingerprint of a session: from the library's scan, else read from the file. */
export function loginKeyAt(library: Library, path: string): string {
  const known = library.entry(path);
  const key = known ? known.authKeyId : loginKeyOf(readInput(path, { skipPeers: true }).session);
  if (key === null) throw new SessionError('missing-field', `${path}: holds no auth key for its home DC, so there is no login to label`);
  return key;
}

export function accountHandlers(library: Library): Pick<Handlers, AccountChannels> {
  return {
    'labels.set': ({ path, labels, note }) => {
      const r = library.labels.set(loginKeyAt(library, storeRefOf(path) ? path : resolve(path)), { labels, note });
      return { labels: r.labels, note: r.note };
    },
    'sidecar.reveal2fa': ({ path }) => {
      const abs = resolve(path);
      // The session's path, or the sidecar's own (the entry carries both).
      const sidecar = isJsonName(abs) ? readSidecarFile(abs) : loadSidecar(abs)?.sidecar;
      if (!sidecar) throw new SessionError('not-found', `${path}: has no sidecar that reads`);
      if (sidecar.twoFa === undefined) throw new SessionError('not-found', `${path}: its sidecar holds no 2FA password`);
      return { text: sidecar.twoFa };
    },
  };
}
