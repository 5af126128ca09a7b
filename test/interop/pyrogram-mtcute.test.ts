/**
 * Pyrogram itself cannot be installed here; @mtcute/convert carries an independent Pyrogram
 * string codec and two strings from its own test suite. Both directions, field by field.
 */
import {
  convertFromPyrogramSession,
  parsePyrogramSession,
  serializePyrogramSession,
} from '@mtcute/convert';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePyrogramString, encodePyrogramString } from '../../electron/core/formats/pyrogram-string.js';
import type { Session } from '../../electron/core/model/session.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';

/** mtcute ships its fixtures as declaration files: take the string literal out of each. */
function mtcuteFixture(name: string): string {
  const pkg = dirname(createRequire(import.meta.url).resolve('@mtcute/convert'));
  const text = readFileSync(join(pkg, 'pyrogram', '__fixtures__', name), 'utf8');
  const m = /"([A-Za-z0-9_-]+)"/.exec(text);
  if (!m?.[1]) throw new Error(`no session string in mtcute fixture ${name}`);
  return m[1];
}

function sameAsMtcute(ours: Session, theirs: ReturnType<typeof parsePyrogramSession>): void {
  expect(ours.homeDc).toBe(theirs.dcId);
  expect(ours.testMode).toBe(theirs.isTest);
  expect(ours.user?.id).toBe(BigInt(theirs.userId));
  expect(ours.user?.isBot).toBe(theirs.isBot);
  expect(ours.apiId).toBe(theirs.apiId);
  expect(Buffer.from(ours.dcs[0]!.authKey!).equals(Buffer.from(theirs.authKey))).toBe(true);
}

describe('Pyrogram strings against @mtcute/convert', () => {
  it("reads mtcute's fixture strings as mtcute does", () => {
    const current = mtcuteFixture('session.d.ts');
    const old = mtcuteFixture('session_old.d.ts');
    const a = decodePyrogramString(current);
    expect(a.formatVersion).toBe('current');
    sameAsMtcute(a.session, parsePyrogramSession(current));
    const b = decodePyrogramString(old);
    expect(b.formatVersion).toBe('old-64');
    sameAsMtcute(b.session, parsePyrogramSession(old));
    // mtcute maps the DC through its own table; the id and test flag must agree
    const conv = convertFromPyrogramSession(current);
    expect(conv.primaryDcs?.main.id).toBe(a.session.homeDc);
    expect(conv.primaryDcs?.main.testMode ?? false).toBe(a.session.testMode);
  });

  const cases: { dc: number; test: boolean; userId: number; isBot: boolean; apiId?: number }[] = [
    { dc: 2, test: false, userId: 123456789, isBot: false, apiId: 2040 },
    { dc: 5, test: false, userId: 2 ** 53 - 1, isBot: true, apiId: 4294967295 },
    { dc: 1, test: true, userId: 5000801609, isBot: false, apiId: 1 },
    { dc: 203, test: false, userId: 1, isBot: true },
    { dc: 3, test: true, userId: 7_000_000_000, isBot: false },
  ];

  for (const c of cases) {
    const layout = c.apiId === undefined ? 'old-64' : 'current';
    it(`mtcute writes, we read: DC ${c.dc}${c.test ? ' test' : ''}, ${layout}`, () => {
      const authKey = new Uint8Array(randomBytes(256));
      const text = serializePyrogramSession({ dcId: c.dc, isTest: c.test, authKey, userId: c.userId, isBot: c.isBot, apiId: c.apiId });
      const r = decodePyrogramString(text);
      expect(r.formatVersion).toBe(layout);
      sameAsMtcute(r.session, { dcId: c.dc, isTest: c.test, authKey, userId: c.userId, isBot: c.isBot, apiId: c.apiId });
    });

    it(`we write, mtcute reads: DC ${c.dc}${c.test ? ' test' : ''}, ${layout}`, () => {
      const s = emptySession();
      s.homeDc = c.dc;
      s.dcs = [makeDc({ id: c.dc, address: '', port: 0, authKey: new Uint8Array(randomBytes(256)) })];
      s.testMode = c.test;
      s.user = { id: BigInt(c.userId), isBot: c.isBot };
      if (c.apiId !== undefined) s.apiId = c.apiId;
      const text = encodePyrogramString(s, { legacy: c.apiId === undefined });
      const theirs = parsePyrogramSession(text);
      sameAsMtcute(s, theirs);
      // and byte for byte what mtcute would write for the same fields
      expect(text).toBe(
        serializePyrogramSession({ dcId: c.dc, isTest: c.test, authKey: s.dcs[0]!.authKey!, userId: c.userId, isBot: c.isBot, apiId: c.apiId }),
      );
    });
  }
});
