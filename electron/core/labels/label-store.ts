/**
 * Labels and a note per session, in the app's own database (`labels.sqlite` in the app data
 * folder), keyed by the home DC auth key's fingerprint (`authKeyId`): the key is the login, so
 * the labels follow a session through a rename, a move, a copy and a conversion, and two files
 * holding the same login share them.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { SessionError } from '../errors.js';
import { openDatabase, sqliteError } from '../sqlite/open.js';

export interface Labels {
  labels: string[];
  note: string | null;
}

export const MAX_LABELS = 32;
export const MAX_LABEL_LENGTH = 64;
export const MAX_NOTE_LENGTH = 4000;
export const LABELS_FILE = 'labels.sqlite';

const FINGERPRINT = /^[0-9a-f]{16}$/;

/** A label as kept: trimmed, one line, not empty, not too long. */
export function cleanLabel(raw: string): string {
  const label = raw.trim().replace(/\s+/g, ' ');
  if (label === '') throw new SessionError('usage', 'a label cannot be empty');
  if (label.length > MAX_LABEL_LENGTH) throw new SessionError('usage', `a label has at most ${MAX_LABEL_LENGTH} characters`);
  // oxlint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(label)) throw new SessionError('usage', 'a label cannot hold control characters');
  return label;
}

function cleanNote(note: string | null): string | null {
  if (note === null || note.trim() === '') return null;
  if (note.length > MAX_NOTE_LENGTH) throw new SessionError('usage', `a note has at most ${MAX_NOTE_LENGTH} characters`);
  return note;
}

function checkKey(authKeyId: string): void {
  if (!FINGERPRINT.test(authKeyId)) throw new SessionError('usage', `"${authKeyId.slice(0, 40)}" is not an auth key fingerprint`);
}

/** A login's labels and note with its fingerprint, as a backup manifest carries them. */
export interface LabelRecord extends Labels {
  authKeyId: string;
}

export interface LabelChange {
  add?: readonly string[];
  remove?: readonly string[];
  /** A new note; null clears it; undefined leaves it. */
  note?: string | null;
}

export class LabelStore {
  private constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {}

  /** Opens (creating when needed) the store in the app data folder. */
  static open(appDataDir: string): LabelStore {
    mkdirSync(appDataDir, { recursive: true });
    const file = join(appDataDir, LABELS_FILE);
    // Owner-only like every file of ours: notes may say whose account it is.
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    else chmodSync(file, 0o600);
    const db = openDatabase(file);
    try {
      db.exec(`CREATE TABLE IF NOT EXISTS labels (auth_key_id TEXT NOT NULL, label TEXT NOT NULL, PRIMARY KEY (auth_key_id, label));
               CREATE TABLE IF NOT EXISTS notes (auth_key_id TEXT PRIMARY KEY, note TEXT NOT NULL);`);
    } catch (e) {
      db.close();
      throw sqliteError(e, file);
    }
    return new LabelStore(db, file);
  }

  get(authKeyId: string): Labels {
    return this.run(() => ({
      labels: this.db.prepare('SELECT label FROM labels WHERE auth_key_id = ? ORDER BY label COLLATE NOCASE').pluck().all(authKeyId) as string[],
      note: (this.db.prepare('SELECT note FROM notes WHERE auth_key_id = ?').pluck().get(authKeyId) as string | undefined) ?? null,
    }));
  }

  /** Every fingerprint that has labels or a note. */
  all(): Map<string, Labels> {
    return this.run(() => {
      const out = new Map<string, Labels>();
      const entry = (k: string) => out.get(k) ?? out.set(k, { labels: [], note: null }).get(k)!;
      for (const r of this.db.prepare('SELECT auth_key_id k, label FROM labels ORDER BY label COLLATE NOCASE').all() as { k: string; label: string }[]) {
        entry(r.k).labels.push(r.label);
      }
      for (const r of this.db.prepare('SELECT auth_key_id k, note FROM notes').all() as { k: string; note: string }[]) entry(r.k).note = r.note;
      return out;
    });
  }

  /** The labels and notes kept for these logins (those with none are left out). */
  forKeys(keys: Iterable<string | null>): LabelRecord[] {
    const all = this.all();
    const out: LabelRecord[] = [];
    for (const k of new Set(keys)) {
      const l = k === null ? undefined : all.get(k);
      if (l) out.push({ authKeyId: k!, ...l });
    }
    return out;
  }

  /** Brings back what a backup carried (labels added, a note where the login has none). */
  mergeAll(records: readonly LabelRecord[]): void {
    for (const r of records) this.merge(r.authKeyId, r);
  }

  /** Adds and removes labels and sets or clears the note, in one transaction. */
  change(authKeyId: string, c: LabelChange): Labels {
    checkKey(authKeyId);
    const add = (c.add ?? []).map(cleanLabel);
    const remove = new Set((c.remove ?? []).map((l) => l.trim().replace(/\s+/g, ' ').toLowerCase()));
    const note = c.note === undefined ? undefined : cleanNote(c.note);
    this.run(() =>
      this.db.transaction(() => {
        const have = this.db.prepare('SELECT label FROM labels WHERE auth_key_id = ?').pluck().all(authKeyId) as string[];
        for (const l of have) {
          if (remove.has(l.toLowerCase())) this.db.prepare('DELETE FROM labels WHERE auth_key_id = ? AND label = ?').run(authKeyId, l);
        }
        const kept = new Set(have.filter((l) => !remove.has(l.toLowerCase())).map((l) => l.toLowerCase()));
        for (const l of add) {
          // One spelling per label: "VIP" added to a session labelled "vip" is the same label.
          if (kept.has(l.toLowerCase())) continue;
          if (kept.size >= MAX_LABELS) throw new SessionError('usage', `a session has at most ${MAX_LABELS} labels`);
          this.db.prepare('INSERT INTO labels (auth_key_id, label) VALUES (?, ?)').run(authKeyId, l);
          kept.add(l.toLowerCase());
        }
        if (note === null) this.db.prepare('DELETE FROM notes WHERE auth_key_id = ?').run(authKeyId);
        else if (note !== undefined) this.db.prepare('INSERT OR REPLACE INTO notes (auth_key_id, note) VALUES (?, ?)').run(authKeyId, note);
      })(),
    );
    return this.get(authKeyId);
  }

  /** Replaces a session's labels and note with these. */
  set(authKeyId: string, next: Labels): Labels {
    const current = this.get(authKeyId);
    return this.change(authKeyId, { remove: current.labels, add: next.labels, note: next.note });
  }

  /** Brings labels back from a backup: adds its labels, and its note where the session has none. */
  merge(authKeyId: string, from: Labels): Labels {
    const current = this.get(authKeyId);
    return this.change(authKeyId, { add: from.labels, note: current.note === null && from.note !== null ? from.note : undefined });
  }

  close(): void {
    this.db.close();
  }

  private run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw e instanceof SessionError ? e : sqliteError(e, this.file);
    }
  }
}
