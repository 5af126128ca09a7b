/**
 * Range checks shared by the strict decoders and the writers: a value outside these is
 * either another library's data (decode fails) or would be silently wrapped (write refuses).
 */
import { SessionError } from '../errors.js';
import type { DcEntry } from '../model/session.js';

export const AUTH_KEY_LEN = 256;

/** DC ids are small positive numbers; every format here stores them in one unsigned byte or more. */
export function checkDcId(id: number, what: string, max = 255): number {
  if (!Number.isInteger(id) || id < 1 || id > max) {
    throw new SessionError('malformed', `${what} has DC id ${id}, outside 1..${max}`);
  }
  return id;
}

export function checkPort(port: number, what: string, max = 65535): number {
  if (!Number.isInteger(port) || port < 1 || port > max) {
    throw new SessionError('malformed', `${what} has port ${port}, outside 1..${max}`);
  }
  return port;
}

/** The auth key a writer needs, or a one-line refusal naming the DC. */
export function requireAuthKey(dc: DcEntry | undefined, homeDc: number, target: string): Uint8Array {
  if (!dc?.authKey) {
    throw new SessionError('missing-field', `${target} needs an auth key, and the home DC ${homeDc} has none`);
  }
  if (dc.authKey.length !== AUTH_KEY_LEN) {
    throw new SessionError('malformed', `DC ${dc.id} has an auth key of ${dc.authKey.length} bytes, not ${AUTH_KEY_LEN}`);
  }
  return dc.authKey;
}

/** A host as the libraries accept it: an IP literal or a DNS name, printable ASCII only. */
export function isHostText(host: string): boolean {
  return /^[A-Za-z0-9.:-]+$/.test(host) && host.length <= 253;
}
