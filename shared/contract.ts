/**
 * The one table of channels between the UI and the main process (GitHub Desktop style):
 * name → request schema, response schema. The preload, the web client, the IPC registration
 * and the HTTP router are all generated from this table in a loop, so a channel is one entry
 * here plus one handler. 64-bit values travel as decimal strings. Nothing here carries an auth
 * key; only the responses marked `secret` carry a session string, and only on an explicit click.
 */
import { z } from 'zod';
import { EntrySchema, int64, PeerQuerySchema, PeerRowSchema, SummarySchema } from './dto.js';

const path = z.string().min(1).max(4096);
/** An open session: a file or folder path, or a handle for an imported string (`mem:…`). */
const ref = z.string().min(1).max(4096);
const formatId = z.string().min(1).max(40);
const empty = z.strictObject({});
/** Chosen by the UI before a long call, so it can follow the `job` events and cancel. */
const jobId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'expected a job id');
/** A new passphrase; one that opens an existing backup is only checked against it. */
const passphrase = z.string().min(8, 'the passphrase needs at least 8 characters').max(1024);
const givenPassphrase = z.string().min(1, 'enter the passphrase').max(1024);
const conflict = z.enum(['skip', 'keep-both', 'overwrite']);
const ok = z.object({ ok: z.literal(true) });

export const FormatInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  library: z.string(),
  medium: z.enum(['string', 'bytes', 'sqlite', 'folder', 'store']),
  requires: z.array(z.enum(['user', 'isBot', 'apiId', 'authKey'])),
  /** Whether Edit rewrites a session of this format in place (a tdata is converted instead). */
  editable: z.boolean(),
});

export const SettingsSchema = z.strictObject({
  /** Telegram's authorization TTL: sessions idle longer are "likely expired". */
  authTtlDays: z.number().int().min(1).max(3650),
  /** Copy clears the clipboard after this many seconds (if it still holds our text). */
  clipboardClearSeconds: z.number().int().min(5).max(600),
  theme: z.enum(['system', 'light', 'dark']),
  /** Automatic backups (taken before each edit) kept: the newest N; 0 = no count limit. */
  autoBackupKeepLast: z.number().int().min(0).max(10_000),
  /** Automatic backups older than this many days are removed; 0 = no age limit. */
  autoBackupMaxAgeDays: z.number().int().min(0).max(3650),
});

export const BackupSessionSchema = z.object({
  name: z.string(),
  kind: z.enum(['file', 'folder']),
  originalPath: z.string(),
  format: z.string().nullable(),
  userId: int64.nullable(),
  files: z.number(),
  bytes: z.number(),
});

export const RestoreItemSchema = z.object({
  session: z.string(),
  kind: z.enum(['file', 'folder']),
  /** See electron/core/backup/restore.ts: what happens to this session. */
  action: z.enum(['create', 'unchanged', 'skip', 'keep-both', 'overwrite']),
  target: z.string(),
  movedAside: z.string().nullable(),
  /** Where the session's .json sidecar goes, beside it, when the backup holds one. */
  sidecar: z.string().nullable(),
  originalPath: z.string(),
  format: z.string().nullable(),
});

const RestoreRequest = z.strictObject({ jobId, file: path, passphrase: givenPassphrase, dest: path, onConflict: conflict });
const RestoreResponse = z.object({ createdAt: z.string(), items: z.array(RestoreItemSchema) });

const GivenSchema = z.strictObject({
  userId: int64.optional(),
  isBot: z.boolean().optional(),
  apiId: z.number().int().min(1).max(0xffffffff).optional(),
});

const EditOpSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('setHomeDc'), dc: z.number().int().min(1).max(1000) }),
  z.strictObject({ type: z.literal('removeDcKey'), dc: z.number().int().min(1).max(1000) }),
  z.strictObject({ type: z.literal('clearPeers') }),
]);

const ConvertRequest = z.strictObject({
  ref,
  to: formatId,
  given: GivenSchema.default({}),
  legacy: z.boolean().default(false),
  /** tdata: a local passcode to lock the written folder with (none: no passcode). */
  passcode: z.string().min(1).max(1024).optional(),
});

