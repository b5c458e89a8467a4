import { parseArgs } from 'node:util';
import { CollectorConfigError } from '../errors.js';
import type { CollectorOptions } from './options.js';

interface Setting {
  flag: string;
  env: string[];
  option: keyof CollectorOptions;
  kind: 'string' | 'number' | 'list';
  help: string;
}

/** Every setting, with its flag and environment variables (a flag wins over the environment). */
export const SETTINGS: readonly Setting[] = [
  { flag: 'port', env: ['FAULTLINE_PORT', 'PORT'], option: 'port', kind: 'number', help: 'TCP port (0 picks a free one). Default 4319' },
  { flag: 'host', env: ['FAULTLINE_HOST'], option: 'host', kind: 'string', help: 'address to bind. Default 127.0.0.1; any other needs --ingest-keys and --read-token' },
  { flag: 'sqlite-path', env: ['FAULTLINE_SQLITE_PATH'], option: 'sqlitePath', kind: 'string', help: 'SQLite file. Default ./data/faultline.db' },
  { flag: 'sqlite-synchronous', env: ['FAULTLINE_SQLITE_SYNCHRONOUS'], option: 'sqliteSynchronous', kind: 'string', help: 'normal (survives a crash) or full (also power loss). Default normal' },
  { flag: 'database-url', env: ['FAULTLINE_DATABASE_URL', 'DATABASE_URL'], option: 'databaseUrl', kind: 'string', help: 'PostgreSQL connection string; replaces SQLite' },
  { flag: 'ingest-keys', env: ['FAULTLINE_INGEST_KEYS'], option: 'ingestKeys', kind: 'list', help: 'comma-separated keys accepted as Authorization: Bearer <key> on /v1/reports' },
  { flag: 'read-token', env: ['FAULTLINE_READ_TOKEN'], option: 'readToken', kind: 'string', help: 'token required as Authorization: Bearer <token> on /api' },
  { flag: 'retention-days', env: ['FAULTLINE_RETENTION_DAYS'], option: 'retentionDays', kind: 'number', help: 'delete events older than this. Default 30' },
  { flag: 'retention-events-per-issue', env: ['FAULTLINE_RETENTION_EVENTS_PER_ISSUE'], option: 'retentionEventsPerIssue', kind: 'number', help: 'keep the newest N events per issue. Default 1000' },
  { flag: 'rate-limit', env: ['FAULTLINE_RATE_LIMIT_PER_SECOND'], option: 'rateLimitPerSecond', kind: 'number', help: 'reports per second per ingest key. Default 10000' },
  { flag: 'max-queued-reports', env: ['FAULTLINE_MAX_QUEUED_REPORTS'], option: 'maxQueuedReports', kind: 'number', help: 'reports waiting for the writer before ingest answers 503. Default 50000' },
  { flag: 'log-level', env: ['FAULTLINE_LOG_LEVEL', 'LOG_LEVEL'], option: 'logLevel', kind: 'string', help: 'fatal, error, warn, info, debug, trace or silent. Default info' },
  { flag: 'sentry-projects', env: ['FAULTLINE_SENTRY_PROJECTS'], option: 'sentryProjects', kind: 'list', help: 'service names of Sentry DSN projects: 42=checkout,43=billing. Default sentry-project-<id>' },
  { flag: 'ui-dir', env: ['FAULTLINE_UI_DIR'], option: 'uiDir', kind: 'string', help: 'directory of the built web UI. Default ../dashboards/dist beside the collector' },
];

export const HELP = [
  'Usage: faultline-collector [options]',
  '',
  'Receives faultline error reports, groups them into issues, stores them (SQLite or PostgreSQL) and serves',
  'the API, /metrics and the web UI. Every option can also be set by environment variable.',
  '',
  'Options:',
  ...SETTINGS.map((s) => `  --${s.flag.padEnd(28)} ${s.help}\n  ${''.padEnd(30)} env: ${s.env.join(', ')}`),
  `  --${'help'.padEnd(28)} show this text`,
  `  --${'version'.padEnd(28)} print the version`,
  '',
  'Secrets are better passed by environment than by flag (flags show in the process list).',
  '',
].join('\n');

export type CliResult = { kind: 'run'; options: CollectorOptions } | { kind: 'help' } | { kind: 'version' };

function convert(setting: Setting, raw: string, source: string): unknown {
  if (setting.kind === 'string') return raw;
  if (setting.kind === 'list') {
    return raw
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k.length > 0);
  }
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) {
    throw new CollectorConfigError('FAULTLINE_INVALID_OPTION', `Expected ${source} to be a number, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** Reads settings from flags, then the environment. Unknown flags are refused with their name. */
export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliResult {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(SETTINGS.map((s) => [s.flag, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new CollectorConfigError('FAULTLINE_INVALID_OPTION', `${(error as Error).message}\n\n${HELP}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const options: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const flag = values[setting.flag];
    if (typeof flag === 'string') {
      options[setting.option] = convert(setting, flag, `--${setting.flag}`);
      continue;
    }
    const name = setting.env.find((e) => env[e] !== undefined && env[e] !== '');
    const raw = name === undefined ? undefined : env[name];
    if (name !== undefined && raw !== undefined) options[setting.option] = convert(setting, raw, name);
  }
  // Each value was converted to its option's kind above; resolveOptions checks the ranges.
  return { kind: 'run', options };
}
