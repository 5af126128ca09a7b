/**
 * Every failure the core reports is a SessionError with a stable code and one line of text.
 * The message never contains key material: callers build it from lengths, offsets and names.
 */
export type ErrorCode =
  | 'truncated'
  | 'malformed'
  | 'unsupported'
  | 'unknown-format'
  | 'ambiguous'
  | 'too-large'
  | 'missing-field'
  | 'exists'
  | 'not-found'
  | 'locked'
  | 'io'
  | 'bad-passphrase'
  /** A Telegram Desktop tdata with a local passcode was read without one. */
  | 'needs-passcode'
  /** The passcode given does not unlock a Telegram Desktop tdata. */
  | 'bad-passcode'
  | 'cancelled'
  /** A store's server does not answer (refused, timed out, no such host). */
  | 'unreachable'
  /** A store's server wants a password and none was given. */
  | 'needs-password'
  /** A store's server refused the user name or password. */
  | 'bad-password'
  | 'usage';

export class SessionError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SessionError';
    this.code = code;
  }
}

export function isSessionError(e: unknown): e is SessionError {
  return e instanceof SessionError;
}

/** One line for a user, from any thrown value; never a stack. */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const first = e.message.split('\n')[0] ?? '';
    return first.length > 0 ? first : e.name;
  }
  return String(e);
}
