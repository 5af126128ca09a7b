/**
 * The web mode: the same UI and handlers over HTTP on 127.0.0.1 only. A random token in the
 * first URL becomes an HttpOnly SameSite=Strict cookie; every API request needs it (or the
 * X-Deck-Token header). A Host that is not our loopback address and port, or a foreign
 * Origin, is refused before anything else (DNS rebinding, cross-site requests).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { EventName, EventPayload } from '../../shared/contract.js';
import { stringifyJson } from '../../shared/json.js';
import type { Dispatch } from '../services/handlers.js';
import { CSP } from './csp.js';

const COOKIE = 'deck_token';
const MAX_BODY = 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface WebServerOptions {
  port?: number;
  /** The built renderer (out/renderer). */
  staticDir: string;
  token?: string;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  server: Server;
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = stringifyJson(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(text);
}

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE) return v;
  }
  return undefined;
}

/** Host must name our loopback port; Origin, when sent, must be one of ours. */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const ours = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!ours.includes(req.headers.host ?? '')) return false;
  const origin = req.headers.origin;
  return origin === undefined || ours.some((o) => origin === `http://${o}`);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length === 0 ? {} : (JSON.parse(text) as unknown);
}

export function startWebServer(dispatch: Dispatch, opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const staticRoot = resolve(opts.staticDir);
  const streams = new Set<ServerResponse>();
  let port = 0;

  const serveStatic = (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    const rel = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
    let file = join(staticRoot, rel);
    if (!file.startsWith(staticRoot + sep)) return send(res, 403, { ok: false, error: 'forbidden', code: 'forbidden' });
    // Client-side routes fall back to the app shell.
    if (!existsSync(file) || !statSync(file).isFile()) file = join(staticRoot, 'index.html');
    if (!existsSync(file)) {
      return send(res, 503, { ok: false, error: 'the UI is not built; run `npm run web` (it builds it first)', code: 'not-built' });
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    void (async () => {
      if (!hostAllowed(req, port)) return send(res, 403, { ok: false, error: 'forbidden host or origin', code: 'forbidden' });
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      const queryToken = url.searchParams.get('token') ?? undefined;
      const authed = sameToken(cookieToken(req), token) || sameToken(req.headers['x-deck-token'] as string | undefined, token) || sameToken(queryToken, token);
      if (!authed) return send(res, 401, { ok: false, error: 'missing or wrong token: open the address the server printed', code: 'unauthorized' });

      if (url.pathname.startsWith('/api/')) {
        const name = url.pathname.slice('/api/'.length);
        if (name === 'events' && req.method === 'GET') return openEvents(res);
        if (req.method !== 'POST') return send(res, 405, { ok: false, error: 'use POST', code: 'method' });
        let payload: unknown;
        try {
          payload = await readBody(req);
        } catch (e) {
          return send(res, 400, { ok: false, error: `bad JSON body (${(e as Error).message.split('\n')[0]})`, code: 'bad-request' });
        }
        const reply = await dispatch(name, payload);
        const status = reply.ok ? 200 : reply.code === 'unknown-channel' ? 404 : reply.code === 'bad-request' ? 400 : 422;
        return send(res, status, reply);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false, error: 'method not allowed', code: 'method' });
      if (queryToken) {
        // The token moves into a cookie and out of the address bar (and the history).
        res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
        res.writeHead(303, { ...SECURITY_HEADERS, Location: url.pathname });
        return res.end();
      }
      serveStatic(req, res, url.pathname);
    })().catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: (e as Error).message.split('\n')[0], code: 'internal' });
      else res.end();
    });
  });

  const openEvents = (res: ServerResponse) => {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    res.write(': hello\n\n');
    streams.add(res);
    res.on('close', () => streams.delete(res));
  };

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolvePromise({
        url: `http://127.0.0.1:${port}/?token=${token}`,
        port,
        token,
        server,
        emit: (name, payload) => {
          const line = `event: ${name}\ndata: ${stringifyJson(payload)}\n\n`;
          for (const s of streams) s.write(line);
        },
        close: () =>
          new Promise((done) => {
            for (const s of streams) s.end();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
