/**
 * The decisions behind the window's guards, as pure functions (the Electron handlers in
 * index.ts only call these): our page may reload itself and nothing else; new windows are
 * always denied, an allow-listed https link opens in the user's browser; every permission
 * request is denied except writing non-secret values to the clipboard from our own page.
 */

/** Links that may leave the app, to the user's browser: https on these hosts only. */
export const EXTERNAL_HOSTS = ['github.com', 'core.telegram.org', 'my.telegram.org'] as const;

/** The one permission the UI uses: CopyValue writes an id or a fingerprint (never a secret). */
export const ALLOWED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

/** True when `url` is our own page: the same file (packaged) or the same origin (dev server). */
export function isTrustedUrl(url: string, rendererUrl: string): boolean {
  try {
    const u = new URL(url);
    const ours = new URL(rendererUrl);
    if (ours.protocol === 'file:') return u.protocol === 'file:' && u.host === ours.host && u.pathname === ours.pathname;
    return u.origin === ours.origin;
  } catch {
    return false;
  }
}

/** will-navigate: only our own page (a reload); anything else is prevented. */
export function allowNavigation(url: string, rendererUrl: string): boolean {
  return isTrustedUrl(url, rendererUrl);
}

/** The URL to hand to the OS browser for an allow-listed link, or null. */
export function externalLink(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' || u.username || u.password || u.port) return null;
    return (EXTERNAL_HOSTS as readonly string[]).includes(u.hostname) ? u.href : null;
  } catch {
    return null;
  }
}

/** setWindowOpenHandler: never a new Electron window; an allow-listed link goes to the browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: string | null } {
  return { action: 'deny', openExternally: externalLink(url) };
}

/** setPermissionRequestHandler / setPermissionCheckHandler. */
export function permissionAllowed(permission: string, requestingUrl: string, rendererUrl: string): boolean {
  return ALLOWED_PERMISSIONS.includes(permission) && isTrustedUrl(requestingUrl, rendererUrl);
}

/** The frame an IPC call came from, as far as the check needs it. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/** Why an IPC call is refused (not our top-level page), or null when it may proceed. */
export function senderRefusal(frame: SenderFrame | null | undefined, rendererUrl: string): string | null {
  if (!frame) return 'refused: the sending frame is gone';
  if (frame.parent !== null) return 'refused: the request came from a sub-frame';
  if (!isTrustedUrl(frame.url, rendererUrl)) return 'refused: the request did not come from Session Deck';
  return null;
}
