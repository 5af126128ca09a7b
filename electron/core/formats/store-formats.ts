/**
 * The shared stores' layouts as formats: what each can hold (for conversion and its loss
 * report) and which engines it lives on. Their reading and writing is in core/store/.
 */
import { holds } from './capabilities.js';
import { mtcuteCapabilities } from './mtcute-sqlite.js';
import type { Capabilities, StoreFormat } from './types.js';

/** What Telethon's rows hold in both community stores: one DC, the own user id, entities without a date, no takeout id. */
const telethonStoreBase = {
  keylessDcs: true,
  user: 'id',
  peers: true,
  // Telethon cannot tell a bot from a user, nor a megagroup from a broadcast channel.
  peerKinds: ['user', 'chat', 'channel'],
  usernames: 'first',
  phone: true,
  name: true,
} as const;

/** The alchemy tables keep update states too. */
const alchemyCapabilities: Capabilities = holds({ ...telethonStoreBase, updates: true, channelPts: true });
/** teleredis keeps no update state. */
const redisCapabilities: Capabilities = holds(telethonStoreBase);

export const telethonAlchemy: StoreFormat = {
  id: 'telethon-alchemy',
  label: 'Telethon SQLAlchemy session store',
  library: 'Telethon 1.x (Python) with telethon-session-sqlalchemy: AlchemySessionContainer',
  medium: 'store',
  engines: ['postgresql', 'sqlite'],
  capabilities: alchemyCapabilities,
};

export const mtcutePostgres: StoreFormat = {
  id: 'mtcute-postgres',
  label: 'mtcute PostgreSQL storage',
  library: 'mtcute (npm @mtcute/postgres): PostgresStorage',
  medium: 'store',
  engines: ['postgresql'],
  capabilities: mtcuteCapabilities,
};

export const telethonRedis: StoreFormat = {
  id: 'telethon-redis',
  label: 'Telethon Redis session store',
  library: 'Telethon 1.x (Python) with telethon-session-redis (teleredis): RedisSession',
  medium: 'store',
  engines: ['redis'],
  capabilities: redisCapabilities,
};

/**
 * The table-name prefixes under which a database holds telethon-session-sqlalchemy's tables
 * (`{prefix}sessions` with session_id and dc_id, `{prefix}entities` with session_id): the
 * prefix is glued on with no separator and may be empty.
 */
export function alchemyPrefixes(tables: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  for (const [name, cols] of tables) {
    if (!name.endsWith('sessions') || !['session_id', 'dc_id', 'auth_key'].every((c) => cols.includes(c))) continue;
    const prefix = name.slice(0, -'sessions'.length);
    if ((tables.get(`${prefix}entities`) ?? []).includes('session_id')) out.push(prefix);
  }
  return out.sort();
}

/** Each store layout's own library's file format: what a session taken out of it is written as. */
export const FILE_FORMAT_OF_STORE = {
  'telethon-alchemy': 'telethon',
  'telethon-redis': 'telethon',
  'mtcute-postgres': 'mtcute',
} as const;
