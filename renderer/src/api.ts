/**
 * The typed client: one function per channel of the contract, made on first use. In
 * Electron it calls the preload's window.deck; in the web mode it POSTs to /api/<channel>
 * (the token cookie rides along). Replies are envelopes; errors become one-line Errors.
 */
import type { ChannelName, Envelope, EventName, EventPayload, Req, Res } from '../../shared/contract.js';

export type Api = { [K in ChannelName]: (req: Req<K>) => Promise<Res<K>> };

interface DeckBridge {
  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Electron only: where a dropped File lives on disk. */
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    deck?: DeckBridge;
  }
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

async function overHttp(channel: string, payload: unknown): Promise<Envelope<unknown>> {
  let res: Response;
  try {
    res = await fetch(`/api/${channel}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload ?? {}),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, error: 'the Session Deck server is not reachable (was it stopped?)', code: 'offline' };
  }
  try {
    return (await res.json()) as Envelope<unknown>;
  } catch {
    return { ok: false, error: `the server answered ${res.status}`, code: 'http' };
  }
}

const call = (channel: string, payload: unknown): Promise<Envelope<unknown>> =>
  window.deck ? window.deck.invoke(channel, payload) : overHttp(channel, payload);

/**
 * Each channel's client, made on first use. No table of channel names at run time: the
 * contract's types are all the UI takes from it, so zod stays out of the UI bundle.
 */
export const api = new Proxy({} as Record<string, (req: unknown) => Promise<unknown>>, {
  get(clients, name) {
    // Channel names have a dot; anything else (`then`, symbols) is no channel.
    if (typeof name !== 'string' || !name.includes('.')) return undefined;
    clients[name] ??= async (req: unknown) => {
      const reply = await call(name, req);
      if (!reply.ok) throw new ApiError(reply.error, reply.code);
      return reply.data;
    };
    return clients[name];
  },
}) as unknown as Api;

export const isElectron = (): boolean => window.deck !== undefined;

/** Paths of files and folders dropped on the window; empty in the web mode, where the browser does not tell them. */
export function droppedPaths(files: FileList): string[] {
  const bridge = window.deck;
  if (!bridge) return [];
  return [...files].map((f) => bridge.pathForFile(f)).filter((p) => p.length > 0);
}

/** An id for a long call, chosen before it starts so its progress and cancel can be followed. */
export const newJobId = (): string => crypto.randomUUID();

/** Subscribes to main-process events; returns the unsubscribe function. */
export function onEvent<K extends EventName>(name: K, listener: (p: EventPayload<K>) => void): () => void {
  if (window.deck) return window.deck.on(name, (p) => listener(p as EventPayload<K>));
  return webEvents(name, listener as (p: unknown) => void);
}

let source: EventSource | undefined;
function webEvents(name: string, listener: (p: unknown) => void): () => void {
  source ??= new EventSource('/api/events');
  const handler = (e: MessageEvent<string>) => listener(JSON.parse(e.data) as unknown);
  source.addEventListener(name, handler);
  return () => source?.removeEventListener(name, handler);
}