const channel = <Q extends z.ZodType, R extends z.ZodType>(request: Q, response: R, secret = false) => ({
  request,
  response,
  secret,
});

export const CHANNELS = {
  'app.info': channel(
    empty,
    z.object({
      mode: z.enum(['electron', 'web']),
      version: z.string(),
      platform: z.string(),
      appDataDir: z.string(),
      formats: z.array(FormatInfoSchema),
      settings: SettingsSchema,
      homeDir: z.string(),
    }),
  ),
  'settings.set': channel(SettingsSchema.partial(), SettingsSchema),

  'library.list': channel(
    empty,
    z.object({
      roots: z.array(z.object({ path: z.string(), kind: z.enum(['folder', 'file', 'store']) })),
      entries: z.array(EntrySchema),
      scanning: z.boolean(),
    }),
  ),
  /** Adds folders or files and scans them; progress arrives as `job` events. */
  'library.add': channel(z.strictObject({ paths: z.array(path).min(1).max(1000) }), z.object({ jobId: z.string() })),
  'library.remove': channel(z.strictObject({ path }), ok),
  /**
   * Adds a shared store by URL (postgresql://…, redis://…, or an SQLite file with the alchemy
   * tables) after opening it once, read-only, so a wrong password or an unreachable server is
   * the answer; then lists it as a job. The password (from the URL or given) is kept in memory,
   * and with `remember` sealed by the OS keychain (the desktop app only); never in library.json.
   */
  'library.addStore': channel(
    z.strictObject({ url: z.string().min(1).max(4096), password: z.string().max(1024).optional(), remember: z.boolean().default(false) }),
    z.object({ store: z.string(), format: z.string(), sessions: z.number(), jobId: z.string() }),
  ),
  'library.rescan': channel(empty, z.object({ jobId: z.string() })),
  /** Path completion for the web mode's folder field (no native dialog there). */
  'fs.complete': channel(
    z.strictObject({ prefix: z.string().max(4096) }),
    z.object({ items: z.array(z.object({ path: z.string(), dir: z.boolean() })) }),
  ),
  /** Native dialogs (Electron only; the web mode answers `available: false`). */
  'dialog.open': channel(
    z.strictObject({ kind: z.enum(['folder', 'file']) }),
    z.object({ available: z.boolean(), paths: z.array(z.string()) }),
  ),
  'dialog.save': channel(
    z.strictObject({ defaultPath: z.string().max(4096) }),
    z.object({ available: z.boolean(), path: z.string().nullable() }),
  ),
  'job.cancel': channel(z.strictObject({ jobId: z.string().max(64) }), ok),

  'session.open': channel(z.strictObject({ ref }), z.object({ ref: z.string(), summary: SummarySchema })),
  'session.close': channel(z.strictObject({ ref }), ok),
  'session.peers': channel(
    z.strictObject({
      ref,
      query: PeerQuerySchema.default({ search: '', kind: '', sort: 'id', desc: false }),
      start: z.number().int().min(0),
      limit: z.number().int().min(1).max(1000),
    }),
    z.object({ rows: z.array(PeerRowSchema), start: z.number(), total: z.number() }),
  ),
  'session.minPeers': channel(
    z.strictObject({ ref, start: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }),
    z.object({
      rows: z.array(z.object({ userId: int64, peerId: int64, msgId: z.number() })),
      total: z.number(),
    }),
  ),

  /** Encodes a string and keeps it in the main process; the UI gets a handle and a masked preview. */
  'export.prepare': channel(
    ConvertRequest,
    z.object({
      handle: z.string(),
      preview: z.string(),
      length: z.number(),
      format: z.string(),
      library: z.string(),
      losses: z.array(z.string()),
      given: z.array(z.string()),
    }),
  ),
  'export.reveal': channel(z.strictObject({ handle: z.string().max(64) }), z.object({ text: z.string() }), true),
  /** Electron: the main process copies and clears later. Web: the text comes back for the browser clipboard. */
  'export.copy': channel(
    z.strictObject({ handle: z.string().max(64) }),
    z.object({ via: z.enum(['main', 'renderer']), text: z.string().nullable(), clearAfterSeconds: z.number() }),
    true,
  ),
  'export.save': channel(z.strictObject({ handle: z.string().max(64), path, force: z.boolean().default(false) }), z.object({ path: z.string() })),
  'export.discard': channel(z.strictObject({ handle: z.string().max(64) }), ok),

  /** Reads a pasted string; ambiguous strings list the candidates so the UI can ask. */
  'import.preview': channel(
    z.strictObject({ text: z.string().min(1).max(100_000), from: formatId.optional() }),
    z.discriminatedUnion('status', [
      z.object({ status: z.literal('ok'), ref: z.string(), summary: SummarySchema }),
      z.object({ status: z.literal('ambiguous'), candidates: z.array(z.string()) }),
    ]),
  ),

  /** The loss report and the fields still to ask for, before anything is written. */
  'convert.preview': channel(
    ConvertRequest,
    z.object({
      losses: z.array(z.string()),
      given: z.array(z.string()),
      missing: z.array(z.enum(['user', 'isBot', 'apiId', 'authKey'])),
      suggestedPath: z.string().nullable(),
      /** The source's sidecar file name, when it has one (its values fill what the target needs). */
      sidecar: z.string().nullable(),
    }),
  ),
  /** `sidecar`: write a copy of the source's sidecar beside the output (when it has one). */
  'convert.write': channel(
    ConvertRequest.extend({ out: path, force: z.boolean().default(false), sidecar: z.boolean().default(true) }),
    /** `backup`: where the session a store write replaced (force) was backed up first. */
    z.object({ path: z.string(), losses: z.array(z.string()), sidecar: z.string().nullable(), backup: z.string().nullable() }),
  ),

  /**
   * Converts many sessions into one folder as a job (progress, cancel). A session that cannot
   * be converted (a field missing, a write refused) is reported and the others go on.
   */
  'convert.batch': channel(
    z.strictObject({
      jobId,
      paths: z.array(path).min(1).max(100_000),
      to: formatId,
      given: GivenSchema.default({}),
      legacy: z.boolean().default(false),
      outDir: path,
      sidecar: z.boolean().default(true),
    }),
    z.object({
      written: z.array(z.object({ from: z.string(), to: z.string(), losses: z.number() })),
      failed: z.array(z.object({ path: z.string(), error: z.string() })),
      cancelled: z.boolean(),
    }),
  ),

  /** Backs up files and folders into one age-encrypted tar; progress as `job` events. */
  'backup.create': channel(
    z.strictObject({ jobId, paths: z.array(path).min(1).max(100_000), out: path, passphrase, overwrite: z.boolean().default(false) }),
    z.object({ file: z.string(), bytes: z.number(), createdAt: z.string(), sessions: z.array(BackupSessionSchema) }),
  ),
  /** Passphrase, age authentication and every SHA-256, without writing; problems are answers, not errors. */
  'backup.verify': channel(
    z.strictObject({ jobId, file: path, passphrase: givenPassphrase }),
    z.object({
      ok: z.boolean(),
      problem: z.string().nullable(),
      createdAt: z.string().nullable(),
      automatic: z.boolean().nullable(),
      appVersion: z.string().nullable(),
      sessions: z.array(BackupSessionSchema),
      files: z.number(),
      bytes: z.number(),
    }),
  ),
  /** What a restore would write where (after verifying the whole archive); writes nothing. */
  'restore.plan': channel(RestoreRequest, RestoreResponse),
  /** Staged restore: moved into place only when every file verified. */
  'restore.apply': channel(RestoreRequest, RestoreResponse),
  /** Where automatic backups go, whether their passphrase is set, how many there are. */
  'autoBackup.status': channel(
    empty,
    z.object({ dir: z.string(), passphraseSet: z.boolean(), count: z.number(), newest: z.string().nullable() }),
  ),
  /** Sets the automatic-backup passphrase (kept in the main process, never sent back). */
  'autoBackup.setPassphrase': channel(z.strictObject({ passphrase }), ok),

  /** Edits a session file in place after a backup of the original. */
  'edit.apply': channel(
    z.strictObject({ path, op: EditOpSchema }),
    z.object({ backup: z.string(), summary: SummarySchema }),
  ),
  /** Replaces a session's labels and note (kept by its auth key fingerprint, so they follow the login). */
  'labels.set': channel(
    z.strictObject({ path, labels: z.array(z.string().max(200)).max(100), note: z.string().max(10_000).nullable() }),
    z.object({ labels: z.array(z.string()), note: z.string().nullable() }),
  ),
  /** The 2FA password a session's sidecar holds, on an explicit Reveal (`path`: the session's or the sidecar's). */
  'sidecar.reveal2fa': channel(z.strictObject({ path }), z.object({ text: z.string() }), true),
  /**
   * Opens a Telegram Desktop tdata behind a local passcode for this run of the app: the passcode
   * is checked and dropped (only the local key stays, in the core's memory), then the library
   * locations holding it are scanned again. A wrong one is an error and changes nothing.
   */
  'tdata.unlock': channel(
    z.strictObject({ path, passcode: z.string().min(1).max(1024) }),
    z.object({ folder: z.string(), jobId: z.string().nullable() }),
  ),
  /** Deletes a session from its store, in one transaction, after an automatic encrypted backup of it. */
  'store.delete': channel(z.strictObject({ ref }), z.object({ backup: z.string() })),
  /** To the OS trash (Electron) or the app's own trash folder (web mode); never a plain delete. */
  'file.trash': channel(z.strictObject({ path }), z.object({ where: z.string() })),
  /** Clean-up of likely expired sessions: moved (never deleted) into an archive folder. */
  'file.archive': channel(
    z.strictObject({ paths: z.array(path).min(1).max(100_000), dest: path }),
    z.object({ moved: z.array(z.object({ from: z.string(), to: z.string() })) }),
  ),
} as const;

