/**
 * OpenSessions keeps each session it read once, hands every caller keys of its own, and zeroes
 * the kept keys when the session is closed, evicted or re-read: a caller that asked before the
 * close keeps whole keys; one holding the closed session is refused.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { telethonSqlite } from '../../electron/core/formats/telethon-sqlite.js';
import type { ReadResult } from '../../electron/core/formats/types.js';
import { OpenSessions } from '../../electron/services/open-sessions.js';
import { tempDir, writeWith } from '../helpers/format-io.js';
import { fakeKey, oneDcSession } from '../helpers/sessions.js';

const dir = tempDir('sd-open-sessions-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const held = (seed: number): ReadResult => ({ format: 'telethon-string', formatVersion: 1, session: oneDcSession(seed, 77n), warnings: [] });
const zero = new Uint8Array(256);

describe('OpenSessions and the keys it keeps', () => {
  it('gives each caller its own key buffers, and zeroes the kept ones on close', async () => {
    const sessions = new OpenSessions();
    const result = held(3);
    const kept = result.session.dcs[0]!.authKey!;
    const s = sessions.hold(result);
    const a = await s.full();
    const b = await s.full();
    expect(a.session.dcs[0]!.authKey).toEqual(fakeKey(3));
    expect(a.session.dcs[0]!.authKey).not.toBe(kept);
    expect(a.session.dcs[0]!.authKey!.buffer).not.toBe(b.session.dcs[0]!.authKey!.buffer);
    // A caller changing its copy changes nobody else's.
    a.session.dcs[0]!.authKey!.fill(1);
    expect((await s.full()).session.dcs[0]!.authKey).toEqual(fakeKey(3));
    sessions.close(s.ref);
    await Promise.resolve();
    expect(kept).toEqual(zero);
    expect(b.session.dcs[0]!.authKey).toEqual(fakeKey(3));
    await expect(s.full()).rejects.toThrow('this session was closed; open it again');
  });

  it('a read asked for before the close gets whole keys; the kept ones are zeroed after it', async () => {
    const path = writeWith(telethonSqlite, oneDcSession(5, 78n), dir);
    const sessions = new OpenSessions();
    const s = sessions.open(path);
    const pending = s.full();
    sessions.close(path);
    expect((await pending).session.dcs[0]!.authKey).toEqual(fakeKey(5));
    await expect(s.full()).rejects.toThrow(/closed/);
    // Opened again, it is read again, whole.
    expect((await sessions.open(path).full()).session.dcs[0]!.authKey).toEqual(fakeKey(5));
  });

  it('zeroes the keys of a session pushed out by the item limit', async () => {
    const sessions = new OpenSessions(3_000_000, 2);
    const results = [held(11), held(12), held(13)];
    const keys = results.map((r) => r.session.dcs[0]!.authKey!);
    const handles = results.map((r) => sessions.hold(r));
    await Promise.resolve();
    expect(keys[0]).toEqual(zero);
    expect(keys[1]).toEqual(fakeKey(12));
    expect(keys[2]).toEqual(fakeKey(13));
    await expect(handles[0]!.full()).rejects.toThrow(/closed/);
  });
});
