import { SessionError } from '../errors.js';

/** "ip:port" or "[ipv6]:port" as ferogram and grammers write socket addresses. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function parseHostPort(addr: string): { host: string; port: number } {
  const m = /^\[([^\]]*)\]:(\d{1,5})$/.exec(addr) ?? /^([^:]*):(\d{1,5})$/.exec(addr);
  if (!m) {
    // A bare IPv6 literal or host without a port: keep the text, port unknown (0).
    if (addr.length > 0 && !/\s/.test(addr)) return { host: addr, port: 0 };
    throw new SessionError('malformed', `DC address "${addr.slice(0, 64)}" is not host:port`);
  }
  return { host: m[1]!, port: Number(m[2]) };
}
