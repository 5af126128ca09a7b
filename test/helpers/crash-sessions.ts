/**
 * The old and new session of the crash-safety test, per output format: they differ in DCs,
 * keys and peer count (so a mix of the two is visible). Small: the test does 400 kills.
 */
import { projectSession } from '../../electron/core/convert/project.js';
import { ferogramCapabilities } from '../../electron/core/formats/ferogram-binary.js';
import { telethonCapabilities } from '../../electron/core/formats/telethon-sqlite.js';
import type { Session } from '../../electron/core/model/session.js';
import { makeDc } from '../../electron/core/model/session.js';
import { fakeKey, fullSession, peerOf } from './sessions.js';

/** What writeOutput writes in the test: a Telethon SQLite file (replaced atomically) or a ferogram binary file. */
export type CrashBackend = 'telethon' | 'ferogram';

function variant(home: number, peers: number): Session {
  const s = fullSession();
  s.homeDc = home;
  s.dcs = [makeDc({ id: home, address: '149.154.167.51', port: 443, authKey: fakeKey(home) }), ...s.dcs.filter((d) => d.id !== home)];
  s.peers = Array.from({ length: peers }, (_, i) => peerOf(i % 2 ? 'user' : 'channel', i + 1, { extras: true }));
  return s;
}

export function crashSessions(kind: CrashBackend): [old: Session, next: Session] {
  const caps = kind === 'telethon' ? telethonCapabilities : ferogramCapabilities;
  const project = (s: Session) => projectSession(s, caps, kind).session;
  return [project(variant(2, 400)), project(variant(4, 600))];
}
