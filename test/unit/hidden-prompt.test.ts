/**
 * The hidden passphrase prompt's line editing, keystroke by keystroke as a raw terminal sends
 * them: Enter and Ctrl-D end it, Ctrl-C and Ctrl-D on an empty line cancel it, backspace takes
 * one whole character (non-ASCII and beyond the BMP too), Ctrl-U clears it, and arrow or
 * function keys are not typed into the passphrase.
 */
import { describe, expect, it } from 'vitest';
import { editHiddenLine, type HiddenLine } from '../../electron/cli/passphrase.js';

const type = (...chunks: string[]): HiddenLine => chunks.reduce<HiddenLine>((line, c) => (line.end ? line : editHiddenLine(line, c)), { text: '' });

describe('the hidden prompt', () => {
  it('ends on Enter with what was typed, across chunks', () => {
    expect(type('corr', 'ect horse', '\r', 'ignored')).toEqual({ text: 'correct horse', end: 'enter' });
    expect(type('pässwörd\n')).toEqual({ text: 'pässwörd', end: 'enter' });
  });

  it('backspace takes one whole character: a non-ASCII letter, an emoji', () => {
    expect(type('abcé\u007f\u007f', 'x\r')).toEqual({ text: 'abx', end: 'enter' });
    expect(type('key🔑\u007f!\r')).toEqual({ text: 'key!', end: 'enter' });
    expect(type('\u007f\bok\r')).toEqual({ text: 'ok', end: 'enter' });
  });

  it('skips arrow, Home/End and function keys whole, and other control keys', () => {
    expect(type('ab\x1b[D\x1b[A\x1b[1;5C\x1b[3~\x1bOHc\t\u0001\r')).toEqual({ text: 'abc', end: 'enter' });
  });

  it('Ctrl-U clears the line; Ctrl-D ends it, or cancels an empty one; Ctrl-C cancels', () => {
    expect(type('wrong\u0015right\r')).toEqual({ text: 'right', end: 'enter' });
    expect(type('typed\u0004')).toEqual({ text: 'typed', end: 'enter' });
    expect(type('\u0004')).toEqual({ text: '', end: 'cancel' });
    expect(type('half\u0003')).toEqual({ text: 'half', end: 'cancel' });
  });
});
