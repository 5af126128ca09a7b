/** The app's own channels: its facts and settings, path completion, the OS dialogs, job cancel. */
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, sep } from 'node:path';
import { SessionError } from '../core/errors.js';
import { editableInPlace, FORMATS, STORE_FORMATS } from '../core/formats/registry.js';
import type { ServiceContext } from './context.js';
import type { Handlers } from './handlers.js';

type AppChannels = 'app.info' | 'settings.set' | 'fs.complete' | 'dialog.open' | 'dialog.save' | 'job.cancel';

export function appHandlers({ platform, settings, auto, jobs }: ServiceContext): Pick<Handlers, AppChannels> {
  const formats = [...FORMATS, ...STORE_FORMATS].map((f) => ({
    id: f.id,
    label: f.label,
    library: f.library,
    medium: f.medium,
    requires: [...f.capabilities.requires],
    editable: editableInPlace(f),
  }));
  return {
    'app.info': () => ({
      mode: platform.mode,
      version: platform.version,
      platform: process.platform,
      appDataDir: platform.appDataDir,
      formats,
      settings: settings.get(),
      homeDir: homedir(),
    }),
    'settings.set': (patch) => {
      const next = settings.update(patch);
      // New retention limits apply at once.
      void auto.prune().catch(() => undefined);
      return next;
    },
    'fs.complete': ({ prefix }) => ({ items: complete(prefix) }),
    'dialog.open': async ({ kind }) =>
      platform.openDialog ? { available: true, paths: await platform.openDialog(kind) } : { available: false, paths: [] },
    'dialog.save': async ({ defaultPath }) =>
      platform.saveDialog ? { available: true, path: await platform.saveDialog(defaultPath) } : { available: false, path: null },
    'job.cancel': ({ jobId }) => {
      if (!jobs.cancel(jobId)) throw new SessionError('not-found', 'no such job (it may have finished)');
      return { ok: true as const };
    },
  };
}

/** Path completion for the web mode's folder field: folders first, dot entries only when typed. */
function complete(prefix: string): { path: string; dir: boolean }[] {
  const expanded = prefix === '~' || prefix.startsWith(`~${sep}`) ? homedir() + prefix.slice(1) : prefix;
  if (!expanded) return [{ path: homedir() + sep, dir: true }];
  const endsWithSep = expanded.endsWith(sep);
  const dir = endsWithSep ? expanded : dirname(expanded);
  const start = endsWithSep ? '' : basename(expanded);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const items = names
    .filter((n) => n.startsWith(start) && (start.startsWith('.') || !n.startsWith('.')))
    .map((n) => {
      const p = join(dir, n);
      let isDir = false;
      try {
        isDir = statSync(p).isDirectory();
      } catch {
        /* a broken link is listed as a file */
      }
      return { path: isDir ? p + sep : p, dir: isDir };
    });
  items.sort((a, b) => Number(b.dir) - Number(a.dir) || a.path.localeCompare(b.path));
  return items.slice(0, 50);
}
