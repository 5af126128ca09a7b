/**
 * The desktop shell's security settings, asserted on the very objects and functions the main
 * process uses (electron/main/window-options.ts, guards.ts, ipc.ts), without the Electron
 * runtime; test/e2e/electron.spec.ts checks the same live when an Electron binary exists.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/contract.js';
import { allowNavigation, externalLink, isTrustedUrl, permissionAllowed, senderRefusal, windowOpenDecision } from '../../electron/main/guards.js';
import { ipcHandler, registerIpc, themeInReply, type IpcMainLike } from '../../electron/main/ipc.js';
import { secureWebPreferences, windowOptions } from '../../electron/main/window-options.js';
import { CSP, META_CSP } from '../../electron/server/csp.js';
import { createServices } from '../../electron/services/services.js';
import { dispatch } from '../../electron/services/handlers.js';

const RENDERER = 'file:///opt/Session%20Deck/resources/app.asar/out/renderer/index.html';
const DEV = 'http://localhost:5173/';

describe('the window', () => {
  const opts = windowOptions({ bounds: { width: 1200, height: 800 }, preload: '/app/out/preload/index.cjs', dark: false, devTools: false });
  const wp = opts.webPreferences!;

  it('isolates the renderer: context isolation, sandbox, no Node anywhere', () => {
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on, no webview, no insecure content, no experimental features', () => {
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.experimentalFeatures).toBe(false);
    expect(wp.enableBlinkFeatures).toBeUndefined();
    expect(wp.navigateOnDragDrop).toBe(false);
  });

  it('loads only our preload and turns DevTools off in production builds', () => {
    expect(wp.preload).toBe('/app/out/preload/index.cjs');
    expect(wp.devTools).toBe(false);
    expect(secureWebPreferences('/p.cjs', true).devTools).toBe(true);
    expect(opts.show).toBe(false);
    expect(opts.width).toBe(1200);
  });
});

describe('the Content-Security-Policy', () => {
  const directives = (policy: string) =>
    new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

  for (const [label, policy] of [
    ['header', CSP],
    ['meta tag', META_CSP],
  ] as const) {
    it(`${label}: scripts from our own files only, nothing remote, nothing eval'd`, () => {
      const d = directives(policy);
      expect(d.get('default-src')).toEqual(["'self'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('connect-src')).toEqual(["'self'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(d.get('base-uri')).toEqual(["'none'"]);
      expect(policy).not.toContain('unsafe-eval');
      expect(policy).not.toContain('wasm-unsafe-eval');
      expect(policy).not.toMatch(/https?:|wss?:|\*|blob:/);
    });
  }

  it('the header also forbids framing; the page ships the same policy in its meta tag', () => {
    expect(directives(CSP).get('frame-ancestors')).toEqual(["'none'"]);
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(META_CSP);
    // No inline script the policy would have to allow.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('navigation, new windows and permissions', () => {
  it('our page may reload itself; every other navigation is denied', () => {
    expect(allowNavigation(RENDERER, RENDERER)).toBe(true);
    expect(allowNavigation(`${RENDERER}#peers`, RENDERER)).toBe(true);
    const foreign = ['https://evil.example/', 'file:///etc/passwd', 'file:///opt/Session%20Deck/other.html', 'javascript:alert(1)', 'data:text/html,x', 'not a url'];
    expect(foreign.filter((url) => allowNavigation(url, RENDERER))).toEqual([]);
    expect(allowNavigation('http://localhost:5173/#x', DEV)).toBe(true);
    expect(allowNavigation('http://localhost:5174/', DEV)).toBe(false);
    expect(isTrustedUrl('http://127.0.0.1:5173/', DEV)).toBe(false);
  });

  it('window.open is always denied; only allow-listed https links go to the browser', () => {
    expect(windowOpenDecision('https://github.com/sessiondeck')).toEqual({ action: 'deny', openExternally: 'https://github.com/sessiondeck' });
    expect(windowOpenDecision('https://core.telegram.org/mtproto')).toMatchObject({ action: 'deny', openExternally: 'https://core.telegram.org/mtproto' });
    const notListed = ['http://github.com/', 'https://github.com.evil.example/', 'https://evil.example/?https://github.com/', 'https://user@github.com/', 'https://github.com:8443/', 'file:///tmp/x', RENDERER, 'about:blank'];
    expect(notListed.map(windowOpenDecision)).toEqual(notListed.map(() => ({ action: 'deny', openExternally: null })));
    expect(externalLink('javascript:location="https://github.com/"')).toBeNull();
  });

  it('denies every permission request except clipboard writes from our own page', () => {
    const others = ['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'display-capture', 'hid', 'serial', 'usb', 'unknown'];
    expect(others.filter((p) => permissionAllowed(p, RENDERER, RENDERER))).toEqual([]);
    expect(permissionAllowed('clipboard-sanitized-write', RENDERER, RENDERER)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/', RENDERER)).toBe(false);
  });
});

describe('IPC', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deck-ipc-'));
  const services = createServices({ mode: 'electron', appDataDir: join(dir, 'data'), version: '0', emit: () => undefined, watchFolders: false });

  /** A stand-in for ipcMain with Electron's rule: an invoke on a channel nobody handles is rejected. */
  function fakeIpc() {
    const table = new Map<string, (event: never, ...args: unknown[]) => Promise<unknown>>();
    const ipc: IpcMainLike = { handle: (channel, listener) => void table.set(channel, listener as never) };
    const invoke = (channel: string, event: unknown, ...args: unknown[]) => {
      const h = table.get(channel);
      if (!h) return Promise.reject(new Error(`No handler registered for '${channel}'`));
      return h(event as never, ...args);
    };
    return { ipc, table, invoke };
  }
  const ours = { senderFrame: { url: RENDERER, parent: null } };
  const direct = (name: string, payload: unknown) => dispatch(services.handlers, name, payload);

  it('registers exactly the contract channels, so any other channel is refused', async () => {
    const { ipc, table, invoke } = fakeIpc();
    const names = registerIpc(ipc, direct, RENDERER);
    expect([...table.keys()].sort()).toEqual(CHANNEL_NAMES.map((n) => `deck:${n}`).sort());
    expect(names).toHaveLength(CHANNEL_NAMES.length);
    await expect(invoke('deck:fs.rmrf', ours, {})).rejects.toThrow(/No handler/);
    await expect(invoke('app.info', ours, {})).rejects.toThrow(/No handler/);
    await expect(invoke('deck:app.info', ours, {})).resolves.toMatchObject({ ok: true, data: { mode: 'electron' } });
  });

  it('tells the shell the theme each settings reply carries, so the native theme follows the setting', async () => {
    const themes: string[] = [];
    const { ipc, invoke } = fakeIpc();
    registerIpc(ipc, direct, RENDERER, (name, reply) => {
      const t = themeInReply(name, reply);
      if (t) themes.push(t);
    });
    await invoke('deck:app.info', ours, {});
    await invoke('deck:settings.set', ours, { theme: 'dark' });
    await invoke('deck:settings.set', ours, { theme: 'light' });
    await invoke('deck:library.list', ours, {});
    expect(themes).toEqual(['system', 'dark', 'light']);
    expect(themeInReply('settings.set', { ok: false, error: 'x', code: 'io' })).toBeUndefined();
  });

  it('refuses malformed payloads with one line, before any handler runs', async () => {
    const h = ipcHandler(direct, 'session.open', RENDERER);
    for (const payload of [{ ref: 42 }, { ref: '' }, { ref: '/x', extra: true }, 'a string', [1, 2], 7]) {
      const r = await h(ours, payload);
      expect({ payload, r }).toMatchObject({ payload, r: { ok: false, code: 'bad-request' } });
      expect((r as { error: string }).error).not.toContain('\n');
    }
    expect(await h(ours)).toMatchObject({ ok: false, code: 'bad-request' });
    expect(await h(ours, { ref: '/a' }, { ref: '/b' })).toMatchObject({ ok: false, code: 'bad-request' });
    expect(await ipcHandler(direct, 'edit.apply', RENDERER)(ours, { path: '/p', op: { type: 'rm -rf' } })).toMatchObject({ ok: false, code: 'bad-request' });
  });

  it('refuses calls from foreign pages, sub-frames and vanished frames', async () => {
    const h = ipcHandler(direct, 'app.info', RENDERER);
    const foreign = [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'file:///tmp/evil.html', parent: null } },
      { senderFrame: { url: RENDERER, parent: { url: RENDERER } } },
      { senderFrame: null },
    ];
    for (const event of foreign) {
      expect({ event, r: await h(event, {}) }).toMatchObject({ event, r: { ok: false, code: 'forbidden' } });
    }
    expect(senderRefusal(undefined, RENDERER)).toMatch(/^refused/);
    expect(await h(ours, {})).toMatchObject({ ok: true });
  });
});
