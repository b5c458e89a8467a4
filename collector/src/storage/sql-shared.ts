import type { Level } from '@faultline/sdk/schema';
import type { Issue, IssueDetail, IssueFilter, IssueQuery, IssueStatus, StatsQuery, StatsResult } from './store.js';

/** Collects parameters for one statement in the dialect's placeholder style (`?` or `$n`). */
export class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'sqlite' ? '?' : `$${this.values.length}`;
  }
}

export const ISSUE_COLUMNS =
  'id, title, type, culprit, service, environment, level, status, regressed, count, first_seen AS "firstSeen", last_seen AS "lastSeen"';
export const ISSUE_DETAIL_COLUMNS = `${ISSUE_COLUMNS}, message, fingerprint, grouping, latest_event_id AS "latestEventId"`;

const SORT_COLUMN = { lastSeen: 'last_seen', firstSeen: 'first_seen', count: 'count' } as const;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The issue-list statement: filters, keyset pagination on (sort column, id), newest/largest first. */
export function issueListSql(query: IssueQuery, p: Params, dialect: 'sqlite' | 'postgres'): string {
  const where = issueWhere(query, p, dialect);
  const column = SORT_COLUMN[query.sort];
  if (query.after !== undefined) where.push(`(${column}, id) < (${p.add(query.after.value)}, ${p.add(query.after.id)})`);
  return `SELECT ${ISSUE_COLUMNS} FROM issues ${whereClause(where)} ORDER BY ${column} DESC, id DESC LIMIT ${p.add(query.limit)}`;
}

/** Counts what `issueListSql` lists with the same filter, across all pages. */
export function issueCountSql(filter: IssueFilter, p: Params, dialect: 'sqlite' | 'postgres'): string {
  return `SELECT COUNT(*) AS n FROM issues ${whereClause(issueWhere(filter, p, dialect))}`;
}

function whereClause(where: readonly string[]): string {
  return where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
}

// eslint-disable-next-line no-control-regex -- every ASCII code, control characters included
const ASCII = /^[\x00-\x7f]*$/;

/** SQLite function (registered by SqliteStore) that lower-cases any script one character at a time: `foldCase`. */
export const SQLITE_FOLD = 'faultline_fold';

/**
 * Lower-cases `text` one character at a time, as PostgreSQL's ILIKE compares: a character's lower case
 * regardless of its neighbours (a final 'Σ' is 'σ', not 'ς'), and a character whose lower case is longer keeps
 * its first character ('İ' is 'i'). So `q` finds the same issues in both stores.
 */
export function foldCase(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    out += lower.length === ch.length ? lower : String.fromCodePoint(lower.codePointAt(0)!);
  }
  return out;
}

function issueWhere(query: IssueFilter, p: Params, dialect: 'sqlite' | 'postgres'): string[] {
  const where: string[] = [];
  if (query.service !== undefined) where.push(`service = ${p.add(query.service)}`);
  if (query.status !== undefined) where.push(`status = ${p.add(query.status)}`);
  if (query.level !== undefined) where.push(`level = ${p.add(query.level)}`);
  if (query.environment !== undefined) {
    where.push(`id IN (SELECT issue_id FROM issue_hourly WHERE environment = ${p.add(query.environment)})`);
  }
  if (query.since !== undefined) where.push(`last_seen >= ${p.add(query.since)}`);
  if (query.until !== undefined) where.push(`first_seen < ${p.add(query.until)}`);
  if (query.q !== undefined && query.q !== '' && dialect === 'sqlite') {
    // SQLite's LIKE folds ASCII letters only: 'ÉCHEC' would not find 'échec', nor 'k' the Kelvin sign 'K', which
    // PostgreSQL's ILIKE finds. So the columns are folded as ILIKE folds them, whatever `q` is.
    const needle = foldCase(query.q);
    where.push(`(${['title', 'message', 'culprit'].map((column) => `instr(${SQLITE_FOLD}(${column}), ${p.add(needle)}) > 0`).join(' OR ')})`);
  } else if (query.q !== undefined && query.q !== '') {
    const like = dialect === 'sqlite' ? 'LIKE' : 'ILIKE';
    const pattern = `%${escapeLike(query.q)}%`;
    const match = ['title', 'message', 'culprit'].map((column) => `${column} ${like} ${p.add(pattern)} ESCAPE '\\'`);
    where.push(`(${match.join(' OR ')})`);
  }
  return where;
}

interface IssueRow {
  id: number | string;
  title: string;
  type: string;
  culprit: string;
  service: string;
  environment: string;
  level: string;
  status: string;
  regressed: number | boolean;
  count: number | string;
  firstSeen: number | string;
  lastSeen: number | string;
}

