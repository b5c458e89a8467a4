import { request } from './client.js';
import type {
  BreakdownRow,
  EventPage,
  IssueDetail,
  IssuePage,
  IssueQuery,
  IssueStatus,
  IssueSummary,
  ServiceSummary,
  Stats,
  StatsQuery,
  StoredEvent,
} from './types.js';

const seg = encodeURIComponent;

/** `GET /api/issues`: one page of issues, newest first unless `sort` says otherwise. */
export function listIssues(query: IssueQuery, signal?: AbortSignal): Promise<IssuePage> {
  const { sparkline, ...rest } = query;
  return request<IssuePage>('GET', 'issues', { query: { ...rest, sparkline: sparkline ? '24h' : undefined }, signal });
}

/** `GET /api/issues/:id`: the issue and its latest event. */
export function getIssue(id: string, signal?: AbortSignal): Promise<IssueDetail> {
  return request<IssueDetail>('GET', `issues/${seg(id)}`, { signal });
}

/** `GET /api/issues/:id/events`: the issue's events, newest first, a page at a time. */
export function listEvents(id: string, cursor: string | undefined, limit: number, signal?: AbortSignal): Promise<EventPage> {
  return request<EventPage>('GET', `issues/${seg(id)}/events`, { query: { cursor, limit }, signal });
}

/** `GET /api/events/:id`: one stored report. */
export function getEvent(id: string, signal?: AbortSignal): Promise<StoredEvent> {
  return request<StoredEvent>('GET', `events/${seg(id)}`, { signal });
}

/** `PATCH /api/issues/:id`: resolve, ignore or reopen. */
export function setIssueStatus(id: string, status: IssueStatus): Promise<IssueSummary> {
  return request<IssueSummary>('PATCH', `issues/${seg(id)}`, { body: { status } });
}

type RawRow = { count: number } & Record<string, unknown>;
interface RawStats extends Omit<Stats, 'byService' | 'byEnvironment' | 'byLevel'> {
  byService: RawRow[];
  byEnvironment: RawRow[];
  byLevel: RawRow[];
}

function rows(raw: readonly RawRow[], key: string): BreakdownRow[] {
  return raw
    .map((r) => {
      const k = r[key];
      return { key: typeof k === 'string' ? k : '', count: r.count };
    })
    .sort((a, b) => b.count - a.count);
}

/** `GET /api/stats`: event counts per bucket and by service, environment and level. */
export async function getStats(query: StatsQuery, signal?: AbortSignal): Promise<Stats> {
  const raw = await request<RawStats>('GET', 'stats', { query: { ...query }, signal });
  return {
    buckets: raw.buckets,
    byService: rows(raw.byService, 'service'),
    byEnvironment: rows(raw.byEnvironment, 'environment'),
    byLevel: rows(raw.byLevel, 'level'),
  };
}

/** `GET /api/services`: every service with the environments it reported from. */
export async function listServices(signal?: AbortSignal): Promise<ServiceSummary[]> {
  const raw = await request<{ services: ServiceSummary[] } | ServiceSummary[]>('GET', 'services', { signal });
  return Array.isArray(raw) ? raw : raw.services;
}
