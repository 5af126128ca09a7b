/**
 * One handler per channel of shared/contract.ts, plain Node (no Electron): the IPC
 * registration and the web server both call `dispatch`, which validates the payload first.
 * Session strings stay in the vault; the only replies carrying one are Reveal and the web
 * mode's Copy, both on an explicit click.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import {
  ContractError,
  isChannel,
  parseRequest,
  type ChannelName,
  type EditOp,
  type Envelope,
  type Given,
  type ParsedReq,
  type Res,
} from '../../shared/contract.js';
import { ClipboardGuard } from '../../shared/clipboard-guard.js';
import { missingFields, prepareConversion, targetFormat, type GivenFields } from '../core/convert/convert.js';
import { encodeToString, writeConverted, writeOutput } from '../core/convert/write-output.js';
import { findSidecar, namedSidecarOf } from '../core/sidecar/files.js';
import { describeError, isSessionError, SessionError } from '../core/errors.js';
import { readInput, readString } from '../core/formats/detect.js';
import { editableInPlace, FORMATS, formatById, STORE_FORMATS } from '../core/formats/registry.js';
import { storeRefOf, writeStoreSession } from '../core/store/session-refs.js';
import type { StoreFormatId } from '../core/store/session-store.js';
import { parseStoreAddress, storeRef } from '../core/store/store-url.js';
import { containerOf } from '../core/formats/tdata-format.js';
import type { ReadResult, SessionFormat } from '../core/formats/types.js';
import { writeFileAtomic } from '../core/fs/atomic.js';
import { fileStamp } from '../core/backup/stamp.js';
import { Library, type Root } from '../core/library/library.js';
import type { Session } from '../core/model/session.js';
import { loginKeyOf } from '../core/accounts/login-key.js';
import { accountHandlers } from './account-handlers.js';
import { backupHandlers } from './backup-handlers.js';
import { AutoBackups } from './edit-backup.js';
import { Jobs } from './jobs.js';
import { moveInto } from './move-aside.js';
import { OpenSessions } from './open-sessions.js';
import type { Platform } from './platform.js';
import { maskSecret, SecretVault } from './secrets.js';
import { SettingsStore } from './settings.js';
import { tdataHandlers } from './tdata-handlers.js';
import { storeHandlers } from './store-handlers.js';
import { StorePasswords } from './store-passwords.js';

export type Handlers = { [K in ChannelName]: (req: ParsedReq<K>) => Promise<Res<K>> | Res<K> };

/** One request in, one envelope out: `dispatch` over these handlers, or the same through the core worker. */
export type Dispatch = (name: string, payload: unknown) => Promise<Envelope<unknown>>;

