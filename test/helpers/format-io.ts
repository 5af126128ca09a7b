/** Write a session with a given format into a temp location and read it back with that format. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from '../../electron/core/model/session.js';
import type { ReadResult, SessionFormat, WriteOptions } from '../../electron/core/formats/types.js';
import { writeOutput } from '../../electron/core/convert/write-output.js';
import { openReadOnly, readSchema } from '../../electron/core/sqlite/open.js';

export function tempDir(prefix = 'sd-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Returns the location: the string itself for string formats, else the written path. */
export function writeWith(format: SessionFormat, session: Session, dir: string, opts: WriteOptions = {}): string {
  if (format.medium === 'string') return format.encode(session, opts);
  const out = join(dir, `${format.id}-${Math.random().toString(36).slice(2)}${format.medium === 'folder' ? '' : '.session'}`);
  writeOutput(format, session, out, opts);
  return out;
}

export function readWith(format: SessionFormat, location: string): ReadResult {
  switch (format.medium) {
    case 'string':
      return format.decode(location);
    case 'bytes':
      return format.decode(new Uint8Array(readFileSync(location)));
    case 'folder':
      return format.read(location);
    case 'sqlite': {
      const db = openReadOnly(location);
      try {
        return format.read(db, readSchema(db));
      } finally {
        db.close();
      }
    }
    case 'store':
      throw new Error(`${format.id} is a store: read it through core/store`);
  }
}
