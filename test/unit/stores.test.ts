import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SessionError } from '../../electron/core/errors.js';
import { sessionFromJson, sessionToJson } from '../../electron/core/model/session-json.js';
import { sameSession } from '../../electron/core/model/normalize.js';
import type { Session } from '../../electron/core/model/session.js';
import { FolderStore } from '../../electron/core/store/folder-store.js';
import type { SessionStore } from '../../electron/core/store/session-store.js';
import { SqliteStore } from '../../electron/core/store/sqlite-store.js';
import { fullSession } from '../helpers/ferogram-sessions.js';

const dir = mkdtempSync(join(tmpdir(), 'deck-stores-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Fields only our stores keep (ferogram files would drop them). */
function richSession(userId: bigint): Session {
  const s = fullSession();
  s.user = { id: userId, isBot: false };
  s.testMode = true;
  s.apiId = 611335;
  s.takeoutId = -5n;
  s.seqNo = 4_000_000_000;
  s.layer = 201;
  s.peers[0] = { ...s.peers[0]!, usernames: ['durov', 'pavel'], phone: '+15550000', name: 'P D', seenAt: 1_700_000_001 };
  s.peers.push({ id: 8n, kind: 'bot', accessHash: 3n, usernames: [] });
  return s;
}

const stores: [string, () => SessionStore][] = [
  ['folder', () => new FolderStore(join(dir, `folder${++n}`))],
  ['sqlite', () => new SqliteStore(join(dir, `store${++n}.db`))],
];

describe.each(stores)('%s store', (_label, make) => {
  it('saves, loads back equal (every model field), lists, deletes', async () => {
    const st = make();
    expect(await st.listIds()).toEqual([]);
    expect(await st.load('a')).toBeUndefined();
    await st.save('b', richSession(1n));
    await st.save('a', richSession(2n));
    expect(await st.listIds()).toEqual(['a', 'b']);
    expect(sameSession((await st.load('b'))!, richSession(1n))).toBe(true);
    expect((await st.load('b'))!.peers.find((p) => p.id === 8n)?.kind).toBe('bot');
    await st.save('b', richSession(3n)); // replace
    expect((await st.load('b'))!.user?.id).toBe(3n);
    expect(await st.delete('a')).toBe(true);
    expect(await st.delete('a')).toBe(false);
    expect(await st.listIds()).toEqual(['b']);
  });

  it('listForAccount finds the sessions of one user id (64-bit)', async () => {
    const st = make();
    const big = 9_007_199_254_740_993n; // above 2^53: must not be rounded
    await st.save('x1', richSession(big));
    await st.save('x2', richSession(big - 1n));
    await st.save('x3', richSession(big));
    const anon = fullSession();
    await st.save('x4', anon);
    expect(await st.listForAccount(big)).toEqual(['x1', 'x3']);
    expect(await st.listForAccount(big - 1n)).toEqual(['x2']);
    expect(await st.listForAccount(5n)).toEqual([]);
  });
});

describe('folder store', () => {
  it('refuses ids that could leave the folder or hide files', async () => {
    const st = new FolderStore(join(dir, 'ids'));
    for (const id of ['../x', 'a/b', 'a\\b', '.hidden', '', '..', 'x'.repeat(129), 'a\0b']) {
      await expect(st.save(id, fullSession())).rejects.toBeInstanceOf(SessionError);
      await expect(st.load(id)).rejects.toBeInstanceOf(SessionError);
    }
    await st.save('ok.name-1_2', fullSession());
    expect(readdirSync(join(dir, 'ids'))).toEqual(['ok.name-1_2.session.json']);
  });

  it('a corrupt session file is reported and left in place', async () => {
    const folder = join(dir, 'corrupt');
    const st = new FolderStore(folder);
    await st.save('good', fullSession());
    writeFileSync(join(folder, 'bad.session.json'), '{"v":1,');
    await expect(st.load('bad')).rejects.toMatchObject({ code: 'malformed' });
    expect((await st.listIds()).sort()).toEqual(['bad', 'good']);
    expect(readdirSync(folder).sort()).toEqual(['bad.session.json', 'good.session.json']);
  });
});

describe('session JSON (the stores\' lossless form)', () => {
  it('round-trips every field and rejects tampered input', () => {
    const s = richSession(42n);
    expect(sameSession(sessionFromJson(sessionToJson(s)), s)).toBe(true);
    const obj = JSON.parse(sessionToJson(s)) as { dcs: { authKey: string }[]; v: number };
    obj.dcs[0]!.authKey = Buffer.alloc(10).toString('base64');
    expect(() => sessionFromJson(JSON.stringify(obj))).toThrow(SessionError);
    expect(() => sessionFromJson(JSON.stringify({ ...JSON.parse(sessionToJson(s)), v: 2 }))).toThrow(SessionError);
    expect(() => sessionFromJson('not json')).toThrow(SessionError);
  });
});
