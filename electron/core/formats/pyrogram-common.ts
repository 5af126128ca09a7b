/**
 * What Pyrogram's SQLite files and strings share (spec §3): the DC address Pyrogram derives
 * from dc_id + test_mode (it stores no address), and the fields every Pyrogram
 * session must carry. Pyrogram treats a session with a NULL test_mode, auth_key, user_id or
 * is_bot as empty and silently makes a new auth key, so a writer refuses instead of guessing.
 */
import { SessionError } from '../errors.js';
import type { Session } from '../model/session.js';
import { homeDcEntry } from '../model/session.js';
import { PRODUCTION_DCS, PRODUCTION_PORT, TEST_DCS, TEST_PORT, testModeFromAddress } from '../model/dc-table.js';

/** The address Pyrogram connects to for a DC (data_center.py), or undefined when it has none. */
export function pyrogramDcAddress(dcId: number, testMode: boolean): { address: string; port: number } | undefined {
  const address = (testMode ? TEST_DCS : PRODUCTION_DCS)[dcId];
  if (address === undefined) return undefined;
  return { address, port: testMode ? TEST_PORT : PRODUCTION_PORT };
}

export interface PyrogramCore {
  dcId: number;
  testMode: boolean;
  authKey: Uint8Array;
  userId: bigint;
  isBot: boolean;
  apiId: number | undefined;
}

/**
 * The fields a Pyrogram session cannot be written without, or one 'missing-field' error
 * naming every absent one. Test mode, when the model does not say, is inferred from the
 * home DC address as detection does; an address in neither table (a proxy, a custom IP)
 * counts as production, since Pyrogram must store 0 or 1 there.
 */
export function pyrogramCore(s: Session, target: string, needApiId: boolean): PyrogramCore {
  const dc = homeDcEntry(s);
  const missing: string[] = [];
  const flags: string[] = [];
  if (!dc?.authKey) missing.push(`an auth key for the home DC ${s.homeDc}`);
  if (s.user === undefined) {
    missing.push('the user id');
    flags.push('--user-id');
  }
  if (s.user?.isBot === undefined) {
    missing.push('whether the account is a bot');
    flags.push('--bot');
  }
  if (needApiId && s.apiId === undefined) {
    missing.push('the api_id');
    flags.push('--api-id');
  }
  if (missing.length > 0) {
    const hint = flags.length > 0 ? ` (give ${flags.join(' / ')})` : '';
    throw new SessionError('missing-field', `${target} needs ${missing.join(', ')}${hint}`);
  }
  const authKey = dc!.authKey!;
  if (authKey.length !== 256) {
    throw new SessionError('malformed', `the home DC auth key has ${authKey.length} bytes, not 256`);
  }
  const testMode = s.testMode ?? testModeFromAddress(dc!.address) ?? false;
  if (pyrogramDcAddress(s.homeDc, testMode) === undefined) {
    throw new SessionError('unsupported', `Pyrogram has no ${testMode ? 'test' : 'production'} DC ${s.homeDc}`);
  }
  if (s.user!.id < 0n) throw new SessionError('malformed', `user id ${s.user!.id} is negative`);
  if (s.apiId !== undefined && (!Number.isInteger(s.apiId) || s.apiId < 0 || s.apiId > 0xffffffff)) {
    throw new SessionError('malformed', `api_id ${s.apiId} does not fit an unsigned 32-bit integer`);
  }
  return { dcId: s.homeDc, testMode, authKey, userId: s.user!.id, isBot: s.user!.isBot!, apiId: s.apiId };
}
