/**
 * Conversion: the preview (what the target needs, what it cannot hold) before any write, the
 * write into a file, folder or store (replacing a store session is backed up first), and a
 * batch of files as one job.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Given } from '../../shared/contract.js';
import { givenText, missingFields, prepareConversion, targetFormat, type GivenFields } from '../core/convert/convert.js';
import { writeConverted } from '../core/convert/write-output.js';
import { describeError, SessionError } from '../core/errors.js';
import { readInput } from '../core/formats/detect.js';
import type { SessionFormat } from '../core/formats/types.js';
import { namedSidecarOf } from '../core/sidecar/files.js';
import { storeRefOf, writeStoreSession } from '../core/store/session-refs.js';
import type { StoreFormatId } from '../core/store/session-store.js';
import { parseStoreAddress, storeRef } from '../core/store/store-url.js';
import type { ServiceContext } from './context.js';
import type { Handlers } from './handlers.js';

type ConvertChannels = 'convert.preview' | 'convert.write' | 'convert.batch';

export function toGiven(g: Given): GivenFields {
  return { userId: g.userId === undefined ? undefined : BigInt(g.userId), isBot: g.isBot, apiId: g.apiId };
}

/** The name a session goes by: a file's name without its extension, a store session's id. */
const stemOf = (ref: string) => storeRefOf(ref)?.id ?? basename(ref, extname(ref));

/**
 * `<stem>.<target>.session` (or .txt, or a folder) beside the source or in `dir`, not yet taken;
 * into a store layout, `<store>#<stem>` in the library's first store of that layout.
 */
function suggestedOutput(ref: string, target: SessionFormat, dir = dirname(ref), taken: ReadonlySet<string> = new Set(), stores: readonly string[] = []): string | null {
  if (ref.startsWith('mem:')) return null;
  const stem = stemOf(ref);
  if (target.medium === 'store') return stores[0] === undefined ? null : storeRef(stores[0], stem);
  const ext = target.medium === 'string' ? '.txt' : target.medium === 'folder' ? '' : '.session';
  let out = join(dir, `${stem}.${target.id}${ext}`);
  for (let i = 2; existsSync(out) || taken.has(out); i++) out = join(dir, `${stem}.${target.id}-${i}${ext}`);
  return out;
}

/** The sidecar beside an open file (an imported string and a store's session have none). */
export const sidecarOfRef = (ref: string) => (ref.startsWith('mem:') || storeRefOf(ref) ? undefined : namedSidecarOf(ref));

/** Lets a cancel request (or any other request) in between two synchronous conversions. */
const yieldToEvents = () => new Promise<void>((r) => setImmediate(r));

/** How the app's report says the user gave a value (the CLI says "on the command line"). */
export const BY_YOU = 'given by you';

export function convertHandlers({ library, sessions, jobs, auto, passwords, openRef, storesOf }: ServiceContext): Pick<Handlers, ConvertChannels> {
  return {
    'convert.preview': async ({ ref, to, given }) => {
      const r = await (await openRef(ref)).full();
      const target = targetFormat(to);
      const sidecar = sidecarOfRef(ref);
      const g = toGiven(given);
      const missing = missingFields(r.session, target.id, g, sidecar);
      const base = { missing, suggestedPath: suggestedOutput(ref, target, undefined, undefined, storesOf(target.id)), sidecar: sidecar?.name ?? null };
      if (missing.length > 0) return { ...base, losses: [], given: [] };
      const c = prepareConversion(r.session, r.format, target.id, g, sidecar);
      return { ...base, losses: c.losses.map((l) => l.text), given: c.given.map((v) => givenText(v, BY_YOU)) };
    },
    'convert.write': async ({ ref, to, given, legacy, passcode, out, force, sidecar: copySidecar }) => {
      const target = targetFormat(to);
      if (passcode !== undefined && target.id !== 'tdata') throw new SessionError('usage', 'a passcode is for a Telegram Desktop tdata only');
      const r = await (await openRef(ref)).full();
      const sidecar = sidecarOfRef(ref);
      const c = prepareConversion(r.session, r.format, target.id, toGiven(given), sidecar);
      if (target.medium === 'store') {
        const dest = storeRefOf(out);
        if (!dest?.id) throw new SessionError('usage', `${target.label}: write it to <store URL>#<session id>`);
        // Replacing one is an update: backed up first, as an edit is.
        const { backup } = await writeStoreSession(dest, c.session, { replace: force, create: target.id as StoreFormatId, beforeReplace: () => auto.beforeEdit(storeRef(dest.store, dest.id!)) }, passwords.opener);
        const written = storeRef(parseStoreAddress(dest.store).display, dest.id);
        // A store in the library shows the new session at once.
        const root = library.storeRoot(dest.store);
        if (root) void library.scan([root]).catch(() => undefined);
        // A session replaced under its id is read afresh next time.
        sessions.close(written);
        return { path: written, losses: c.losses.map((l) => l.text), sidecar: null, backup };
      }
      const path = resolve(out);
      const sidecarPath = writeConverted(target, c.session, path, { legacy, passcode, force, sidecar: copySidecar ? sidecar : undefined });
      return { path, losses: c.losses.map((l) => l.text), sidecar: sidecarPath, backup: null };
    },

    'convert.batch': ({ jobId, paths, to, given, legacy, outDir, sidecar: copySidecar }) => {
      const target = targetFormat(to);
      const dir = resolve(outDir);
      return jobs.run(
        `Converting ${paths.length} to ${target.label}`,
        async (signal, progress) => {
          mkdirSync(dir, { recursive: true });
          const written: { from: string; to: string; losses: number }[] = [];
          const failed: { path: string; error: string }[] = [];
          const outs = new Set<string>();
          for (const [i, raw] of paths.entries()) {
            await yieldToEvents();
            if (signal.aborted) break;
            const from = resolve(raw);
            progress(i, paths.length, basename(from));
            try {
              // Read directly, not through the open-session cache: a batch must not evict what the user is looking at.
              const r = readInput(from);
              const sidecar = namedSidecarOf(from);
              const c = prepareConversion(r.session, r.format, target.id, toGiven(given), sidecar);
              const out = suggestedOutput(from, target, dir, outs)!;
              writeConverted(target, c.session, out, { legacy, sidecar: copySidecar ? sidecar : undefined });
              outs.add(out);
              written.push({ from, to: out, losses: c.losses.length });
            } catch (e) {
              failed.push({ path: from, error: describeError(e) });
            }
          }
          if (!signal.aborted) progress(paths.length, paths.length);
          return { written, failed, cancelled: signal.aborted };
        },
        jobId,
      );
    },
  };
}
