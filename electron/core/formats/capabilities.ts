/**
 * Capabilities are declared as "what this format holds": everything not named is not kept.
 * The base is a format that keeps nothing but the home DC's key.
 */
import type { Capabilities } from './types.js';

const HOLDS_NOTHING: Capabilities = {
  dcs: 'home',
  keylessDcs: false,
  mediaDcs: false,
  salt: false,
  timeOffset: false,
  dcFlags: false,
  user: 'none',
  testMode: false,
  apiId: false,
  takeoutId: false,
  updates: false,
  channelPts: false,
  peers: false,
  peerKinds: [],
  usernames: 'none',
  phone: false,
  name: false,
  seenAt: false,
  minPeers: false,
  futureAuthToken: false,
  requires: [],
};

export function holds(fields: Partial<Capabilities>): Capabilities {
  return { ...HOLDS_NOTHING, ...fields };
}