export type Channels = typeof CHANNELS;
export type ChannelName = keyof Channels;
export type Req<K extends ChannelName> = z.input<Channels[K]['request']>;
export type ParsedReq<K extends ChannelName> = z.output<Channels[K]['request']>;
export type Res<K extends ChannelName> = z.output<Channels[K]['response']>;

export const CHANNEL_NAMES = Object.keys(CHANNELS) as ChannelName[];

export function isChannel(name: string): name is ChannelName {
  return Object.hasOwn(CHANNELS, name);
}

/** Events from the main process to the UI. */
export const JobEventSchema = z.object({
  jobId: z.string(),
  label: z.string(),
  done: z.number(),
  total: z.number(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  message: z.string().nullable(),
});

export const EVENTS = {
  job: JobEventSchema,
  'library.changed': z.object({}),
  /** Application menu items that open a dialog in the UI (Electron). */
  menu: z.object({ action: z.enum(['add', 'import', 'settings', 'finder']) }),
} as const;

export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

export type EventName = keyof typeof EVENTS;
export type EventPayload<K extends EventName> = z.output<(typeof EVENTS)[K]>;

export type Settings = z.output<typeof SettingsSchema>;
export type FormatInfo = z.output<typeof FormatInfoSchema>;
export type EditOp = z.output<typeof EditOpSchema>;
export type Given = z.output<typeof GivenSchema>;
export type JobEvent = EventPayload<'job'>;
export type BackupSession = z.output<typeof BackupSessionSchema>;
export type RestoreItem = z.output<typeof RestoreItemSchema>;
export type ConflictChoice = z.output<typeof conflict>;

/** The reply envelope on both transports: handler errors travel as one line, never a stack. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: string; code: string };

/** Validates a request; the error is one line naming the channel and the first problem. */
export function parseRequest<K extends ChannelName>(name: K, payload: unknown): ParsedReq<K> {
  const r = CHANNELS[name].request.safeParse(payload ?? {});
  if (r.success) return r.data as ParsedReq<K>;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ContractError('bad-request', `${name}: bad payload (${where}${issue?.message ?? 'invalid'})`);
}

/** Checks a reply (or an event) against its schema; a mismatch is one line naming where. */
export function checkAgainst(schema: z.ZodType, what: string, value: unknown): void {
  const r = schema.safeParse(value);
  if (r.success) return;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ContractError('bad-reply', `${what} does not match the contract (${where}${issue?.message ?? 'invalid'})`);
}

export class ContractError extends Error {
  constructor(
    readonly code: 'bad-request' | 'unknown-channel' | 'bad-reply',
    message: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}