export function toIssue(row: IssueRow): Issue {
  return {
    id: String(row.id),
    title: row.title,
    type: row.type,
    culprit: row.culprit,
    service: row.service,
    environment: row.environment,
    level: row.level as Level,
    status: row.status as IssueStatus,
    regressed: Boolean(row.regressed),
    count: Number(row.count),
    firstSeen: Number(row.firstSeen),
    lastSeen: Number(row.lastSeen),
  };
}

export function toIssueDetail(
  row: IssueRow & { message: string; fingerprint: string; grouping: number | string; latestEventId: string | null },
): IssueDetail {
  return {
    ...toIssue(row),
    message: row.message,
    fingerprint: row.fingerprint,
    grouping: Number(row.grouping),
    latestEventId: row.latestEventId,
  };
}

export interface BucketRow {
  t: number | string;
  n: number | string;
}

export interface BreakdownRow {
  service: string;
  environment: string;
  level: string;
  n: number | string;
}

function sorted<K extends string>(map: Map<string, number>, key: K): ({ [P in K]: string } & { count: number })[] {
  return [...map]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name, count]) => ({ [key]: name, count }) as { [P in K]: string } & { count: number });
}

/** Folds bucket rows and (service, environment, level) rows into the stats answer. */
export function foldStats(bucketRows: readonly BucketRow[], breakdownRows: readonly BreakdownRow[]): StatsResult {
  const byService = new Map<string, number>();
  const byEnvironment = new Map<string, number>();
  const byLevel = new Map<string, number>();
  for (const row of breakdownRows) {
    const n = Number(row.n);
    byService.set(row.service, (byService.get(row.service) ?? 0) + n);
    byEnvironment.set(row.environment, (byEnvironment.get(row.environment) ?? 0) + n);
    byLevel.set(row.level, (byLevel.get(row.level) ?? 0) + n);
  }
  return {
    buckets: bucketRows.map((r) => ({ t: Number(r.t), count: Number(r.n) })).sort((a, b) => a.t - b.t),
    byService: sorted(byService, 'service'),
    byEnvironment: sorted(byEnvironment, 'environment'),
    byLevel: sorted(byLevel, 'level') as { level: Level; count: number }[],
  };
}

const BUCKET_MS: Record<StatsQuery['interval'], number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * The two stats statements (counts per bucket; counts per service, environment and level), both aggregated by
 * the database. They read the per-minute and per-hour count tables, or, for one issue, its hourly or
 * per-minute counts: never the events, which retention may have trimmed.
 */
export function statsSql(query: StatsQuery, dialect: 'sqlite' | 'postgres'): { buckets: [string, unknown[]]; breakdown: [string, unknown[]] } {
  const build = (select: (time: string, service: string, dim: string) => [string, string]): [string, unknown[]] => {
    const p = new Params(dialect);
    const where: string[] = [];
    let from: string;
    let time: string;
    let service: string;
    let count: string;
    let dim = '';
    if (query.issueId !== undefined) {
      dim = 'h.';
      const minutes = query.interval === 'minute';
      time = minutes ? 'h.minute' : 'h.hour';
      service = 'i.service';
      count = 'h.count';
      from = `${minutes ? 'issue_minutely' : 'issue_hourly'} h JOIN issues i ON i.id = h.issue_id`;
      where.push(`h.issue_id = ${p.add(Number(query.issueId))}`);
      if (query.environment !== undefined) where.push(`h.environment = ${p.add(query.environment)}`);
      if (query.service !== undefined) where.push(`i.service = ${p.add(query.service)}`);
    } else {
      const minutes = query.interval === 'minute';
      time = minutes ? 'minute' : 'hour';
      service = 'service';
      count = 'count';
      from = minutes ? 'minute_counts' : 'hourly_counts';
      if (query.environment !== undefined) where.push(`environment = ${p.add(query.environment)}`);
      if (query.service !== undefined) where.push(`service = ${p.add(query.service)}`);
    }
    where.push(`${time} >= ${p.add(query.since)}`, `${time} < ${p.add(query.until)}`);
    const [columns, group] = select(time, service, dim);
    return [`SELECT ${columns}, SUM(${count}) AS n FROM ${from} WHERE ${where.join(' AND ')} GROUP BY ${group}`, p.values];
  };
  const size = BUCKET_MS[query.interval];
  return {
    buckets: build((time) => [`(${time} / ${size}) * ${size} AS t`, '1']),
    breakdown: build((_time, service, dim) => [`${service} AS service, ${dim}environment AS environment, ${dim}level AS level`, `${service}, ${dim}environment, ${dim}level`]),
  };
}
