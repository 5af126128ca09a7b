/** A version-1 backup manifest holding one file session `a.session`, as JSON (for crafted archives). */
export function v1Manifest(userId: string | null = null) {
  return {
    type: 'session-deck-backup',
    version: 1,
    appVersion: '0',
    createdAt: new Date(0).toISOString(),
    automatic: false,
    sessions: [
      {
        name: 'a.session',
        kind: 'file',
        originalPath: '/x/a.session',
        format: null,
        userId,
        files: [{ path: 'sessions/a.session', originalPath: '/x/a.session', format: null, size: 1, mtime: new Date(0).toISOString(), sha256: '0'.repeat(64), captured: 'copy' }],
      },
    ],
  };
}
