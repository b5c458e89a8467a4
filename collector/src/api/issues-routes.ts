import type { FastifyInstance } from 'fastify';
import { httpError } from '../errors.js';
import { HOUR_MS, hourOf } from '../storage/aggregate-events.js';
import { ISSUE_STATUSES, type IssueFilter, type IssueSort, type Store } from '../storage/store.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { enumParam, intParam, isIssueId, onlyParams, stringParam, timeParam, type Query } from './query-params.js';
import { eventJson, issueJson } from './serialize.js';

const SORTS: readonly IssueSort[] = ['lastSeen', 'firstSeen', 'count'];
const LEVELS = ['fatal', 'error', 'warning', 'info'] as const;
const MAX_SPARKLINE_HOURS = 168;

function issueIdParam(params: unknown): string {
  const id = (params as { id: string }).id;
  if (!isIssueId(id)) throw httpError('FAULTLINE_NOT_FOUND', `No issue ${id}`);
  return id;
}

const ISSUE_LIST_PARAMS = ['sort', 'limit', 'cursor', 'service', 'environment', 'status', 'level', 'q', 'since', 'until', 'sparkline'];

function sparklineHours(query: Query): number | undefined {
  const value = stringParam(query, 'sparkline');
  if (value === undefined) return undefined;
  const match = /^(\d{1,3})h$/.exec(value);
  const hours = match ? Number(match[1]) : NaN;
  if (!(hours >= 1 && hours <= MAX_SPARKLINE_HOURS)) {
    throw httpError('FAULTLINE_INVALID_QUERY', `Expected \`sparkline\` to be hours from 1h to ${MAX_SPARKLINE_HOURS}h, such as 24h`);
  }
  return hours;
}

/** `/api/issues`, `/api/issues/:id`, `/api/issues/:id/events`, `PATCH /api/issues/:id`. */
export function registerIssueRoutes(app: FastifyInstance, store: Store, now: () => number): void {
  app.get('/api/issues', async (request) => {
    const query = request.query as Query;
    onlyParams(query, ISSUE_LIST_PARAMS);
    const sort = enumParam(query, 'sort', SORTS) ?? 'lastSeen';
    const limit = intParam(query, 'limit', 50, 1, 200);
    const cursor = stringParam(query, 'cursor', 500);
    const environment = stringParam(query, 'environment');
    const hours = sparklineHours(query);
    const filter: IssueFilter = {
      service: stringParam(query, 'service'),
      environment,
      status: enumParam(query, 'status', ISSUE_STATUSES),
      level: enumParam(query, 'level', LEVELS),
      q: stringParam(query, 'q'),
      since: timeParam(query, 'since'),
      until: timeParam(query, 'until'),
    };
    const after = cursor === undefined ? undefined : decodeCursor<number>(cursor, sort, 'number');
    const [rows, total] = await Promise.all([store.listIssues({ ...filter, sort, after, limit: limit + 1 }), store.countIssues(filter)]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(sort, last[sort], Number(last.id)) : null;
    const issues = page.map(issueJson);
    if (hours !== undefined) {
      const fromHour = hourOf(now()) - (hours - 1) * HOUR_MS;
      const lines = await store.sparklines(
        page.map((i) => i.id),
        fromHour,
        hours,
        environment,
      );
      issues.forEach((issue, i) => (issue.sparkline = lines.get(page[i]!.id)));
    }
    return { issues, nextCursor, total };
  });

  app.get('/api/issues/:id', async (request) => {
    onlyParams(request.query as Query, []);
    const id = issueIdParam(request.params);
    const issue = await store.getIssue(id);
    if (issue === undefined) throw httpError('FAULTLINE_NOT_FOUND', `No issue ${id}`);
    let latest = issue.latestEventId === null ? undefined : await store.getEvent(issue.latestEventId);
    latest ??= (await store.listEvents({ issueId: id, limit: 1 }))[0];
    return {
      ...issueJson(issue),
      message: issue.message,
      grouping: issue.grouping,
      fingerprint: issue.fingerprint,
      latestEvent: latest === undefined ? null : eventJson(latest),
    };
  });

  app.get('/api/issues/:id/events', async (request) => {
    const id = issueIdParam(request.params);
    const query = request.query as Query;
    onlyParams(query, ['limit', 'cursor']);
    const limit = intParam(query, 'limit', 20, 1, 100);
    const cursor = stringParam(query, 'cursor', 500);
    const after = cursor === undefined ? undefined : decodeCursor<string>(cursor, 'events', 'string');
    const [issue, rows] = await Promise.all([store.getIssue(id), store.listEvents({ issueId: id, after, limit: limit + 1 })]);
    if (issue === undefined) throw httpError('FAULTLINE_NOT_FOUND', `No issue ${id}`);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      events: page.map(eventJson),
      nextCursor: rows.length > limit && last !== undefined ? encodeCursor('events', last.timestamp, last.tiebreak) : null,
    };
  });

  app.patch('/api/issues/:id', async (request) => {
    const id = issueIdParam(request.params);
    const body = request.body as { status?: unknown } | null | undefined;
    const status = body !== null && typeof body === 'object' ? body.status : undefined;
    if (typeof status !== 'string' || !(ISSUE_STATUSES as readonly string[]).includes(status)) {
      throw httpError('FAULTLINE_INVALID_STATUS', `Expected \`status\` to be one of ${ISSUE_STATUSES.join(', ')}`);
    }
    const issue = await store.setIssueStatus(id, status as (typeof ISSUE_STATUSES)[number], now());
    if (issue === undefined) throw httpError('FAULTLINE_NOT_FOUND', `No issue ${id}`);
    return issueJson(issue);
  });
}
