/**
 * Our GramJS codecs against the real GramJS (npm `telegram`): sessions only, no client,
 * nothing connects. StringSession both ways; StoreSession folders written by GramJS (through
 * node-localstorage) read by us, and ours loaded by GramJS.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { AuthKey } from 'telegram/crypto/AuthKey.js';
import { StoreSession, StringSession } from 'telegram/sessions/index.js';
import { decodeGramjsString, encodeGramjsString } from '../../electron/core/formats/gramjs-string.js';
import { gramjsStore } from '../../electron/core/formats/gramjs-store.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import type { Session } from '../../electron/core/model/session.js';
import { fakeKey } from '../helpers/sessions.js';
import { tempDir } from '../helpers/format-io.js';

const dir = tempDir('sd-gramjs-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function session(address: string, port: number, id: number): Session {
  const s = emptySession();
  s.homeDc = id;
  s.dcs = [makeDc({ id, address, port, authKey: fakeKey(id) })];
  return s;
}

async function gramjsKey(key: Uint8Array): Promise<AuthKey> {
  const k = new AuthKey();
  await k.setKey(Buffer.from(key));
  return k;
}

/** GramJS's StoreSession writes into "./<name>" relative to the working directory. */
async function inDir<T>(cwd: string, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}

const CASES: [string, number, number][] = [
  ['149.154.167.91', 80, 4],
  ['2001:67c:4e8:f002::a', 443, 2],
  ['vesta.web.telegram.org', 443, 2],
];

describe('GramJS StringSession', () => {
  it.each(CASES)('GramJS loads our string for %s:%i', async (address, port, id) => {
    const gs = new StringSession(encodeGramjsString(session(address, port, id)));
    await gs.load();
    expect(gs.dcId).toBe(id);
    expect(gs.serverAddress).toBe(address);
    expect(gs.port).toBe(port);
    expect(Buffer.compare(gs.authKey!.getKey()!, Buffer.from(fakeKey(id)))).toBe(0);
  });

  it.each(CASES)('we decode what GramJS saves for %s:%i', async (address, port, id) => {
    const gs = new StringSession('');
    gs.setDC(id, address, port);
    gs.authKey = await gramjsKey(fakeKey(id));
    const text = gs.save();
    const s = decodeGramjsString(text).session;
    expect(s.homeDc).toBe(id);
    expect(s.dcs).toHaveLength(1);
    expect(s.dcs[0]!.address).toBe(address);
    expect(s.dcs[0]!.port).toBe(port);
    expect(Buffer.compare(s.dcs[0]!.authKey!, fakeKey(id))).toBe(0);
    expect(encodeGramjsString(s)).toBe(text);
  });
});

describe('GramJS StoreSession', () => {
  it('we read a folder GramJS wrote (DC, key, entities)', async () => {
    const name = 'gram_acc';
    await inDir(dir, async () => {
      const store = new StoreSession(name);
      store.setDC(2, '149.154.167.51', 443);
      store.authKey = await gramjsKey(fakeKey(2));
      store.processEntities([
        new Api.User({ id: bigInt(123456), accessHash: bigInt('-8152436061464407808'), username: 'SomeOne', phone: '447000001', firstName: 'Ann', lastName: 'Lee' }),
        new Api.Chat({ id: bigInt(777), title: 'Small chat', photo: new Api.ChatPhotoEmpty(), participantsCount: 2, date: 0, version: 1 }),
        new Api.Channel({ id: bigInt(1400000001), accessHash: bigInt('987654321987654321'), title: 'News', photo: new Api.ChatPhotoEmpty(), date: 0, username: 'news' }),
      ]);
    });
    const folder = join(dir, name);
    expect(gramjsStore.matches(folder)).toBe(true);
    const r = gramjsStore.read(folder);
    expect(r.warnings).toEqual([]);
    const s = r.session;
    expect(s.homeDc).toBe(2);
    expect(s.dcs[0]).toMatchObject({ id: 2, address: '149.154.167.51', port: 443 });
    expect(Buffer.compare(s.dcs[0]!.authKey!, fakeKey(2))).toBe(0);
    const byId = new Map(s.peers.map((p) => [p.id, p]));
    expect(byId.get(123456n)).toMatchObject({ kind: 'user', accessHash: -8152436061464407808n, usernames: ['someone'], phone: '447000001', name: 'Ann Lee' });
    expect(byId.get(777n)).toMatchObject({ kind: 'chat', accessHash: 0n, name: 'Small chat' });
    expect(byId.get(1400000001n)).toMatchObject({ kind: 'channel', accessHash: 987654321987654321n, usernames: ['news'] });
    expect(byId.get(123456n)!.seenAt).toBeGreaterThan(1_700_000_000);
  });

  it('GramJS loads a folder we wrote and resolves its entities', async () => {
    const s = session('149.154.167.91', 443, 4);
    s.peers = [
      { id: 555n, kind: 'user', accessHash: -42n, usernames: ['durov'], phone: '123', name: 'P D' },
      { id: 1500000002n, kind: 'channel', accessHash: 7n ** 20n, usernames: [] },
      { id: 999n, kind: 'chat', accessHash: 0n, usernames: [] },
    ];
    const name = 'ours_acc';
    gramjsStore.write(join(dir, name), s);
    await inDir(dir, async () => {
      const store = new StoreSession(name);
      await store.load();
      expect(store.dcId).toBe(4);
      expect(store.serverAddress).toBe('149.154.167.91');
      expect(store.port).toBe(443);
      expect(Buffer.compare(store.authKey!.getKey()!, Buffer.from(fakeKey(4)))).toBe(0);
      const user = store.getInputEntity('555') as Api.InputPeerUser;
      expect(user.userId.toString()).toBe('555');
      expect(user.accessHash.toString()).toBe('-42');
      const channel = store.getInputEntity('-1001500000002') as Api.InputPeerChannel;
      expect(channel.channelId.toString()).toBe('1500000002');
      expect(channel.accessHash.toString()).toBe((7n ** 20n).toString());
      const chat = store.getInputEntity('-999') as Api.InputPeerChat;
      expect(chat.chatId.toString()).toBe('999');
    });
  });
});
