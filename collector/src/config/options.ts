import { CollectorConfigError } from '../errors.js';
import { sentryServiceNames } from '../interop/sentry/sentry-projects.js';
import type { Store } from '../storage/store.js';

/** Settings of a collector. Every one also has a flag and an environment variable (see README). */
export interface CollectorOptions {
  /** TCP port; `0` picks a free one. Default 4319. */
  port?: number;
  /** Address to bind. Default `127.0.0.1`. Any non-loopback address requires `ingestKeys` and `readToken`. */
  host?: string;
  /** SQLite database file (created with its directory). Default `./data/faultline.db`. Ignored with `databaseUrl`. */
  sqlitePath?: string;
  /** PostgreSQL connection string; when set, PostgreSQL is used instead of SQLite. */
  databaseUrl?: string;
  /** Keys accepted on `POST /v1/reports` as `Authorization: Bearer <key>`. None: ingest is open (loopback only). */
  ingestKeys?: string[];
  /** Token required on `/api/*` as `Authorization: Bearer <token>`. None: the API is open (loopback only). */
  readToken?: string;
  /** Events older than this many days are deleted. Default 30. */
  retentionDays?: number;
  /** At most this many events are kept per issue, the newest. Default 1000. */
  retentionEventsPerIssue?: number;
  /** Token-bucket rate per ingest key, in reports per second. Default 10,000. Not applied without keys. */
  rateLimitPerSecond?: number;
  /** pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`. Default `info`. */
  logLevel?: string;
  /** Directory of the built web UI. Default `../dashboards/dist` relative to the collector package. */
  uiDir?: string;
  /** SQLite `synchronous` pragma: `normal` survives a process crash, `full` also power loss. Default `normal`. */
  sqliteSynchronous?: 'normal' | 'full';
  /** Reports waiting for the writer beyond which ingest answers 503. Default 50,000. */
  maxQueuedReports?: number;
  /** How often the retention job runs, in ms. Default one hour (and once at startup). `0` disables it. */
  retentionIntervalMs?: number;
  /** A store to use instead of opening one (tests, embedding). The collector closes it on `close()`. */
  store?: Store;
  /** Service names of Sentry DSN projects, as `<projectId>=<service>` (`42=checkout`). Unlisted: `sentry-project-<id>`. */
  sentryProjects?: string[];
  /** Where the pino log lines go. Default stdout. */
  logStream?: NodeJS.WritableStream;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  sqlitePath: string;
  databaseUrl: string | undefined;
  ingestKeys: string[];
  readToken: string | undefined;
  retentionDays: number;
  retentionEventsPerIssue: number;
  rateLimitPerSecond: number;
  logLevel: string;
  uiDir: string;
  sqliteSynchronous: 'normal' | 'full';
  maxQueuedReports: number;
  retentionIntervalMs: number;
  store: Store | undefined;
  sentryProjects: string[];
  logStream: NodeJS.WritableStream | undefined;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The built UI, relative to this file in both src/config and dist/config. */
export const DEFAULT_UI_DIR = new URL('../../../dashboards/dist/', import.meta.url).pathname;

function integer(name: string, value: number | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CollectorConfigError('FAULTLINE_INVALID_OPTION', `Expected \`${name}\` to be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new CollectorConfigError('FAULTLINE_INVALID_OPTION', `Expected \`${name}\` to be a number above 0, got ${String(value)}`);
  }
  return value;
}

/** A PostgreSQL URL (`postgres:` or `postgresql:`), or undefined when none or empty. */
function databaseUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let scheme: string | undefined;
  try {
    scheme = typeof value === 'string' ? new URL(value).protocol : undefined;
  } catch {
    scheme = undefined;
  }
  if (scheme !== 'postgres:' && scheme !== 'postgresql:') {
    // The URL may hold a password: name its scheme at most, never echo it.
    throw new CollectorConfigError(
      'FAULTLINE_INVALID_OPTION',
      `Expected \`databaseUrl\` to be a PostgreSQL URL (postgres://user:password@host:5432/database), got ${scheme === undefined ? 'a value that is not a URL' : `a ${scheme} URL`}`,
    );
  }
  return value;
}

/** Applies defaults and checks every option, naming the option in the error. */
export function resolveOptions(options: CollectorOptions = {}): ResolvedOptions {
  const keys = options.ingestKeys ?? [];
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k.length === 0 || /\s/.test(k))) {
    throw new CollectorConfigError('FAULTLINE_INVALID_OPTION', 'Expected `ingestKeys` to be a list of non-empty strings without spaces');
  }
  // A bearer token ends at the first space, so a token holding whitespace could never be presented.
  if (options.readToken !== undefined && (typeof options.readToken !== 'string' || options.readToken.length === 0 || /\s/.test(options.readToken))) {
    throw new CollectorConfigError('FAULTLINE_INVALID_OPTION', 'Expected `readToken` to be a non-empty string without spaces');
  }
  const logLevel = options.logLevel ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new CollectorConfigError('FAULTLINE_INVALID_OPTION', `Expected \`logLevel\` to be one of ${LOG_LEVELS.join(', ')}, got ${logLevel}`);
  }
  const sync = options.sqliteSynchronous ?? 'normal';
  if (sync !== 'normal' && sync !== 'full') {
    throw new CollectorConfigError('FAULTLINE_INVALID_OPTION', `Expected \`sqliteSynchronous\` to be normal or full, got ${String(sync)}`);
  }
  const sentryProjects = options.sentryProjects ?? [];
  if (!Array.isArray(sentryProjects) || sentryProjects.some((entry) => typeof entry !== 'string')) {
    throw new CollectorConfigError('FAULTLINE_INVALID_OPTION', 'Expected `sentryProjects` to be a list of <projectId>=<service> strings');
  }
  // Checked here, not only when the Sentry routes register: an error thrown there escapes startCollector.
  sentryServiceNames(sentryProjects);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0) {
    throw new CollectorConfigError('FAULTLINE_INVALID_OPTION', 'Expected `host` to be a non-empty string');
  }
  return {
    port: integer('port', options.port, 4319, 0, 65535),
    host,
    sqlitePath: options.sqlitePath ?? './data/faultline.db',
    databaseUrl: databaseUrl(options.databaseUrl),
    ingestKeys: [...new Set(keys)],
    readToken: options.readToken,
    retentionDays: positive('retentionDays', options.retentionDays, 30),
    retentionEventsPerIssue: integer('retentionEventsPerIssue', options.retentionEventsPerIssue, 1000, 1),
    rateLimitPerSecond: positive('rateLimitPerSecond', options.rateLimitPerSecond, 10_000),
    logLevel,
    uiDir: options.uiDir ?? DEFAULT_UI_DIR,
    sqliteSynchronous: sync,
    maxQueuedReports: integer('maxQueuedReports', options.maxQueuedReports, 50_000, 1),
    retentionIntervalMs: integer('retentionIntervalMs', options.retentionIntervalMs, 3_600_000, 0),
    store: options.store,
    sentryProjects,
    logStream: options.logStream,
  };
}

/** The address to listen on: an IPv6 address without the brackets a URL needs (`[::1]` → `::1`). */
export function listenHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `127.0.0.1`, `::1`, `localhost` and the rest of 127.0.0.0/8. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
