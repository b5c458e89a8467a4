import { listenHost, type ResolvedOptions } from './options.js';

interface SystemError extends Error {
  code?: string;
  syscall?: string;
  hostname?: string;
}

const LISTEN_REASONS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'address not available on this machine',
};

const FILE_REASONS: Record<string, string> = {
  EEXIST: 'a parent of the file is not a directory',
  ENOTDIR: 'a parent of the file is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  SQLITE_CANTOPEN: 'cannot open the database file',
  SQLITE_NOTADB: 'not a SQLite database',
};

function isHostLookup(error: SystemError, host: string): boolean {
  return error.syscall === 'getaddrinfo' && (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') && error.hostname === host;
}

function listenFailure(error: SystemError, settings: Pick<ResolvedOptions, 'host' | 'port'>): string | undefined {
  const host = listenHost(settings.host);
  if (isHostLookup(error, host)) return `--host ${settings.host}: host not found`;
  if (error.syscall !== 'listen' && error.syscall !== 'bind') return undefined;
  const reason = error.code === undefined ? undefined : LISTEN_REASONS[error.code];
  if (reason === undefined) return undefined;
  return error.code === 'EADDRNOTAVAIL' ? `--host ${settings.host}: ${reason}` : `--port ${settings.port} on ${settings.host}: ${reason}`;
}

function storeFailure(error: SystemError, settings: Pick<ResolvedOptions, 'databaseUrl' | 'sqlitePath'>): string | undefined {
  // pg's messages name the host, user or database at fault, never the password.
  if (settings.databaseUrl !== undefined) {
    // A connection failure (syscall) or PostgreSQL's answer (a SQLSTATE code), not a bug of ours (ERR_*).
    const fromDatabase = error.syscall !== undefined || (typeof error.code === 'string' && !error.code.startsWith('ERR_'));
    return fromDatabase ? `--database-url: cannot open the PostgreSQL database: ${error.message}` : undefined;
  }
  const reason = error.code === undefined ? undefined : FILE_REASONS[error.code];
  if (reason !== undefined) return `--sqlite-path ${settings.sqlitePath}: ${reason}`;
  if (error.name === 'SqliteError') return `--sqlite-path ${settings.sqlitePath}: ${error.message}`;
  return undefined;
}

/**
 * One line naming the flag at fault for a startup failure that is a setting's mistake (port in use, a host that
 * does not resolve, an unusable SQLite path, an unreachable database), or undefined for anything else (a bug,
 * whose stack is worth printing).
 */
export function describeStartupError(
  error: unknown,
  settings: Pick<ResolvedOptions, 'host' | 'port' | 'databaseUrl' | 'sqlitePath'>,
): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const system = error as SystemError;
  return listenFailure(system, settings) ?? storeFailure(system, settings);
}
