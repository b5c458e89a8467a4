// Read API latency with 1,000,000 events in 5,000 issues on SQLite, and on PostgreSQL when a server is given: the
// issue list (default sort, each filter) and stats, p95 over sequential requests to a collector in a child
// process. The seeded databases are kept (the SQLite file under /tmp, never in git) and reused by later runs.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Level } from '@faultline/sdk/schema';
import pg from 'pg';
import { report, type BenchRow } from '../../scripts/bench-report.js';
import { SQLITE_MIGRATIONS } from '../src/storage/sqlite-migrations.js';
import { POSTGRES_MIGRATIONS } from '../src/storage/postgres-migrations.js';
import { PostgresStore } from '../src/storage/postgres-store.js';
import { SqliteStore } from '../src/storage/sqlite-store.js';
import type { PreparedEvent, Store } from '../src/storage/store.js';
import { measureGets, startServer } from './bench-support.js';

// Set as in the ingest bench: the PostgreSQL section runs only when a server is given.
const PG_URL = process.env.FAULTLINE_TEST_DATABASE_URL ?? process.env.FAULTLINE_BENCH_DATABASE_URL;

const EVENTS = 1_000_000;
const ISSUES = 5_000;
const SERVICES = 10;
const DAY = 86_400_000;
const REQUESTS = 200;
const dir = join(tmpdir(), 'faultline-read-bench');
// The schema is part of the name: a database seeded by an older schema is never reused.
const schema = createHash('sha256').update(SQLITE_MIGRATIONS.join('\n')).digest('hex').slice(0, 12);
const file = join(dir, `seed-${EVENTS}-${ISSUES}-${schema}.db`);

