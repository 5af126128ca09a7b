import { SessionError } from '../../electron/core/errors.js';

/** The SessionError code a call throws: 'no error' when it returns, 'not a SessionError' for anything else. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof SessionError ? e.code : 'not a SessionError';
  }
  return 'no error';
}

export async function asyncCodeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'no error',
    (e: unknown) => (e instanceof SessionError ? e.code : 'not a SessionError'),
  );
}

/** The SessionError a call throws (anything else is rethrown; no throw fails the test). */
export function sessionErrorOf(fn: () => unknown): SessionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SessionError) return e;
    throw e;
  }
  throw new Error('no error');
}

/** The SessionError a promise rejects with (anything else is rethrown; no rejection fails the test). */
export async function asyncSessionErrorOf(p: Promise<unknown>): Promise<SessionError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SessionError) return e;
    throw e;
  }
  throw new Error('no error');
}
