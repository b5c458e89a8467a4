import pg from 'pg';
import { CollectorConfigError } from '../errors.js';
import { HOUR_MS } from './aggregate-events.js';
import { writeInTransaction } from './postgres-write-events.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { ISSUE_COLUMNS, ISSUE_DETAIL_COLUMNS, Params, foldStats, issueCountSql, issueListSql, statsSql, toIssue, toIssueDetail, type BreakdownRow, type BucketRow } from './sql-shared.js';
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

export interface PostgresStoreOptions {
  /** Connections in the pool. Default 8. */
  poolSize?: number;
  /** Called with errors of idle connections (a restarted server), which would otherwise crash the process. */
  onError?: (error: Error) => void;
}

const INT8_OID = 20;
// bigint columns hold ms timestamps and counts, all far below 2^53.
const parseInt8 = (value: string): number => Number(value);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? parseInt8 : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
};

// Deadlock and serialization failure: the transaction is retried as a whole.
const RETRYABLE = new Set(['40P01', '40001']);
const MIGRATION_LOCK = 0x6661756c; // "faul"


/** PostgreSQL through `pg`: several collector processes may share one database and keep exact counts. */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Connects, and migrates the schema (under an advisory lock, so concurrent starts are safe). */
  static async open(connectionString: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 8, types });
    pool.on('error', (error) => options.onError?.(error));
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresStore(pool);
  }

  async #rows<T>(sql: string, params: unknown[]): Promise<T[]> {
    const result = await this.#pool.query(sql, params);
    return result.rows as T[];
  }

  async writeEvents(events: readonly PreparedEvent[]): Promise<WriteResult> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.#pool.connect();
      try {
        await client.query('BEGIN');
        const result = await writeInTransaction(client, events);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: string }).code;
        if (attempt < 5 && code !== undefined && RETRYABLE.has(code)) continue;
        throw error;
      } finally {
        client.release();
      }
    }
  }

  async listIssues(query: IssueQuery): Promise<Issue[]> {
    const p = new Params('postgres');
    const sql = issueListSql(query, p, 'postgres');
    return (await this.#rows<Parameters<typeof toIssue>[0]>(sql, p.values)).map(toIssue);
  }

  async countIssues(filter: IssueFilter): Promise<number> {
    const p = new Params('postgres');
    const [row] = await this.#rows<{ n: string }>(issueCountSql(filter, p, 'postgres'), p.values);
    return Number(row?.n ?? 0);
  }

  async getIssue(id: string): Promise<IssueDetail | undefined> {
    const [row] = await this.#rows<Parameters<typeof toIssueDetail>[0]>(`SELECT ${ISSUE_DETAIL_COLUMNS} FROM issues WHERE id = $1`, [id]);
    return row && toIssueDetail(row);
  }

  async setIssueStatus(id: string, status: IssueStatus, now: number): Promise<Issue | undefined> {
    const [row] = await this.#rows<Parameters<typeof toIssue>[0]>(
      `UPDATE issues SET status = $1, regressed = false, resolved_at = $2 WHERE id = $3 RETURNING ${ISSUE_COLUMNS}`,
      [status, status === 'resolved' ? now : null, id],
    );
    return row && toIssue(row);
  }

  async listEvents(query: EventQuery): Promise<StoredEvent[]> {
    const p = new Params('postgres');
    const where = [`issue_id = ${p.add(query.issueId)}`];
    if (query.after !== undefined) where.push(`(ts, id) < (${p.add(query.after.value)}, ${p.add(query.after.id)})`);
    const sql = `SELECT id, issue_id::text AS "issueId", ts AS timestamp, received_at AS "receivedAt", report AS json, id AS tiebreak FROM events
      WHERE ${where.join(' AND ')} ORDER BY ts DESC, id DESC LIMIT ${p.add(query.limit)}`;
    return this.#rows<StoredEvent>(sql, p.values);
  }

  async getEvent(id: string): Promise<StoredEvent | undefined> {
    const [row] = await this.#rows<StoredEvent>(
      'SELECT id, issue_id::text AS "issueId", ts AS timestamp, received_at AS "receivedAt", report AS json, id AS tiebreak FROM events WHERE id = $1',
      [id],
    );
    return row;
  }

  async sparklines(issueIds: readonly string[], fromHour: number, hours: number, environment?: string): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>(issueIds.map((id) => [id, new Array<number>(hours).fill(0)]));
    if (issueIds.length === 0) return out;
    const p = new Params('postgres');
    const where = [`issue_id = ANY(${p.add(issueIds)}::bigint[])`, `hour >= ${p.add(fromHour)}`, `hour < ${p.add(fromHour + hours * HOUR_MS)}`];
    if (environment !== undefined) where.push(`environment = ${p.add(environment)}`);
    const rows = await this.#rows<{ id: number; hour: number; n: string }>(
      `SELECT issue_id AS id, hour, SUM(count) AS n FROM issue_hourly WHERE ${where.join(' AND ')} GROUP BY issue_id, hour`,
      p.values,
    );
    for (const row of rows) {
      const line = out.get(String(row.id));
      if (line) line[(row.hour - fromHour) / HOUR_MS] = Number(row.n);
    }
    return out;
  }

  async stats(query: StatsQuery): Promise<StatsResult> {
    const { buckets, breakdown } = statsSql(query, 'postgres');
    const [bucketRows, breakdownRows] = await Promise.all([this.#rows<BucketRow>(...buckets), this.#rows<BreakdownRow>(...breakdown)]);
    return foldStats(bucketRows, breakdownRows);
  }

  async services(): Promise<ServiceSummary[]> {
    const services = await this.#rows<{ name: string; issues: number; lastSeen: number }>(
      'SELECT service AS name, COUNT(*) AS issues, MAX(last_seen) AS "lastSeen" FROM issues GROUP BY service ORDER BY service',
      [],
    );
    const envs = await this.#rows<{ service: string; environment: string }>(
      'SELECT DISTINCT service, environment FROM hourly_counts ORDER BY 1, 2',
      [],
    );
    return services.map((s) => ({ ...s, environments: envs.filter((e) => e.service === s.name).map((e) => e.environment) }));
  }

  async #transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async applyRetention(policy: RetentionPolicy): Promise<RetentionResult> {
    const result: RetentionResult = { deletedEvents: 0, deletedIssues: 0 };
    // Old events are found per issue through the (issue, time) index: no index on time alone slows every insert.
    const aging = await this.#rows<{ id: number }>('SELECT id FROM issues WHERE first_seen < $1 AND stored_events > 0', [policy.olderThan]);
    for (const { id } of aging) {
      result.deletedEvents += await this.#transaction(async (client) => {
        const deleted = await client.query('DELETE FROM events WHERE issue_id = $1 AND ts < $2', [id, policy.olderThan]);
        const n = deleted.rowCount ?? 0;
        if (n > 0) await client.query('UPDATE issues SET stored_events = stored_events - $1 WHERE id = $2', [n, id]);
        return n;
      });
    }

    const cutoffHour = Math.floor(policy.olderThan / HOUR_MS) * HOUR_MS;
    await this.#transaction(async (client) => {
      const { rows } = await client.query<{ id: number }>('DELETE FROM issues WHERE last_seen < $1 RETURNING id', [policy.olderThan]);
      const ids = rows.map((r) => r.id);
      if (ids.length > 0) {
        const events = await client.query('DELETE FROM events WHERE issue_id = ANY($1::bigint[])', [ids]);
        result.deletedEvents += events.rowCount ?? 0;
        await client.query('DELETE FROM issue_hourly WHERE issue_id = ANY($1::bigint[])', [ids]);
        await client.query('DELETE FROM issue_minutely WHERE issue_id = ANY($1::bigint[])', [ids]);
      }
      result.deletedIssues += ids.length;
      await client.query('DELETE FROM issue_hourly WHERE hour < $1', [cutoffHour]);
      await client.query('DELETE FROM hourly_counts WHERE hour < $1', [cutoffHour]);
      await client.query('DELETE FROM minute_counts WHERE minute < $1', [cutoffHour]);
      // Through the primary key, per issue old enough to have such minutes: no index on the minute alone.
      await client.query(
        'DELETE FROM issue_minutely m USING issues i WHERE m.issue_id = i.id AND i.first_seen < $1 AND m.minute < $1',
        [cutoffHour],
      );
    });

    const crowded = await this.#rows<{ id: number }>('SELECT id FROM issues WHERE stored_events > $1', [policy.maxEventsPerIssue]);
    for (const { id } of crowded) {
      result.deletedEvents += await this.#transaction(async (client) => {
        const deleted = await client.query(
          `DELETE FROM events WHERE id IN (
             SELECT id FROM events WHERE issue_id = $1 ORDER BY ts DESC, id DESC OFFSET $2)`,
          [id, policy.maxEventsPerIssue],
        );
        const n = deleted.rowCount ?? 0;
        await client.query('UPDATE issues SET stored_events = stored_events - $1 WHERE id = $2', [n, id]);
        return n;
      });
    }
    return result;
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS faultline_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM faultline_migrations');
    const version = rows[0]?.v ?? 0;
    if (version > POSTGRES_MIGRATIONS.length) {
      throw new CollectorConfigError(
        'FAULTLINE_MIGRATION_FAILED',
        `The database schema is version ${version}, newer than this collector knows (${POSTGRES_MIGRATIONS.length})`,
      );
    }
    for (let v = version; v < POSTGRES_MIGRATIONS.length; v++) {
      await client.query(POSTGRES_MIGRATIONS[v]!);
      await client.query('INSERT INTO faultline_migrations (version) VALUES ($1)', [v + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
