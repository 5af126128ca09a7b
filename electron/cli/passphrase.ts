/**
 * Backup passphrases come from SESSIONDECK_PASSPHRASE (scripts) or a prompt on the terminal
 * with echo off; never from a command-line argument, which any local user can read. A
 * Telegram Desktop passcode the same way, from SESSIONDECK_TDATA_PASSCODE; never stored.
 */
import { SessionError } from '../core/errors.js';

export const PASSPHRASE_ENV = 'SESSIONDECK_PASSPHRASE';
export const PASSCODE_ENV = 'SESSIONDECK_TDATA_PASSCODE';

/** What a keystroke chunk did to the hidden line: the text so far, and whether it ended. */
export interface HiddenLine {
  text: string;
  /** enter: submitted; cancel: Ctrl-C, or Ctrl-D on an empty line. */
  end?: 'enter' | 'cancel';
}

// One key or escape sequence at a time: arrow and function keys (ESC [ … or ESC O x) are
// skipped whole rather than typed into the passphrase.
// eslint-disable-next-line no-control-regex -- terminal escape sequences are control characters
const KEYS = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1bO.|\x1b|[\s\S]/gu;

/** The terminal's raw keystrokes applied to a hidden line, as a shell's line editor would. */
export function editHiddenLine(line: HiddenLine, chunk: string): HiddenLine {
  let text = line.text;
  for (const [key] of chunk.matchAll(KEYS)) {
    if (key === '\r' || key === '\n') return { text, end: 'enter' };
    if (key === '\u0003') return { text, end: 'cancel' };
    // Ctrl-D ends the line, or the input when there is none (as in a shell).
    if (key === '\u0004') return { text, end: text === '' ? 'cancel' : 'enter' };
    // Backspace takes one character, a whole one beyond the BMP too (not half a surrogate pair).
    if (key === '\u007f' || key === '\b') text = Array.from(text).slice(0, -1).join('');
    else if (key === '\u0015') text = '';
    else if (key.length === 1 && key.charCodeAt(0) < 0x20) continue;
    else if (!key.startsWith('\x1b')) text += key;
  }
  return { text };
}

export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolvePromise, reject) => {
    process.stderr.write(question);
    let line: HiddenLine = { text: '' };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (line.end === 'cancel') reject(new SessionError('cancelled', 'cancelled'));
      else resolvePromise(line.text);
    };
    const onData = (chunk: string) => {
      line = editHiddenLine(line, chunk);
      if (line.end) done();
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