function toGiven(g: Given): GivenFields {
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
const sidecarOfRef = (ref: string) => (ref.startsWith('mem:') || storeRefOf(ref) ? undefined : namedSidecarOf(ref));

/** Lets a cancel request (or any other request) in between two synchronous conversions. */
const yieldToEvents = () => new Promise<void>((r) => setImmediate(r));

/** UI wording for the lines the converter writes for the CLI. */
const givenLine = (line: string) => line.replace('given on the command line', 'given by you');

function applyEdit(r: ReadResult, op: EditOp): Session {
  const s: Session = { ...r.session, dcs: r.session.dcs.map((d) => ({ ...d })) };
  switch (op.type) {
    case 'setHomeDc':
      if (!s.dcs.some((d) => d.id === op.dc)) throw new SessionError('usage', `DC ${op.dc} is not in this session's DC table`);
      s.homeDc = op.dc;
      return s;
    case 'removeDcKey': {
      const hit = s.dcs.filter((d) => d.id === op.dc && d.authKey !== undefined);
      if (hit.length === 0) throw new SessionError('usage', `DC ${op.dc} holds no auth key`);
      for (const d of hit) delete d.authKey;
      return s;
    }
    case 'clearPeers':
      return { ...s, peers: [], minPeers: [] };
  }
}

export interface Services {
  handlers: Handlers;
  library: Library;
  clipboardGuard: ClipboardGuard | undefined;
  /** Initial scan of the saved library; resolves when done. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export function createServices(platform: Platform): Services {
  const settings = new SettingsStore(platform.appDataDir);
  const passwords = new StorePasswords(platform.appDataDir, platform.seal);
  const auto = new AutoBackups({
    appDataDir: platform.appDataDir,
    appVersion: platform.version,
    openStore: passwords.opener,
    seal: platform.seal,
    workFactor: platform.backupWorkFactor,
    policy: () => {
      const s = settings.get();
      return { keepLast: s.autoBackupKeepLast || undefined, maxAgeDays: s.autoBackupMaxAgeDays || undefined };
    },
  });
  const library = new Library(platform.appDataDir, () => platform.emit('library.changed', {}), platform.watchFolders ?? true, passwords.opener);
  const jobs = new Jobs((e) => platform.emit('job', e));
  const sessions = new OpenSessions();
  const vault = new SecretVault();
  const clipboardGuard = platform.clipboard ? new ClipboardGuard(platform.clipboard) : undefined;

  const formats = [...FORMATS, ...STORE_FORMATS].map((f) => ({
    id: f.id,
    label: f.label,
    library: f.library,
    medium: f.medium,
    requires: [...f.capabilities.requires],
    editable: editableInPlace(f),
  }));

  /** An open session: a store's is loaded from it once (read-only) and kept until closed. */
  const openRef = async (ref: string) => {
    const inStore = storeRefOf(ref);
    if (!inStore) return sessions.open(ref);
    return sessions.openStored(ref, inStore, passwords.opener);
  };

  /** The library's stores of a layout, for a suggested output. */
  const storesOf = (format: string) => library.rootList.filter((r) => r.kind === 'store' && library.list(settings.get().authTtlDays).entries.some((e) => e.root === r.path && e.format === format)).map((r) => r.path);

  const libraryPath = (path: string) => {
    const root = library.rootOf(resolve(path));
    if (!root) throw new SessionError('usage', `${path}: not in the library; add its folder first`);
    return root;
  };

  /** Backup sources with what the library already knows of them, so the manifest needs no second detection. */
  const knownSources = (paths: readonly string[]) => {
    const entries = new Map(library.list(settings.get().authTtlDays).entries.filter((e) => e.status === 'ok').map((e) => [e.path, e]));
    // An account of a tdata is backed up as its whole tdata folder, once; a store's session is taken out of its store.
    return [...new Set(paths.map((p) => (storeRefOf(p) ? p : containerOf(resolve(p)))))].map((path) => {
      const e = entries.get(path);
      return e ? { path, format: e.format, userId: e.userId === null ? null : BigInt(e.userId), authKeyId: e.authKeyId } : path;
    });
  };

  /** The labels of every login among these files and under these folders, as the library knows them. */
  const labelsUnder = (paths: readonly string[]) => {
    const roots = paths.map((p) => (storeRefOf(p) ? p : resolve(p)));
    // Under a folder, or a session of a store.
    const inside = (p: string) => roots.some((r) => p === r || p.startsWith(r + sep) || p.startsWith(`${r}#`));
    return library.labels.forKeys(library.list(settings.get().authTtlDays).entries.filter((e) => inside(e.path)).map((e) => e.authKeyId));
  };

  /** Whether `dir` is (inside) a folder of the library: archived files there would come straight back. */
  const inLibraryFolder = (dir: string) => library.rootList.some((r) => r.kind === 'folder' && (dir === r.path || dir.startsWith(r.path + sep)));

  const scanJob = (label: string, roots = library.rootList) =>
    jobs.start(label, (signal, progress) => library.scan(roots, signal, (d, t, cur) => progress(d, t, basename(cur))));

  const handlers: Handlers = {
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

    'library.list': () => library.list(settings.get().authTtlDays),
    'library.add': ({ paths }) => {
      const roots = library.add(paths);
      return { jobId: scanJob(roots.length === 1 ? `Scanning ${basename(roots[0]!.path)}` : `Scanning ${roots.length} locations`, roots).jobId };
    },
    'library.remove': ({ path }) => {
      library.remove(path);
      return { ok: true as const };
    },
    'library.rescan': () => ({ jobId: scanJob('Rescanning the library').jobId }),
    'fs.complete': ({ prefix }) => ({ items: complete(prefix) }),
    'dialog.open': async ({ kind }) =>
      platform.openDialog ? { available: true, paths: await platform.openDialog(kind) } : { available: false, paths: [] },
    'dialog.save': async ({ defaultPath }) =>
      platform.saveDialog ? { available: true, path: await platform.saveDialog(defaultPath) } : { available: false, path: null },
    'job.cancel': ({ jobId }) => {
      if (!jobs.cancel(jobId)) throw new SessionError('not-found', 'no such job (it may have finished)');
      return { ok: true as const };
    },

    'session.open': async ({ ref }) => {
      const s = await openRef(ref);
      return { ref: s.ref, summary: s.summary };
    },
    'session.close': ({ ref }) => {
      sessions.close(ref);
      return { ok: true as const };
    },
    'session.peers': async ({ ref, query, start, limit }) => (await openRef(ref)).peers.page(query, start, limit),
    'session.minPeers': async ({ ref, start, limit }) => {
      const all = (await (await openRef(ref)).full()).session.minPeers;
      return {
        rows: all.slice(start, start + limit).map((m) => ({ userId: m.userId.toString(), peerId: m.peerId.toString(), msgId: m.msgId })),
        total: all.length,
      };
    },

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
        given: c.given.map(givenLine),
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

    'convert.preview': async ({ ref, to, given }) => {
      const r = await (await openRef(ref)).full();
      const target = targetFormat(to);
      const sidecar = sidecarOfRef(ref);
      const g = toGiven(given);
      const missing = missingFields(r.session, target.id, g, sidecar);
      const base = { missing, suggestedPath: suggestedOutput(ref, target, undefined, undefined, storesOf(target.id)), sidecar: sidecar?.name ?? null };
      if (missing.length > 0) return { ...base, losses: [], given: [] };
      const c = prepareConversion(r.session, r.format, target.id, g, sidecar);
      return { ...base, losses: c.losses.map((l) => l.text), given: c.given.map(givenLine) };
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
        const root = library.rootList.find((x) => x.kind === 'store' && x.path === parseStoreAddress(dest.store).display);
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

    ...backupHandlers({
      jobs,
      auto,
      knownSources,
      labels: { under: labelsUnder, restore: (records) => library.labels.mergeAll(records) },
      workFactor: platform.backupWorkFactor,
      openStore: passwords.opener,
      appVersion: platform.version,
    }),
    ...accountHandlers(library),
    ...tdataHandlers({ library, rescan: (label, roots) => scanJob(label, roots).jobId }),
    ...storeHandlers({ library, passwords, auto, sessions, rescan: (label, roots) => scanJob(label, roots).jobId }),

    'edit.apply': async ({ path, op }) => {
      const abs = resolve(path);
      const root = libraryPath(abs);
      const r = await sessions.open(abs).full();
      const format = targetFormat(r.format);
      if (!editableInPlace(format)) throw new SessionError('unsupported', `${abs}: a ${format.label} is not edited in place; convert it instead`);
      const edited = applyEdit(r, op);
      // The edit writes the same format back; the encrypted backup of the original is taken first, always.
      const backup = await auto.beforeEdit({ path: abs, format: r.format, userId: r.session.user?.id ?? null });
      const c = prepareConversion(edited, format.id, format.id);
      writeOutput(format, c.session, abs, { force: true });
      // A new home DC is another login key: the labels come along (the old key keeps its own, for other copies).
      const [before, after] = [loginKeyOf(r.session), loginKeyOf(c.session)];
      if (before !== null && after !== null && before !== after) library.labels.merge(after, library.labels.get(before));
      const reopened = sessions.open(abs);
      void library.scan([root]).catch(() => undefined);
      return { backup, summary: reopened.summary };
    },
    'file.trash': async ({ path }) => {
      // One account of a tdata goes with its whole folder: alone it is no session.
      const abs = containerOf(resolve(path));
      const root = libraryPath(resolve(path));
      sessions.close(resolve(path));
      let where: string;
      if (platform.trashItem) {
        // The sidecar goes with its session (its 2FA password must not stay behind).
        const sidecar = findSidecar(abs);
        await platform.trashItem(abs);
        if (sidecar) await platform.trashItem(sidecar);
        where = 'the system trash';
      } else {
        where = dirname(moveInto(abs, join(platform.appDataDir, 'trash', fileStamp(new Date()))));
      }
      if (root.path === abs) library.remove(abs);
      else await library.scan([root]);
      return { where };
    },
    'file.archive': async ({ paths, dest }) => {
      const into = resolve(dest);
      if (inLibraryFolder(into)) throw new SessionError('usage', `${into}: choose an archive folder outside the library's folders`);
      const moved: { from: string; to: string }[] = [];
      const rescan = new Map<string, Root>();
      try {
        for (const raw of paths) {
          const from = containerOf(resolve(raw));
          const root = libraryPath(resolve(raw));
          sessions.close(resolve(raw));
          // The other accounts of a tdata already moved with the first.
          if (moved.some((m) => m.from === from)) continue;
          moved.push({ from, to: moveInto(from, into) });
          if (root.path === from) library.remove(from);
          else rescan.set(root.path, root);
        }
      } finally {
        // Whatever moved before a failure is shown as moved.
        await library.scan([...rescan.values()]);
      }
      return { moved };
    },
  };

  return {
    handlers,
    library,
    clipboardGuard,
    start: async () => {
      // Retention at start and then on a timer; a failure here must not stop the app.
      await auto.prune().catch(() => undefined);
      auto.startTimer();
      await library.scan();
    },
    dispose: async () => {
      auto.stopTimer();
      jobs.cancelAll();
      library.close();
      vault.clear();
      await clipboardGuard?.clearIfOurs();
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

/** Validates and runs one request; every failure becomes one line in the envelope. */
export async function dispatch(handlers: Handlers, name: string, payload: unknown): Promise<Envelope<unknown>> {
  try {
    if (!isChannel(name)) throw new ContractError('unknown-channel', `unknown channel "${name.slice(0, 60)}"`);
    const req = parseRequest(name, payload);
    const handler = handlers[name] as (r: unknown) => Promise<unknown> | unknown;
    return { ok: true, data: await handler(req) };
  } catch (e) {
    const code = e instanceof ContractError || isSessionError(e) ? e.code : 'internal';
    return { ok: false, error: describeError(e), code };
  }
}

