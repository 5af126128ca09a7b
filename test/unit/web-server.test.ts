import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServices } from '../../electron/services/services.js';
import { dispatch } from '../../electron/services/handlers.js';
import { startWebServer, type WebServer } from '../../electron/server/server.js';
import { CSP } from '../../electron/server/csp.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP/1.0 request, so headers (or their absence) are exactly what we write. */
function raw(port: number, text: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port }, () => sock.end(text));
    let out = '';
    sock.on('data', (c: Buffer) => (out += c.toString()));
    sock.on('end', () => resolve(out));
    sock.on('error', reject);
  });
}

/** Connecting to host:port: 'refused' when nothing listens there. */
function reach(host: string, port: number): Promise<'open' | 'refused'> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    sock.once('connect', () => {
      sock.destroy();
      resolve('open');
    });
    sock.once('error', (e: NodeJS.ErrnoException) => (['ECONNREFUSED', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'ENETUNREACH'].includes(e.code ?? '') ? resolve('refused') : reject(e)));
  });
}

function send(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('web mode server', () => {
  let web: WebServer;
  const dir = mkdtempSync(join(tmpdir(), 'deck-web-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>deck</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the static root');
  const services = createServices({ mode: 'web', appDataDir: join(dir, 'data'), version: '0', emit: () => undefined, watchFolders: false });

  beforeAll(async () => {
    web = await startWebServer((name, payload) => dispatch(services.handlers, name, payload), { staticDir });
  });
  afterAll(async () => {
    await web.close();
  });

  const post = (channel: string, headers: Record<string, string>, body = '{}') =>
    send(web.port, `/api/${channel}`, { method: 'POST', headers: { host: `127.0.0.1:${web.port}`, 'content-type': 'application/json', ...headers }, body });

  it('listens on loopback only and prints an address with its token', () => {
    expect((web.server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/?token=${web.token}`);
    expect(web.token.length).toBeGreaterThanOrEqual(32);
  });

  it('binds no other address: not the machine’s other interfaces, not IPv6 loopback', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address);
    for (const address of others) expect({ address, reached: await reach(address, web.port) }).toEqual({ address, reached: 'refused' });
    expect(await reach('::1', web.port)).toBe('refused');
    expect(await reach('127.0.0.1', web.port)).toBe('open');
  });

  it('refuses requests without the token (401) and with a wrong one', async () => {
    expect((await post('app.info', {})).status).toBe(401);
    expect((await post('app.info', { 'x-deck-token': 'x'.repeat(web.token.length) })).status).toBe(401);
    expect((await post('app.info', { 'x-deck-token': web.token.slice(1) })).status).toBe(401);
    expect((await post('app.info', { cookie: `deck_token=${'y'.repeat(web.token.length)}` })).status).toBe(401);
    const h = { host: `127.0.0.1:${web.port}` };
    expect((await send(web.port, '/', { headers: h })).status).toBe(401);
    expect((await send(web.port, '/index.html', { headers: h })).status).toBe(401);
    expect((await send(web.port, '/api/events', { headers: h })).status).toBe(401);
    const denied = await post('library.list', {});
    expect(JSON.parse(denied.body)).toEqual({ ok: false, error: expect.stringMatching(/token/), code: 'unauthorized' });
    expect(denied.headers['content-security-policy']).toBe(CSP);
  });

  it('refuses a foreign Host or Origin (403) even with the token', async () => {
    const t = { 'x-deck-token': web.token };
    expect((await post('app.info', { ...t, host: `evil.example:${web.port}` })).status).toBe(403);
    expect((await post('app.info', { ...t, host: `127.0.0.1:${web.port + 1}` })).status).toBe(403);
    expect((await post('app.info', { ...t, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('app.info', { ...t, origin: 'null' })).status).toBe(403);
    expect((await post('app.info', { ...t, origin: `https://127.0.0.1:${web.port}` })).status).toBe(403);
    expect((await post('app.info', { ...t, origin: `http://127.0.0.1:${web.port}.evil.example` })).status).toBe(403);
    // DNS rebinding: a name that resolves to 127.0.0.1 is still not our Host.
    expect((await post('app.info', { ...t, host: `localhost.evil.example:${web.port}` })).status).toBe(403);
    expect((await post('app.info', { ...t, host: '127.0.0.1' })).status).toBe(403);
    // No Host header at all (HTTP/1.0).
    const noHost = await raw(web.port, `GET /api/events HTTP/1.0\r\nX-Deck-Token: ${web.token}\r\n\r\n`);
    expect(noHost.split('\r\n')[0]).toMatch(/ 403 /);
    expect((await post('app.info', { ...t, origin: `http://localhost:${web.port}` })).status).toBe(200);
    expect((await post('app.info', { ...t, host: `localhost:${web.port}` })).status).toBe(200);
  });

  it('turns the URL token into an HttpOnly SameSite cookie that then authorises the API', async () => {
    const first = await send(web.port, `/?token=${web.token}`, { headers: { host: `127.0.0.1:${web.port}` } });
    expect(first.status).toBe(303);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await send(web.port, '/', { headers: { host: `127.0.0.1:${web.port}`, cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const api = await post('app.info', { cookie: cookie.split(';')[0]! });
    expect(JSON.parse(api.body)).toMatchObject({ ok: true, data: { mode: 'web' } });
  });

  it('answers unknown channels 404 and bad payloads 400, one line each', async () => {
    const t = { 'x-deck-token': web.token };
    const unknown = await post('nope', t);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, code: 'unknown-channel' });
    const bad = await post('session.open', t, '{"ref": 7}');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/^session\.open: bad payload/);
    expect((await post('app.info', t, '{not json')).status).toBe(400);
  });

  it('never serves files outside the built UI', async () => {
    const r = await send(web.port, '/..%2fsecret.txt', { headers: { host: `127.0.0.1:${web.port}`, 'x-deck-token': web.token } });
    expect(r.body).not.toContain('outside the static root');
  });
});
