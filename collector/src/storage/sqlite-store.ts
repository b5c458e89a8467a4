/* eslint-disable @typescript-eslint/require-await -- better-sqlite3 is synchronous; `async` turns its throws into rejections, as the Store interface promises. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CollectorConfigError } from '../errors.js';
import { HOUR_MS } from './aggregate-events.js';
import { ISSUE_COLUMNS, ISSUE_DETAIL_COLUMNS, Params, SQLITE_FOLD, foldCase, foldStats, issueCountSql, issueListSql, statsSql, toIssue, toIssueDetail, type BreakdownRow, type BucketRow } from './sql-shared.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { SqliteEventWriter } from './sqlite-write-events.js';
import type {
  EventQuery,
  Issue,
  IssueDetail,
  IssueFilter,
  IssueQuery,
  IssueStatus,
  PreparedEvent,
  RetentionPolicy,
  RetentionResult,
  ServiceSummary,
  StatsQuery,
  StatsResult,
  Store,
  StoredEvent,
  WriteResult,
} from './store.js';

export interface SqliteStoreOptions {
  /** `normal` (default) survives a process crash once committed; `full` also survives power loss. */
  synchronous?: 'normal' | 'full';
}


/** The embedded store: better-sqlite3 in WAL mode. Synchronous calls, wrapped in promises for the interface. */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #writer: SqliteEventWriter;

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#writer = new SqliteEventWriter(db);
  }




  /** Opens (creating the file and its directory) and migrates a database. `:memory:` works for tests. */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    db.function(SQLITE_FOLD, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldCase(text) : text));
    migrate(db);
    return new SqliteStore(db);
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #all<T>(sql: string, params: unknown[]): T[] {
    return this.#prepare(sql).all(...params) as T[];
  }

  #get<T>(sql: string, params: unknown[]): T | undefined {
    return this.#prepare(sql).get(...params) as T | undefined;
  }

  async writeEvents(events: readonly PreparedEvent[]): Promise<WriteResult> {
    return this.#writer.write(events);
  }

  async listIssues(query: IssueQuery): Promise<Issue[]> {
    const p = new Params('sqlite');
    const sql = issueListSql(query, p, 'sqlite');
    return this.#all<Parameters<typeof toIssue>[0]>(sql, p.values).map(toIssue);
  }

  async countIssues(filter: IssueFilter): Promise<number> {
    const p = new Params('sqlite');
    return this.#get<{ n: number }>(issueCountSql(filter, p, 'sqlite'), p.values)?.n ?? 0;
  }

  async getIssue(id: string): Promise<IssueDetail | undefined> {
    const row = this.#get<Parameters<typeof toIssueDetail>[0]>(`SELECT ${ISSUE_DETAIL_COLUMNS} FROM issues WHERE id = ?`, [Number(id)]);
    return row && toIssueDetail(row);
  }

  async setIssueStatus(id: string, status: IssueStatus, now: number): Promise<Issue | undefined> {
    this.#writer.forget();
    const row = this.#get<Parameters<typeof toIssue>[0]>(
      `UPDATE issues SET status = ?, regressed = 0, resolved_at = ? WHERE id = ? RETURNING ${ISSUE_COLUMNS}`,
      [status, status === 'resolved' ? now : null, Number(id)],
    );
    return row && toIssue(row);
  }

  async listEvents(query: EventQuery): Promise<StoredEvent[]> {
    const p = new Params('sqlite');
    const where = [`issue_id = ${p.add(Number(query.issueId))}`];
    if (query.after !== undefined) where.push(`(ts, seq) < (${p.add(query.after.value)}, ${p.add(Number(query.after.id))})`);
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY ts DESC, seq DESC LIMIT ${p.add(query.limit)}`;
    return this.#all<EventRow>(sql, p.values).map(toEvent);
  }

  async getEvent(id: string): Promise<StoredEvent | undefined> {
    const row = this.#get<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`, [id]);
    return row && toEvent(row);
  }

  async sparklines(issueIds: readonly string[], fromHour: number, hours: number, environment?: string): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>(issueIds.map((id) => [id, new Array<number>(hours).fill(0)]));
    if (issueIds.length === 0) return out;
    const p = new Params('sqlite');
    const ids = issueIds.map((id) => p.add(Number(id))).join(', ');
    const where = [`issue_id IN (${ids})`, `hour >= ${p.add(fromHour)}`, `hour < ${p.add(fromHour + hours * HOUR_MS)}`];
    if (environment !== undefined) where.push(`environment = ${p.add(environment)}`);
    const rows = this.#all<{ id: number; hour: number; n: number }>(
      `SELECT issue_id AS id, hour, SUM(count) AS n FROM issue_hourly WHERE ${where.join(' AND ')} GROUP BY issue_id, hour`,
      p.values,
    );
    for (const row of rows) {
      const line = out.get(String(row.id));
      if (line) line[(row.hour - fromHour) / HOUR_MS] = row.n;
    }
    return out;
  }

  async stats(query: StatsQuery): Promise<StatsResult> {
    const { buckets, breakdown } = statsSql(query, 'sqlite');
    return foldStats(this.#all<BucketRow>(...buckets), this.#all<BreakdownRow>(...breakdown));
  }

  async services(): Promise<ServiceSummary[]> {
    const services = this.#all<{ name: string; issues: number; lastSeen: number }>(
      'SELECT service AS name, COUNT(*) AS issues, MAX(last_seen) AS "lastSeen" FROM issues GROUP BY service ORDER BY service',
      [],
    );
    const envs = this.#all<{ service: string; environment: string }>(
      'SELECT DISTINCT service, environment FROM hourly_counts ORDER BY 1, 2',
      [],
    );
    return services.map((s) => ({ ...s, environments: envs.filter((e) => e.service === s.name).map((e) => e.environment) }));
  }

  async applyRetention(policy: RetentionPolicy): Promise<RetentionResult> {
    const result: RetentionResult = { deletedEvents: 0, deletedIssues: 0 };
    this.#writer.forget();
    // Old events are found per issue through the (issue, time) index: no index on time alone slows every insert.
    const aging = this.#db
      .prepare<[number], { id: number }>('SELECT id FROM issues WHERE first_seen < ? AND stored_events > 0')
      .all(policy.olderThan);
    const byAge = this.#db.prepare('DELETE FROM events WHERE issue_id = ? AND ts < ?');
    const decrement = this.#db.prepare('UPDATE issues SET stored_events = stored_events - ? WHERE id = ?');
    for (const { id } of aging) {
      result.deletedEvents += this.#db.transaction(() => {
        const n = byAge.run(id, policy.olderThan).changes;
        if (n > 0) decrement.run(n, id);
        return n;
      }).immediate();
      await yieldToEventLoop();
    }

    const cutoffHour = Math.floor(policy.olderThan / HOUR_MS) * HOUR_MS;
    this.#db.transaction(() => {
      const stale = this.#db.prepare<[number], { id: number }>('SELECT id FROM issues WHERE last_seen < ?').all(policy.olderThan);
      const removeIssue = this.#db.prepare('DELETE FROM issues WHERE id = ?');
      const removeHours = this.#db.prepare('DELETE FROM issue_hourly WHERE issue_id = ?');
      const removeMinutes = this.#db.prepare('DELETE FROM issue_minutely WHERE issue_id = ?');
      const removeEvents = this.#db.prepare('DELETE FROM events WHERE issue_id = ?');
      for (const { id } of stale) {
        result.deletedEvents += removeEvents.run(id).changes;
        removeHours.run(id);
        removeMinutes.run(id);
        removeIssue.run(id);
      }
      result.deletedIssues += stale.length;
      this.#db.prepare('DELETE FROM issue_hourly WHERE hour < ?').run(cutoffHour);
      this.#db.prepare('DELETE FROM hourly_counts WHERE hour < ?').run(cutoffHour);
      this.#db.prepare('DELETE FROM minute_counts WHERE minute < ?').run(cutoffHour);
      // Through the primary key, per issue old enough to have such minutes: no index on the minute alone.
      this.#db
        .prepare('DELETE FROM issue_minutely WHERE issue_id IN (SELECT id FROM issues WHERE first_seen < @cutoff) AND minute < @cutoff')
        .run({ cutoff: cutoffHour });
    }).immediate();
    // Writes between the chunks above may have remembered an issue this transaction deleted.
    this.#writer.forget();

    const crowded = this.#db
      .prepare<[number], { id: number }>('SELECT id FROM issues WHERE stored_events > ?')
      .all(policy.maxEventsPerIssue);
    const trim = this.#db.prepare(
      `DELETE FROM events WHERE seq IN (
         SELECT seq FROM events WHERE issue_id = ? ORDER BY ts DESC, seq DESC LIMIT -1 OFFSET ?)`,
    );
    for (const { id } of crowded) {
      const n = this.#db.transaction(() => {
        const changes = trim.run(id, policy.maxEventsPerIssue).changes;
        decrement.run(changes, id);
        return changes;
      }).immediate();
      result.deletedEvents += n;
      await yieldToEventLoop();
    }
    return result;
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

const EVENT_COLUMNS = 'id, issue_id AS "issueId", ts AS timestamp, received_at AS "receivedAt", report AS json, seq';
type EventRow = Omit<StoredEvent, 'issueId' | 'tiebreak'> & { issueId: number; seq: number };

function toEvent(row: EventRow): StoredEvent {
  return { id: row.id, issueId: String(row.issueId), timestamp: row.timestamp, receivedAt: row.receivedAt, json: row.json, tiebreak: String(row.seq) };
}


function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SQLITE_MIGRATIONS.length) {
    throw new CollectorConfigError(
      'FAULTLINE_MIGRATION_FAILED',
      `The database schema is version ${version}, newer than this collector knows (${SQLITE_MIGRATIONS.length})`,
    );
  }
  for (let v = version; v < SQLITE_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
