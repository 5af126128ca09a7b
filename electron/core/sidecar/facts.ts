/** A sidecar as the UI, `inspect --json` and `list` see it: no 2FA password, the app hash masked. */
import type { SidecarFacts } from '../../../shared/dto.js';
import type { Sidecar } from './codec.js';

/** An app hash is not a password, but it is an app's credential: its ends only. */
function maskHash(h: string): string {
  return h.length <= 8 ? '•'.repeat(h.length) : `${h.slice(0, 4)}${'•'.repeat(8)}${h.slice(-2)}`;
}

export function sidecarFacts(path: string, s: Sidecar, conflicts: readonly string[] = []): SidecarFacts {
  const a = s.account;
  const c = s.client;
  return {
    path,
    userId: a.userId?.toString() ?? null,
    phone: a.phone ?? null,
    username: a.username ?? null,
    firstName: a.firstName ?? null,
    lastName: a.lastName ?? null,
    apiId: c.apiId ?? null,
    apiHash: c.apiHash === undefined ? null : maskHash(c.apiHash),
    device: c.device ?? null,
    systemVersion: c.systemVersion ?? null,
    appVersion: c.appVersion ?? null,
    langPack: c.langPack ?? null,
    langCode: c.langCode ?? null,
    systemLangPack: c.systemLangPack ?? null,
    systemLangCode: c.systemLangCode ?? null,
    has2fa: s.twoFa !== undefined,
    premium: a.premium ?? null,
    otherKeys: [...s.otherKeys],
    warnings: [...s.warnings, ...conflicts],
  };
}
