import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS, CHANNEL_NAMES, parseRequest } from '../../shared/contract.js';
import { SummarySchema } from '../../shared/dto.js';
import { summarize } from '../../electron/core/inspect/summary.js';
import { ferogramBinary } from '../../electron/core/formats/ferogram-binary.js';
import { emptySession, makeDc } from '../../electron/core/model/session.js';
import { createServices } from '../../electron/services/services.js';
import { CHECK_REPLIES, dispatch, type Handlers } from '../../electron/services/handlers.js';

const key = Uint8Array.from({ length: 256 }, (_, i) => (i * 5 + 1) % 256);

describe('the channel contract', () => {
  it('accepts a valid payload and fills defaults', () => {
    const r = parseRequest('session.peers', { ref: '/x.session', start: 0, limit: 50 });
    expect(r.query).toEqual({ search: '', kind: '', sort: 'id', desc: false });
  });

  it('refuses bad payloads with one line naming the channel and the field', () => {
    expect(() => parseRequest('session.peers', { ref: '/x', start: -1, limit: 50 })).toThrow(/^session\.peers: bad payload \(start: /);
    expect(() => parseRequest('library.add', { paths: [] })).toThrow(/library\.add: bad payload \(paths: /);
    // Unknown keys are refused, not ignored: a typo must not silently change behaviour.
    expect(() => parseRequest('export.save', { handle: 'h', path: '/p', overwrite: true })).toThrow(/bad payload/);
    expect(() => parseRequest('convert.write', { ref: 'r', to: 'telethon', out: '/o', given: { userId: '12x' } })).toThrow(/given\.userId/);
    const msg = (() => {
      try {
        parseRequest('edit.apply', { path: '/p', op: { type: 'format-disk' } });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(msg).not.toContain('\n');
  });

  it('only the Reveal and Copy channels may carry a secret (a session string or a 2FA password)', () => {
    expect(CHANNEL_NAMES.filter((n) => CHANNELS[n].secret).sort()).toEqual(['export.copy', 'export.reveal', 'sidecar.reveal2fa']);
  });

  it('the summary the UI gets matches the schema and holds no key bytes', () => {
    const s = { ...emptySession(), homeDc: 2, dcs: [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: key })] };
    const summary = summarize({ format: 'ferogram', formatVersion: 8, session: s, warnings: [] });
    expect(SummarySchema.parse(summary).dcs[0]!.authKeyId).toMatch(/^[0-9a-f]{16}$/);
    const text = JSON.stringify(summary);
    expect(text).not.toContain(Buffer.from(key).toString('hex').slice(0, 32));
    expect(text).not.toContain(Buffer.from(key).toString('base64').slice(0, 32));
  });
});

describe('dispatch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deck-contract-'));
  const services = createServices({ mode: 'web', appDataDir: join(dir, 'data'), version: '0', emit: () => undefined, watchFolders: false });

  it('refuses unknown channels and bad payloads in the envelope', async () => {
    expect(await dispatch(services.handlers, 'fs.rmrf', {})).toEqual({ ok: false, error: 'unknown channel "fs.rmrf"', code: 'unknown-channel' });
    const bad = await dispatch(services.handlers, 'session.open', { ref: 42 });
    expect(bad).toMatchObject({ ok: false, code: 'bad-request' });
    // __proto__ and friends are not channels.
    expect(await dispatch(services.handlers, 'constructor', {})).toMatchObject({ ok: false, code: 'unknown-channel' });
  });

  it('in tests, checks every reply and event against the contract: a drifting handler fails', async () => {
    expect(CHECK_REPLIES).toBe(true);
    const drifted = { ...services.handlers, 'library.list': () => ({ roots: 'not a list' }) } as unknown as Handlers;
    expect(await dispatch(drifted, 'library.list', {})).toEqual({ ok: false, error: 'the reply of library.list does not match the contract (roots: Invalid input: expected array, received string)', code: 'bad-reply' });
    const seen: string[] = [];
    const checked = createServices({ mode: 'web', appDataDir: join(dir, 'data-events'), version: '0', emit: (name) => seen.push(name), watchFolders: false });
    expect(await dispatch(checked.handlers, 'library.rescan', {})).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toContain('job');
    await checked.dispose();
  });

  it('exports keep the string in the main process until Reveal', async () => {
    const s = { ...emptySession(), homeDc: 2, dcs: [makeDc({ id: 2, address: '149.154.167.51', port: 443, authKey: key })] };
    const file = join(dir, 'a.session');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, ferogramBinary.encode(s));
    const prep = await dispatch(services.handlers, 'export.prepare', { ref: file, to: 'ferogram-string' });
    expect(prep.ok).toBe(true);
    const data = (prep as { data: { handle: string; preview: string; length: number } }).data;
    const reveal = await dispatch(services.handlers, 'export.reveal', { handle: data.handle });
    const text = (reveal as { data: { text: string } }).data.text;
    expect(text.length).toBe(data.length);
    expect(JSON.stringify(prep)).not.toContain(text.slice(6, 30));
    expect(data.preview).toContain('•');
    // Web mode has no main-process clipboard: Copy hands the text to the browser.
    const copy = await dispatch(services.handlers, 'export.copy', { handle: data.handle });
    expect(copy).toMatchObject({ ok: true, data: { via: 'renderer', text } });
    await dispatch(services.handlers, 'export.discard', { handle: data.handle });
    expect(await dispatch(services.handlers, 'export.reveal', { handle: data.handle })).toMatchObject({ ok: false, code: 'not-found' });
  });
});
