/**
 * Backup passphrases come from SESSIONDECK_PASSPHRASE (scripts) or a prompt on the terminal
 * with echo off; never from a command-line argument, which any local user can read. A
 * Telegram Desktop passcode the same way, from SESSIONDECK_TDATA_PASSCODE; never stored.
 */
import { SessionError } from '../core/errors.js';

export const PASSPHRASE_ENV = 'SESSIONDECK_PASSPHRASE';
export const PASSCODE_ENV = 'SESSIONDECK_TDATA_PASSCODE';

export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolvePromise, reject) => {
    process.stderr.write(question);
    let text = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolvePromise(text);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new SessionError('cancelled', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

export async function getPassphrase(opts: { confirm: boolean }): Promise<string> {
  const fromEnv = process.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new SessionError('usage', `no passphrase: set ${PASSPHRASE_ENV} or run in a terminal to be asked`);
  }
  const first = await promptHidden('Passphrase: ');
  if (first.length === 0) throw new SessionError('usage', 'the passphrase is empty');
  if (opts.confirm && (await promptHidden('Repeat passphrase: ')) !== first) {
    throw new SessionError('usage', 'the two passphrases differ');
  }
  return first;
}

/** The tdata passcode from the environment, when set. */
export const passcodeFromEnv = (): string | undefined => process.env[PASSCODE_ENV] || undefined;

/**
 * Runs a read that may meet a tdata with a local passcode: with the one from the environment,
 * else, when it asks for one, with one typed on the terminal.
 */
export async function withPasscode<T>(read: (passcode: string | undefined) => T): Promise<T> {
  const fromEnv = passcodeFromEnv();
  try {
    return read(fromEnv);
  } catch (e) {
    if (!(e instanceof SessionError) || e.code !== 'needs-passcode' || fromEnv !== undefined) throw e;
    if (!process.stdin.isTTY) throw new SessionError('needs-passcode', `${e.message} (set ${PASSCODE_ENV} or run in a terminal to be asked)`);
    return read(await promptHidden('Telegram Desktop passcode: '));
  }
}

/** A new passcode to lock a written tdata with: from the environment, else typed twice. */
export async function newPasscode(): Promise<string> {
  const fromEnv = passcodeFromEnv();
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) throw new SessionError('usage', `no passcode: set ${PASSCODE_ENV} or run in a terminal to be asked`);
  const first = await promptHidden('New Telegram Desktop passcode: ');
  if (first.length === 0) throw new SessionError('usage', 'the passcode is empty');
  if ((await promptHidden('Repeat the passcode: ')) !== first) throw new SessionError('usage', 'the two passcodes differ');
  return first;
}

