import type { ManifestStore } from './manifest.js';

/** A path, or a path with what the caller already knows about the session in it. */
export type BackupSource =
  | string
  | {
      path: string;
      format?: string | null;
      userId?: bigint | null;
      /** The home DC key's fingerprint. */
      authKeyId?: string | null;
      /** A session taken out of a store into `path` (a temporary file): where it came from. */
      store?: ManifestStore;
      /** Its name in the archive, when not the file's own. */
      name?: string;
    };
