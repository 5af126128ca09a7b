/**
 * The shared stores' layouts as formats: what each can hold (for conversion and its loss
 * report) and which engines it lives on. Their reading and writing is in core/store/.
 */
import { mtcuteCapabilities } from './mtcute-sqlite.js';
import { telethonCapabilities } from './telethon-sqlite.js';
import type { StoreFormat } from './types.js';

export const telethonAlchemy: StoreFormat = {
  id: 'telethon-alchemy',
  label: 'Telethon SQLAlchemy session store',
  library: 'Telethon 1.x (Python) with telethon-session-sqlalchemy: AlchemySessionContainer',
  medium: 'store',
  engines: ['postgresql', 'sqlite'],
  capabilities: telethonCapabilities,
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
  capabilities: telethonCapabilities,
};
