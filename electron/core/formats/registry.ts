/**
 * Every format Session Deck knows, in detection priority order within each medium, then the
 * layouts of the shared stores.
 * Adding a format = one module + one entry here.
 */
import { ferogramBinary } from './ferogram-binary.js';
import { ferogramCompact, ferogramString } from './ferogram-strings.js';
import { ferogramSqlite } from './ferogram-sqlite.js';
import { kurigramSqlite, pyroforkSqlite, pyrogramSqlite } from './pyrogram-sqlite.js';
import { pyrogramString } from './pyrogram-string.js';
import { telethonSqlite } from './telethon-sqlite.js';
import { telethonString } from './telethon-string.js';
import { telethonV2 } from './telethon-v2.js';
import { gramjsStore } from './gramjs-store.js';
import { gramjsString } from './gramjs-string.js';
import { grammers } from './grammers.js';
import { mtcuteSqlite } from './mtcute-sqlite.js';
import { mtcuteString } from './mtcute-string.js';
import { mtkrutoString } from './mtkruto-string.js';
import { tdata } from './tdata-format.js';
import { mtcutePostgres, telethonAlchemy, telethonRedis } from './store-formats.js';
import type { FormatId, SessionFormat, StoreFormat } from './types.js';

export const FORMATS: readonly SessionFormat[] = [
  ferogramBinary,
  ferogramString,
  ferogramCompact,
  ferogramSqlite,
  pyrogramSqlite,
  kurigramSqlite,
  pyroforkSqlite,
  pyrogramString,
  telethonSqlite,
  telethonString,
  telethonV2,
  gramjsString,
  gramjsStore,
  mtcuteString,
  mtkrutoString,
  mtcuteSqlite,
  grammers,
  tdata,
];

/** The shared stores' layouts: not detected from bytes, named by a store URL or `--to`. */
export const STORE_FORMATS: readonly StoreFormat[] = [telethonAlchemy, mtcutePostgres, telethonRedis];

export function formatById(id: string): SessionFormat | undefined {
  return FORMATS.find((f) => f.id === id) ?? STORE_FORMATS.find((f) => f.id === id);
}

/**
 * Whether Edit may rewrite a session of this format in place: not a tdata, whose folder also
 * holds the other accounts and Desktop's own files (it is converted instead), nor a session in
 * a shared store (written by convert or import, under its session id).
 */
export const editableInPlace = (f: SessionFormat): boolean => f.id !== 'tdata' && f.medium !== 'store';

export function formatIds(): FormatId[] {
  return FORMATS.map((f) => f.id);
}
