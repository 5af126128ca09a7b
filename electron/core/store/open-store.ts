/**
 * A store URL (or the path of an SQLite file with the alchemy tables) → its SessionStore, the
 * layout found from the tables present unless `?layout=` names it. Read-only unless `write`;
 * `create` (a layout id) makes that layout's tables in a database that has none of them.
 */
import { SessionError } from '../errors.js';
import { MtcutePostgresStore, MTCUTE_DEFAULT_SCHEMA, isMtcuteSchema } from './mtcute-postgres.js';
import type { SessionStore, StoreFormatId } from './session-store.js';
import { PgClient } from './sql/pg-client.js';
import { parseStoreAddress, type StoreAddress } from './store-url.js';

export interface OpenStoreOptions {
  write?: boolean;
  create?: StoreFormatId;
  /** The password when the URL has none (asked by the CLI, or kept by the app). */
  password?: string;
}

export async function openStore(text: string, opts: OpenStoreOptions = {}): Promise<SessionStore> {
  const address = parseStoreAddress(text);
  const layout = (address.params.layout ?? opts.create) as StoreFormatId | undefined;
  if (layout !== undefined && !['telethon-alchemy', 'mtcute-postgres', 'telethon-redis'].includes(layout)) {
    throw new SessionError('usage', `unknown store layout "${layout}" (telethon-alchemy, mtcute-postgres or telethon-redis)`);
  }
  switch (address.engine) {
    case 'postgresql':
      return openPostgres(address, layout, opts);
    default:
      throw new SessionError('unsupported', `${address.display}: ${address.engine} stores are not supported yet`);
  }
}

async function openPostgres(address: StoreAddress, layout: StoreFormatId | undefined, opts: OpenStoreOptions): Promise<SessionStore> {
  if (layout === 'telethon-redis') throw new SessionError('usage', `${address.display}: telethon-redis lives in Redis, not PostgreSQL`);
  const db = await PgClient.open(address.target, address.display, { write: opts.write || opts.create !== undefined, password: opts.password });
  try {
    const schema = address.params.schema ?? MTCUTE_DEFAULT_SCHEMA;
    const found = layout ?? (isMtcuteSchema(await db.tables(schema)) ? 'mtcute-postgres' : undefined);
    if (found === 'mtcute-postgres') return await MtcutePostgresStore.open(db, schema, { create: opts.create === 'mtcute-postgres' });
    throw new SessionError('unknown-format', `${address.display}: no session store's tables here (mtcute's in schema "${schema}"; Telethon's alchemy tables)`);
  } catch (e) {
    await db.close();
    throw e;
  }
}
