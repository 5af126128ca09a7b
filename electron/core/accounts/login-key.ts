/** The fingerprint of a session's login: its home DC's auth key (what duplicates and labels go by). */
import { authKeyId } from '../model/fingerprint.js';
import { homeDcEntry, type Session } from '../model/session.js';

export function loginKeyOf(s: Session): string | null {
  return authKeyId(homeDcEntry(s)?.authKey);
}
