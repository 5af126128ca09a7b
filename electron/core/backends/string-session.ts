/**
 * StringSessionBackend ("string-session"): the session lives as ferogram's native string
 * (b64url of the v8 binary); save replaces it, `value` exposes it for the caller to store.
 */
import { decodeNativeString, ferogramString } from '../formats/ferogram-strings.js';
import type { Session } from '../model/session.js';
import { BaseBackend } from './backend.js';

export class StringSessionBackend extends BaseBackend {
  readonly name = 'string-session';
  private text: string;

  constructor(initial = '') {
    super();
    this.text = initial;
  }

  /** The current native string ('' when nothing is saved). Secret: never log it. */
  get value(): string {
    return this.text;
  }

  async save(session: Session): Promise<void> {
    this.text = ferogramString.encode(session);
  }
  async load(): Promise<Session | undefined> {
    // Like ferogram: a blank string means "no session".
    return this.text.trim() === '' ? undefined : decodeNativeString(this.text).session;
  }
  async delete(): Promise<void> {
    this.text = '';
  }
}
