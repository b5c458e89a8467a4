import type { FastifyBaseLogger } from 'fastify';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** PostgreSQL when a connection string is given, else the SQLite file (created with its directory). */
export async function openStore(
  settings: { databaseUrl: string | undefined; sqlitePath: string; sqliteSynchronous: 'normal' | 'full' },
  log: FastifyBaseLogger,
): Promise<Store> {
  if (settings.databaseUrl !== undefined) {
    return PostgresStore.open(settings.databaseUrl, { onError: (error) => log.error({ err: error }, 'PostgreSQL connection error') });
  }
  return SqliteStore.open(settings.sqlitePath, { synchronous: settings.sqliteSynchronous });
}
