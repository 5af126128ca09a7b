/** Sessions for the tdata tests: a user id, a home DC and a key per listed DC (distinct per user and DC). */
import { emptySession, makeDc, type Session } from '../../electron/core/model/session.js';
import { fakeKey } from './sessions.js';

export function tdataSession(userId: bigint, home: number, dcs: number[]): Session {
  const s = emptySession();
  s.homeDc = home;
  s.dcs = dcs.map((id) => makeDc({ id, address: '149.154.167.51', port: 443, authKey: fakeKey(Number(userId % 100_000n) * 10 + id) }));
  s.user = { id: userId };
  return s;
}
