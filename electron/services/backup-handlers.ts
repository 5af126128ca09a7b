/**
 * The Backup and Restore dialogs' channels: backup, verify, restore preview and restore, each
 * a job under the id the UI chose (progress as `job` events, cancel with job.cancel), and the
 * automatic-backup passphrase and status. The passphrase arrives with each request and is
 * never stored here, nor sent back.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupSession, RestoreItem as RestoreItemDto } from '../../shared/contract.js';
import { createBackup } from '../core/backup/create.js';
import type { BackupSource } from '../core/backup/source.js';
import type { StoreOpener } from '../core/store/session-refs.js';
import type { Progress as BackupProgress } from '../core/backup/job.js';
import { archivedFiles, type Manifest, type ManifestSession } from '../core/backup/manifest.js';
import { verify } from '../core/backup/read.js';
import { planRestore, restore, type RestoreItem } from '../core/backup/restore.js';
import { parseAutoBackupName } from '../core/backup/stamp.js';
import type { LabelRecord } from '../core/labels/label-store.js';
import type { AutoBackups } from './edit-backup.js';
import type { Jobs, Progress } from './jobs.js';
import type { Handlers } from './handlers.js';

type BackupChannels = 'backup.create' | 'backup.verify' | 'restore.plan' | 'restore.apply' | 'autoBackup.status' | 'autoBackup.setPassphrase';

export interface BackupDeps {
  jobs: Jobs;
  auto: AutoBackups;
  /** The paths with what the library already knows of them (saves re-detecting each for the manifest). */
  knownSources(paths: readonly string[]): BackupSource[];
  /** How the library's stores are opened (their sessions are backed up read-only). */
  openStore: StoreOpener;
  /** The labels and notes of the logins in these files and folders, and where restored ones go. */
  labels: { under(paths: readonly string[]): LabelRecord[]; restore(records: readonly LabelRecord[]): void };
  workFactor?: number;
  /** The app's version, for the manifest. */
  appVersion: string;
}

const MB = 1024 * 1024;
const size = (n: number) => (n >= MB ? `${(n / MB).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

/** The core's progress as job progress, with a line the UI can show as it is. */
function relay(progress: Progress): (p: BackupProgress) => void {
  return (p) => progress(p.done, p.total, p.unit === 'files' ? `${p.done} of ${p.total} files` : `${size(p.done)} of ${size(p.total)}`);
}

function sessionDto(s: ManifestSession): BackupSession {
  return {
    name: s.name,
    kind: s.kind,
    originalPath: s.originalPath,
    format: s.format,
    userId: s.userId === null ? null : s.userId.toString(),
    files: archivedFiles(s).length,
    bytes: archivedFiles(s).reduce((n, f) => n + f.size, 0),
  };
}

function restoreDto(manifest: Manifest, items: RestoreItem[]): { createdAt: string; items: RestoreItemDto[] } {
  const byName = new Map(manifest.sessions.map((s) => [s.name, s]));
  return {
    createdAt: manifest.createdAt,
    items: items.map((it) => ({
      session: it.session,
      kind: it.kind,
      action: it.action,
      target: it.target,
      movedAside: it.movedAside ?? null,
      sidecar: it.sidecar ?? null,
      originalPath: byName.get(it.session)?.originalPath ?? '',
      format: byName.get(it.session)?.format ?? null,
    })),
  };
}

export function backupHandlers({ jobs, auto, knownSources, labels, workFactor, openStore, appVersion }: BackupDeps): Pick<Handlers, BackupChannels> {
  /** Planning and applying a restore take the same request and answer the same shape. */
  const restoreJob = (title: string, step: typeof restore, { jobId, file, passphrase, dest, onConflict }: Parameters<Handlers['restore.apply']>[0]) =>
    jobs.run(
      title,
      async (signal, progress) => {
        const r = await step(file, passphrase, dest, { onConflict, signal, onProgress: relay(progress) });
        // Only a restore that wrote brings its labels back; a plan changes nothing.
        if (step === restore) labels.restore(r.manifest.labels ?? []);
        return restoreDto(r.manifest, r.items);
      },
      jobId,
    );
  return {
    'backup.create': ({ jobId, paths, out, passphrase, overwrite }) =>
      jobs.run(
        `Backing up ${paths.length === 1 ? '1 item' : `${paths.length} items`}`,
        async (signal, progress) => {
          const r = await createBackup(knownSources(paths), out, passphrase, { signal, overwrite, workFactor, labels: labels.under(paths), onProgress: relay(progress), openStore, appVersion });
          return { file: r.file, bytes: r.bytes, createdAt: r.manifest.createdAt, sessions: r.manifest.sessions.map(sessionDto) };
        },
        jobId,
      ),
    'backup.verify': ({ jobId, file, passphrase }) =>
      jobs.run(
        'Verifying the backup',
        async (signal, progress) => {
          const r = await verify(file, passphrase, { signal, onProgress: relay(progress) });
          return {
            ok: r.ok,
            problem: r.problem?.message ?? null,
            createdAt: r.manifest?.createdAt ?? null,
            automatic: r.manifest?.automatic ?? null,
            appVersion: r.manifest?.appVersion ?? null,
            sessions: r.manifest?.sessions.map(sessionDto) ?? [],
            files: r.files,
            bytes: r.bytes,
          };
        },
        jobId,
      ),
    'restore.plan': (req) => restoreJob('Reading the backup', planRestore, req),
    'restore.apply': (req) => restoreJob('Restoring', restore, req),
    'autoBackup.status': async () => {
      const names = await readdir(auto.dir).catch(() => [] as string[]);
      const autos = names
        .map((name) => ({ name, at: parseAutoBackupName(name) }))
        .filter((a) => a.at !== undefined)
        .sort((a, b) => a.at!.at.getTime() - b.at!.at.getTime() || a.at!.n - b.at!.n);
      const newest = autos.at(-1)?.name;
      return { dir: auto.dir, passphraseSet: auto.passphraseSet, count: autos.length, newest: newest ? join(auto.dir, newest) : null };
    },
    'autoBackup.setPassphrase': async ({ passphrase }) => {
      await auto.setPassphrase(passphrase);
      return { ok: true as const };
    },
  };
}