/** Deterministic pseudo-random numbers, so every seeded database is the same. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

const MESSAGES = ['connect ETIMEDOUT 10.0.0.12:5432', "Cannot read properties of undefined (reading 'total')", 'card declined', 'Request failed with status 502', 'deadline exceeded after 3000 ms'];
const TYPES = ['TypeError', 'Error', 'FetchError', 'DeadlineExceededError', 'RangeError'];

/** The seeded events, deterministic for a given `now`, in chunks of 20,000 (one transaction each). */
function* seedChunks(now: number): Generator<PreparedEvent[]> {
  const rand = random(4319);
  const chunk: PreparedEvent[] = [];
  for (let i = 0; i < EVENTS; i++) {
    // Every issue gets an event; after that, a skewed distribution (a few issues are very frequent).
    const issue = i < ISSUES ? i : Math.floor(ISSUES * rand() ** 2.5);
    const r = rand();
    const environment = r < 0.7 ? 'production' : r < 0.9 ? 'staging' : 'development';
    const level: Level = r < 0.05 ? 'fatal' : r < 0.2 ? 'warning' : 'error';
    const timestamp = now - Math.floor(rand() * 7 * DAY);
    const service = `service-${issue % SERVICES}`;
    const type = TYPES[issue % TYPES.length]!;
    const message = `${MESSAGES[issue % MESSAGES.length]!} (${issue})`;
    const id = `${i.toString(16).padStart(24, '0')}${Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0')}`;
    const json = `{"schema":1,"id":"${id}","timestamp":"${new Date(timestamp).toISOString()}","level":"${level}","message":${JSON.stringify(message)},"type":"${type}","frames":[{"file":"/srv/app/src/handler-${issue}.ts","function":"handle${issue}","line":${10 + (i % 50)},"column":7,"inApp":true},{"file":"/srv/app/src/router.ts","function":"dispatch","line":88,"column":3,"inApp":true}],"handled":true,"mechanism":"errgroup","context":{"tags":{"region":"eu-west-1"},"user":{"id":"u-${i % 997}"}},"service":{"name":"${service}","version":"2.3.1","environment":"${environment}"},"runtime":{"name":"node","version":"20.20.2","platform":"linux","arch":"x64","hostname":"web-${i % 7}","pid":${1000 + (i % 13)}},"sdk":{"name":"@faultline/sdk","version":"0.1.0"}}`;
    chunk.push({
      id,
      service,
      environment,
      level,
      fingerprint: `fp-${issue}`,
      grouping: 1,
      timestamp,
      receivedAt: timestamp + 20,
      type,
      title: `${type}: ${message}`,
      message,
      culprit: `handle${issue} (src/handler-${issue}.ts)`,
      json,
    });
    if (chunk.length === 20_000) {
      yield chunk.splice(0);
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Writes every seeded event through the store and closes it; returns events per second. */
async function seedStore(store: Store, now: number): Promise<number> {
  const t0 = performance.now();
  for (const chunk of seedChunks(now)) await store.writeEvents(chunk);
  await store.close();
  return EVENTS / ((performance.now() - t0) / 1000);
}

/** A seeded database and how to reach it; `seedRate` is set when this run seeded it. */
interface Seeded {
  open(): Promise<Store>;
  serverArgs: string[];
  seedRate?: number;
}

async function sqliteSeeded(): Promise<Seeded> {
  let seedRate: number | undefined;
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.partial`;
    rmSync(partial, { force: true });
    seedRate = await seedStore(SqliteStore.open(partial), Date.now());
    renameSync(partial, file);
    for (const suffix of ['-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  }
  return { open: async () => SqliteStore.open(file), serverArgs: ['--sqlite-path', file], seedRate };
}

/** The same events in a PostgreSQL database kept between runs (named after the schema), then ANALYZEd. */
async function postgresSeeded(adminUrl: string): Promise<Seeded> {
  const name = `faultline_read_bench_${createHash('sha256').update(POSTGRES_MIGRATIONS.join('\n')).digest('hex').slice(0, 12)}`;
  const urlOf = (db: string): string => {
    const url = new URL(adminUrl);
    url.pathname = `/${db}`;
    return url.toString();
  };
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let seedRate: number | undefined;
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      const partial = `${name}_partial`;
      await admin.query(`DROP DATABASE IF EXISTS ${partial} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${partial}`);
      seedRate = await seedStore(await PostgresStore.open(urlOf(partial)), Date.now());
      const client = new pg.Client({ connectionString: urlOf(partial) });
      await client.connect();
      await client.query('VACUUM ANALYZE');
      await client.end();
      await admin.query(`ALTER DATABASE ${partial} RENAME TO ${name}`);
    }
  } finally {
    await admin.end();
  }
  return { open: () => PostgresStore.open(urlOf(name)), serverArgs: ['--database-url', urlOf(name)], seedRate };
}

/** p95 of each read case against a collector on the seeded database. */
async function readRows(seeded: Seeded): Promise<BenchRow[]> {
  // A reused database was seeded relative to its own "now"; the stats below ask for the 7 days before it.
  const store = await seeded.open();
  const [newest] = await store.listIssues({ sort: 'lastSeen', limit: 1 });
  const issues = await store.listIssues({ sort: 'count', limit: 1 });
  await store.close();
  const seededAt = newest!.lastSeen;
  const busiest = issues[0]!.id;

  const server = await startServer([...seeded.serverArgs, '--retention-days', '3650']);
  const rows: BenchRow[] = [];
  try {
    const base = await measureGets(`${server.url}/healthz`, REQUESTS);
    const since = new Date(seededAt - 7 * DAY).toISOString();
    const until = new Date(seededAt).toISOString();
    const cases: [string, string][] = [
      ['GET /api/issues (default sort: lastSeen)', '/api/issues'],
      ['GET /api/issues?service=…', '/api/issues?service=service-3'],
      ['GET /api/issues?environment=staging', '/api/issues?environment=staging'],
      ['GET /api/issues?status=unresolved', '/api/issues?status=unresolved'],
      ['GET /api/issues?level=fatal', '/api/issues?level=fatal'],
      ['GET /api/issues?q=… (title, message, culprit)', '/api/issues?q=ETIMEDOUT'],
      ['GET /api/issues?sort=count', '/api/issues?sort=count'],
      ['GET /api/issues?sparkline=24h', '/api/issues?sparkline=24h'],
      ['GET /api/stats (hour buckets over 7 days)', `/api/stats?interval=hour&since=${since}&until=${until}`],
      ['GET /api/stats?environment=production (hours, 7 days)', `/api/stats?interval=hour&since=${since}&until=${until}&environment=production`],
      ['GET /api/stats?interval=minute (last 24 h)', `/api/stats?interval=minute&since=${new Date(seededAt - DAY).toISOString()}&until=${until}`],
      ['GET /api/stats?issue=… (busiest issue, hours, 7 days)', `/api/stats?interval=hour&since=${since}&until=${until}&issue=${busiest}`],
      ['GET /api/issues/:id/events (busiest issue)', `/api/issues/${busiest}/events`],
    ];
    for (const [name, path] of cases) {
      await measureGets(`${server.url}${path}`, 20);
      const { p95 } = await measureGets(`${server.url}${path}`, REQUESTS);
      rows.push({ case: `${name}, p95`, value: p95, unit: 'ms', ratio: p95 / base.p95, baseline: `GET /healthz p95 ${base.p95.toFixed(2)} ms`, target: '≤ 100 ms', met: p95 <= 100 });
    }
  } finally {
    await server.stop();
  }
  return rows;
}

const DESCRIPTION = `${REQUESTS} sequential requests per case after 20 warm-up requests, against a collector in a child process. Events spread over 7 days, 10 services, 3 environments, skewed across issues.`;

async function main(): Promise<void> {
  const sqlite = await sqliteSeeded();
  const rows = await readRows(sqlite);
  if (sqlite.seedRate !== undefined) rows.push({ case: 'seeding through SqliteStore.writeEvents (20,000 events per transaction)', value: sqlite.seedRate, unit: 'events/s' });
  report({
    title: 'Read API with 1,000,000 events in 5,000 issues (SQLite)',
    description: `${DESCRIPTION} The seeded database lives in ${dir} (not in git) and is reused by later runs.`,
    rows,
  });
  if (PG_URL === undefined) return;
  const postgres = await postgresSeeded(PG_URL);
  const pgRows = await readRows(postgres);
  if (postgres.seedRate !== undefined) pgRows.push({ case: 'seeding through PostgresStore.writeEvents (20,000 events per transaction)', value: postgres.seedRate, unit: 'events/s' });
  report({
    title: 'Read API with 1,000,000 events in 5,000 issues (PostgreSQL)',
    description: `${DESCRIPTION} The same events, written through PostgresStore into PostgreSQL 15 on this machine, then \`VACUUM ANALYZE\` (as autovacuum would after a bulk load); the database (named after the schema) is kept and reused by later runs.`,
    rows: pgRows,
  });
}

await main();
