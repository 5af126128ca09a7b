/** Detection: one reading wins, two readings are reported with enough to choose, none explains. */
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PLAIN_FILE_BYTES, readInput } from '../../electron/core/formats/detect.js';
import { probe } from '../../electron/core/library/scan.js';
import { formatById } from '../../electron/core/formats/registry.js';
import type { StringFormat } from '../../electron/core/formats/types.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { sessionErrorOf } from '../helpers/errors.js';
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

describe('string detection (spec §8)', () => {
  it.each(['ferogram-string', 'ferogram-compact', 'telethon-string', 'pyrogram-string', 'mtcute-string', 'mtkruto-string'])(
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
    const e = sessionErrorOf(() => readInput(text));
    expect(e.code).toBe('ambiguous');
    expect(e.message).toContain('gramjs-string (DC 2 at 149.154.167.51:443)');
    expect(e.message).toMatch(/telethon-string \(DC 2 at \[[0-9a-f:]+\]:\d+\)/);
    expect(e.message).toMatch(/choose one with --from (telethon-string\|gramjs-string|gramjs-string\|telethon-string)$/);
    const chosen = readInput(text, { from: 'gramjs-string' });
    expect(chosen.session.dcs[0]?.address).toBe('149.154.167.51');
  });

  it('MTKruto strings of every layout and DC are MTKruto only, the one @mtcute/convert writes too', () => {
    const f = stringFormat('mtkruto-string');
    for (const [dc, test] of [[1, false], [2, false], [3, false], [4, false], [5, false], [1, true], [2, true], [3, true]] as const) {
      const s = oneDc('149.154.167.51');
      s.homeDc = dc;
      s.dcs[0]!.id = dc;
      s.testMode = test;
      for (const legacy of [false, true]) {
        const r = readInput(f.encode(s, { legacy }));
        expect([dc, test, legacy, r.format, r.formatVersion]).toEqual([dc, test, legacy, 'mtkruto-string', legacy ? 'dc-key' : 'current']);
      }
    }
  });

  it('a production MTKruto string of Pyrogram length that Pyrogram also reads is ambiguous: both named, --from decides', () => {
    // 10 header bytes + a key with 5 lone zeros (2 bytes each) ending in 01: 271 bytes, 362
    // characters, which Pyrogram's current layout reads as DC 1 with is_bot = 1.
    const key = new Uint8Array(256).fill(7);
    for (const at of [10, 20, 30, 40, 50]) key[at] = 0;
    key[255] = 1;
    const s = oneDc('149.154.167.51');
    s.dcs[0]!.authKey = key;
    const text = stringFormat('mtkruto-string').encode(s, { legacy: true });
    expect(text.length).toBe(362);
    const e = sessionErrorOf(() => readInput(text));
    expect(e.code).toBe('ambiguous');
    expect(e.message).toContain('mtkruto-string (DC 2 at 149.154.167.51:443)');
    expect(e.message).toContain('pyrogram-string (DC 1 at 149.154.175.53:443)');
    expect(e.message).toMatch(/choose one with --from (pyrogram-string\|mtkruto-string|mtkruto-string\|pyrogram-string)$/);
    const chosen = readInput(text, { from: 'mtkruto-string' });
    expect(chosen.session.homeDc).toBe(2);
    expect(Buffer.compare(chosen.session.dcs[0]!.authKey!, key)).toBe(0);
    // One lone zero fewer (361 characters): MTKruto only.
    key[50] = 7;
    expect(readInput(stringFormat('mtkruto-string').encode(s, { legacy: true })).format).toBe('mtkruto-string');
  });

  it('a broken MTKruto string is explained as one', () => {
    const text = stringFormat('mtkruto-string').encode(oneDc('149.154.167.51'));
    const e = sessionErrorOf(() => readInput(text.slice(0, 200)));
    expect(e.code).toBe('unknown-format');
    expect(e.message).toMatch(/^not a session string we know; closest: mtkruto-string \(MTKruto auth string is truncated/);
  });

  it('nothing fits: the closest candidate and why it failed', () => {
    const telethon = stringFormat('telethon-string').encode(oneDc('149.154.167.51'));
    const e = sessionErrorOf(() => readInput(telethon.slice(0, 200)));
    expect(e.code).toBe('unknown-format');
    expect(e.message).toMatch(/^not a session string we know; closest: gramjs-string \(/);
  });
});

describe('detection reads only what it needs', () => {
  it('refuses a file over the plain-file limit that is not SQLite without reading it, and the scan lists it as unknown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-big-'));
    try {
      const file = join(dir, 'huge.session');
      const fd = openSync(file, 'w');
      ftruncateSync(fd, MAX_PLAIN_FILE_BYTES + 1); // sparse: nothing is written
      closeSync(fd);
      const heap = process.memoryUsage().arrayBuffers;
      const e = sessionErrorOf(() => readInput(file));
      expect(process.memoryUsage().arrayBuffers - heap).toBeLessThan(MAX_PLAIN_FILE_BYTES / 4);
      expect(e.code).toBe('unknown-format');
      expect(e.message).toMatch(/too large to be a session file \(over 64 MiB and not SQLite\)/);
      const entry = probe(file).entry;
      expect(entry.status).toBe('unknown');
      expect(entry.error).toMatch(/too large/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
