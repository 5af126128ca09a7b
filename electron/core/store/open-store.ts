/**
 * A store URL (or the path of an SQLite file with the alchemy tables) → its SessionStore, the
 * layout found from the tables present unless `?layout=` names it. Read-only unless `write`;
 * `create` (a layout id) makes that layout's tables in a database that has none of them.
 */
import { SessionError } from '../errors.js';
import { MtcutePostgresStore, MTCUTE_DEFAULT_SCHEMA, isMtcuteSchema } from './mtcute-postgres.js';
import type { SessionStore, StoreFormatId } from './session-store.js';
import { alchemyPrefixes } from '../formats/store-formats.js';
import type { PgClient } from './sql/pg-client.js';
import { SqliteClient } from './sql/sqlite-client.js';
import { TelethonAlchemyStore } from './telethon-alchemy.js';
import { parseStoreAddress, type StoreAddress } from './store-url.js';

export interface OpenStoreOptions {
  write?: boolean;
  create?: StoreFormatId;
  /** The password when the URL has none (asked by the CLI, or kept by the app). */
  password?: string;
}

// The engines' clients load when a store of theirs is opened: node-postgres and the redis
// client cost ~90 and ~220 ms to import, which every CLI command that reads a file (they all
// accept store refs) would otherwise pay at start.
export async function openStore(text: string, opts: OpenStoreOptions = {}): Promise<SessionStore> {
  const address = parseStoreAddress(text);
  const layout = (address.params.layout ?? opts.create) as StoreFormatId | undefined;
  if (layout !== undefined && !['telethon-alchemy', 'mtcute-postgres', 'telethon-redis'].includes(layout)) {
    throw new SessionError('usage', `unknown store layout "${layout}" (telethon-alchemy, mtcute-postgres or telethon-redis)`);
  }
  switch (address.engine) {
    case 'postgresql':
      return openPostgres(address, layout, opts);
    case 'sqlite':
      return openSqlite(address, layout, opts);
    case 'redis':
      if (layout !== undefined && layout !== 'telethon-redis') throw new SessionError('usage', `${address.display}: Redis holds telethon-redis stores, not ${layout}`);
      return (await import('./telethon-redis.js')).TelethonRedisStore.open(address.target, address.display, { hive: address.params.hive, password: opts.password });
    default:
      throw new SessionError('unsupported', `${address.display}: ${address.engine} stores are not supported yet`);
  }
}

/** An SQLite file holds only the alchemy tables (opened read-only unless writing). */
async function openSqlite(address: StoreAddress, layout: StoreFormatId | undefined, opts: OpenStoreOptions): Promise<SessionStore> {
  if (layout !== undefined && layout !== 'telethon-alchemy') throw new SessionError('usage', `${address.display}: an SQLite file holds only telethon-alchemy stores, not ${layout}`);
  const db = SqliteClient.open(address.target, { write: opts.write || opts.create !== undefined });
  try {
    return await TelethonAlchemyStore.open(db, { prefix: address.params.prefix, create: opts.create === 'telethon-alchemy' });
  } catch (e) {
    await db.close();
    throw e;
  }
}

/** Which layout a database holds: mtcute's schema, or the alchemy tables (in `?schema=` or public); both is a question. */
async function detectPostgres(db: PgClient, address: StoreAddress): Promise<StoreFormatId | undefined> {
  const schema = address.params.schema;
  const mtcute = isMtcuteSchema(await db.tables(schema ?? MTCUTE_DEFAULT_SCHEMA));
  const alchemy = alchemyPrefixes(await db.tables(schema ?? 'public')).length > 0;
  if (mtcute && alchemy) throw new SessionError('ambiguous', `${address.display}: holds both mtcute's and the alchemy tables; choose with ?layout=mtcute-postgres or ?layout=telethon-alchemy`);
  return mtcute ? 'mtcute-postgres' : alchemy ? 'telethon-alchemy' : undefined;
}

async function openPostgres(address: StoreAddress, layout: StoreFormatId | undefined, opts: OpenStoreOptions): Promise<SessionStore> {
  if (layout === 'telethon-redis') throw new SessionError('usage', `${address.display}: telethon-redis lives in Redis, not PostgreSQL`);
  const { PgClient } = await import('./sql/pg-client.js');
  const db = await PgClient.open(address.target, address.display, { write: opts.write || opts.create !== undefined, password: opts.password });
  try {
    const schema = address.params.schema;
    const found = layout ?? (await detectPostgres(db, address));
    if (found === 'mtcute-postgres') return await MtcutePostgresStore.open(db, schema ?? MTCUTE_DEFAULT_SCHEMA, { create: opts.create === 'mtcute-postgres' });
    if (found === 'telethon-alchemy') {
      return await TelethonAlchemyStore.open(db, { schema, prefix: address.params.prefix, create: opts.create === 'telethon-alchemy' });
    }
    throw new SessionError('unknown-format', `${address.display}: no session store's tables here (mtcute's in schema "${schema ?? MTCUTE_DEFAULT_SCHEMA}", telethon-session-sqlalchemy's in "${schema ?? 'public'}")`);
  } catch (e) {
    await db.close();
    throw e;
  }
}
