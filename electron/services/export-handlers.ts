/**
 * Session strings out and in: an export prepared into the vault (only a masked preview goes
 * back), revealed, copied (cleared from the clipboard later if it still holds it) or saved on
 * an explicit request; a pasted string read into an in-memory session.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { givenText, prepareConversion, targetFormat } from '../core/convert/convert.js';
import { encodeToString } from '../core/convert/write-output.js';
import { isSessionError, SessionError } from '../core/errors.js';
import { formatById, FORMATS } from '../core/formats/registry.js';
import { readString } from '../core/formats/detect.js';
import type { ReadResult } from '../core/formats/types.js';
import { writeFileAtomic } from '../core/fs/atomic.js';
import type { ServiceContext } from './context.js';
import { BY_YOU, sidecarOfRef, toGiven } from './convert-handlers.js';
import type { Handlers } from './handlers.js';
import { maskSecret } from './secrets.js';

type ExportChannels = 'export.prepare' | 'export.reveal' | 'export.copy' | 'export.save' | 'export.discard' | 'import.preview';

export function exportHandlers({ settings, sessions, vault, clipboardGuard, openRef }: ServiceContext): Pick<Handlers, ExportChannels> {
  return {
    'export.prepare': async ({ ref, to, given, legacy }) => {
      const r = await (await openRef(ref)).full();
      const target = targetFormat(to);
      if (target.medium !== 'string') throw new SessionError('usage', `${to} is not a string format; use Convert`);
      const c = prepareConversion(r.session, r.format, target.id, toGiven(given), sidecarOfRef(ref));
      const text = encodeToString(target, c.session, { legacy });
      return {
        handle: vault.put(text),
        preview: maskSecret(text),
        length: text.length,
        format: target.id,
        library: target.library,
        losses: c.losses.map((l) => l.text),
        given: c.given.map((g) => givenText(g, BY_YOU)),
      };
    },
    'export.reveal': ({ handle }) => ({ text: vault.get(handle) }),
    'export.copy': async ({ handle }) => {
      const text = vault.get(handle);
      const seconds = settings.get().clipboardClearSeconds;
      if (!clipboardGuard) return { via: 'renderer' as const, text, clearAfterSeconds: seconds };
      await clipboardGuard.copy(text, seconds);
      return { via: 'main' as const, text: null, clearAfterSeconds: seconds };
    },
    'export.save': ({ handle, path, force }) => {
      const out = resolve(path);
      if (existsSync(out) && !force) throw new SessionError('exists', `${out} already exists`);
      writeFileAtomic(out, `${vault.get(handle)}\n`);
      return { path: out };
    },
    'export.discard': ({ handle }) => {
      vault.discard(handle);
      return { ok: true as const };
    },

    'import.preview': ({ text, from }) => {
      if (from !== undefined && !formatById(from)) throw new SessionError('usage', `unknown format "${from}"`);
      try {
        const s = sessions.hold(readString(text, { from: from as ReadResult['format'] | undefined }));
        return { status: 'ok' as const, ref: s.ref, summary: s.summary };
      } catch (e) {
        if (!isSessionError(e) || e.code !== 'ambiguous') throw e;
        return { status: 'ambiguous' as const, candidates: decodableAs(text.trim()) };
      }
    },
  };
}

/** Which string formats read this text on their own: the choices for an ambiguous paste. */
function decodableAs(text: string): string[] {
  return FORMATS.filter((f) => {
    if (f.medium !== 'string') return false;
    try {
      f.decode(text);
      return true;
    } catch {
      return false;
    }
  }).map((f) => f.id);
}
