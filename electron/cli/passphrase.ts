/**
 * Backup passphrases come from SESSIONDECK_PASSPHRASE (scripts) or a prompt on the terminal
 * with echo off; never from a command-line argument, which any local user can read.
 */
import { SessionError } from '../core/errors.js';

export const PASSPHRASE_ENV = 'SESSIONDECK_PASSPHRASE';

function promptHidden(question: string): Promise<string> {
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
