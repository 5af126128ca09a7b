/**
 * Everything the web UI receives from the main process during the e2e run: every /api reply
 * body (Playwright's page.on('response')) and every server-sent event (a second listener on
 * /api/events, which gets the same broadcast), so a test can scan it for key material.
 */
import { request, type ClientRequest } from 'node:http';
import type { Page, Response } from '@playwright/test';

export interface Reply {
  channel: string;
  body: string;
}

export class Traffic {
  readonly replies: Reply[] = [];
  /** Replies whose body could not be read (the scan must not silently skip any). */
  readonly unread: string[] = [];
  private events = '';
  private readonly pending: Promise<void>[] = [];
  private stream: ClientRequest | undefined;

  /** Records the page's /api replies (the event stream is read by `listen`). */
  record(page: Page): void {
    page.on('response', (res: Response) => {
      const url = new URL(res.url());
      if (!url.pathname.startsWith('/api/') || url.pathname === '/api/events') return;
      const channel = url.pathname.slice('/api/'.length);
      this.pending.push(
        res.text().then(
          (body) => void this.replies.push({ channel, body }),
          () => void this.unread.push(channel),
        ),
      );
    });
  }

  /** Opens our own subscription to the server's events with the token from its address. */
  listen(serverUrl: string): Promise<void> {
    const u = new URL(serverUrl);
    return new Promise((resolve, reject) => {
      this.stream = request(
        { host: u.hostname, port: u.port, path: '/api/events', headers: { host: u.host, 'x-deck-token': u.searchParams.get('token') ?? '' } },
        (res) => {
          if (res.statusCode !== 200) return reject(new Error(`events: ${res.statusCode}`));
          res.on('data', (c: Buffer) => (this.events += c.toString()));
          resolve();
        },
      );
      this.stream.on('error', () => undefined);
      this.stream.end();
    });
  }

  /** Waits for the bodies still being read, stops listening, and returns the event stream's text. */
  async finish(): Promise<string> {
    await Promise.all(this.pending);
    this.stream?.destroy();
    return this.events;
  }
}

/**
 * Recognisable pieces of a 256-byte key in every encoding a reply could carry it in: hex, and
 * base64 / base64url at each of the three byte alignments (a key inside a longer blob, as in a
 * session string, starts at any offset modulo 3).
 */
export function keyFragments(hex: string): string[] {
  const key = Buffer.from(hex, 'hex');
  const out = [hex.slice(0, 48), hex.toUpperCase().slice(0, 48)];
  for (const skip of [0, 1, 2]) {
    const b64 = key.subarray(skip).toString('base64').slice(0, 40);
    out.push(b64, b64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}
