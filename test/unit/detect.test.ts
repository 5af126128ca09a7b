/** Detection: one reading wins, two readings are reported with enough to choose, none explains. */
import { describe, expect, it } from 'vitest';
import { readInput } from '../../electron/core/formats/detect.js';
import { formatById } from '../../electron/core/formats/registry.js';
import type { StringFormat } from '../../electron/core/formats/types.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { SessionError } from '../../electron/core/errors.js';
import { fakeKey, fullSession } from '../helpers/sessions.js';
import { projectSession } from '../../electron/core/convert/project.js';

const stringFormat = (id: string) => formatById(id) as StringFormat;

function oneDc(address: string, port = 443) {
  const s = emptySession();
  s.homeDc = 2;
  s.user = { id: 5n, isBot: false };
  s.apiId = 6;
  s.testMode = false;
  s.dcs = [makeDc({ id: 2, address, port, authKey: fakeKey(2) })];
  return s;
}

function caught(fn: () => unknown): SessionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SessionError) return e;
    throw e;
  }
  throw new Error('expected a SessionError');
}

describe('string detection (spec §8)', () => {
  it.each(['ferogram-string', 'ferogram-compact', 'telethon-string', 'pyrogram-string', 'mtcute-string'])(
    '%s is recognised on its own',
    (id) => {
      const f = stringFormat(id);
      const s = projectSession(fullSession(), f.capabilities, id).session;
      expect(readInput(f.encode(s)).format).toBe(id);
    },
  );

  it('a GramJS string with a host name is GramJS only', () => {
    expect(readInput(stringFormat('gramjs-string').encode(oneDc('vesta.web.telegram.org'))).format).toBe('gramjs-string');
  });

  it('a GramJS string of Telethon-IPv6 length is ambiguous: both readings named, --from decides', () => {
    // A key whose standard base64 has no '+' or '/': then the text is valid in both alphabets.
    const text = stringFormat('gramjs-string').encode(oneDc('149.154.167.51')).replace(/[+/]/g, 'A');
    expect(text.length).toBe(369);
    const e = caught(() => readInput(text));
    expect(e.code).toBe('ambiguous');
    expect(e.message).toContain('gramjs-string (DC 2 at 149.154.167.51:443)');
    expect(e.message).toMatch(/telethon-string \(DC 2 at \[[0-9a-f:]+\]:\d+\)/);
    expect(e.message).toMatch(/choose one with --from (telethon-string\|gramjs-string|gramjs-string\|telethon-string)$/);
    const chosen = readInput(text, { from: 'gramjs-string' });
    expect(chosen.session.dcs[0]?.address).toBe('149.154.167.51');
  });

  it('nothing fits: the closest candidate and why it failed', () => {
    const telethon = stringFormat('telethon-string').encode(oneDc('149.154.167.51'));
    const e = caught(() => readInput(telethon.slice(0, 200)));
    expect(e.code).toBe('unknown-format');
    expect(e.message).toMatch(/^not a session string we know; closest: gramjs-string \(/);
  });
});
