/**
 * emptySession() and makeDc() for the string and ferogram decoders, as object literals of their
 * own. V8 pretenures an allocation site once most objects made there live long (a program
 * holding many sessions built with emptySession), and from then on every session a bulk
 * decode makes and drops is allocated in the old generation: three times slower in the
 * strings bench. Typed as the model, so a new required field is a compile error here too.
 */
import type { DcEntry, Session } from '../model/session.js';

/**
 * makeDc for the fields string formats carry: no other flag, time offset 0. Positional, so
 * that its callers (one per format) do not make the reads in here polymorphic.
 */
export function decodedDc(
  id: number,
  address: string,
  port: number,
  ipv6: boolean,
  authKey: Uint8Array | undefined,
  mediaOnly = false,
  salt = 0n,
): DcEntry {
  const dc: DcEntry = { id, address, port, ipv6, mediaOnly, cdn: false, tcpoOnly: false, static: false, salt, timeOffset: 0 };
  if (authKey) dc.authKey = authKey;
  return dc;
}

/** emptySession() with its home DC and DC list set. */
export function decodedSession(homeDc: number, dcs: DcEntry[]): Session {
  return {
    homeDc,
    dcs,
    updates: { pts: 0, qts: 0, date: 0, seq: 0, channels: new Map() },
    peers: [],
    minPeers: [],
  };
}
