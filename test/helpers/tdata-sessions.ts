/** The tdata tests' fixtures (Telegram Desktop 5.8.3 folders in ../shared) and sessions. */
import { join } from 'node:path';
import { emptySession, makeDc, type Session } from '../../electron/core/model/session.js';
import { fakeKey } from './sessions.js';

/** simple, passcode (123123) and multiacc, with what each holds in expected.json. */
export const TDATA_FIXTURES = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'tdata');

/** A user id, a home DC and a key per listed DC (distinct per user and DC). */
export function tdataSession(userId: bigint, home: number, dcs: number[]): Session {
  const s = emptySession();
  s.homeDc = home;
  s.dcs = dcs.map((id) => makeDc({ id, address: '149.154.167.51', port: 443, authKey: fakeKey(Number(userId % 100_000n) * 10 + id) }));
  s.user = { id: userId };
  return s;
}
