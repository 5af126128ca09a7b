/** The one Content-Security-Policy of the UI, sent as a header by the web mode and by Electron. */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export const CSP = DIRECTIVES.join('; ');

/** renderer/index.html's meta tag (the policy of the file:// page): the same, minus frame-ancestors, which a meta tag cannot carry. */
export const META_CSP = DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; ');
