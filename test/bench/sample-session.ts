/** A small complete session (home DC with a key, own user, api id) for the bench scenarios. */
import { randomBytes } from 'node:crypto';
import { emptySession, makeDc, type Session } from '../../electron/core/model/session.js';

export function sampleSession(i: number): Session {
  const s = emptySession();
  s.homeDc = 2;
  s.dcs = [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: new Uint8Array(randomBytes(256)) })];
  s.user = { id: 5_000_000_000n + BigInt(i), isBot: false };
  s.apiId = 12345;
  s.testMode = false;
  return s;
}
