import type { FastifyInstance } from 'fastify';
import { httpError } from '../errors.js';
import type { StatsInterval, Store } from '../storage/store.js';
import { enumParam, isIssueId, onlyParams, stringParam, timeParam, type Query } from './query-params.js';
import { iso } from './serialize.js';

const INTERVALS: readonly StatsInterval[] = ['minute', 'hour', 'day'];
const SIZE: Record<StatsInterval, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** Most buckets one answer holds (a week of minutes, or years of days). */
export const MAX_BUCKETS = 10_080;
const DEFAULT_RANGE_MS = 24 * 3_600_000;

/** `/api/stats` (counts over time, by service, environment and level) and `/api/services`. */
export function registerStatsRoutes(app: FastifyInstance, store: Store, now: () => number): void {
  app.get('/api/stats', async (request) => {
    const query = request.query as Query;
    onlyParams(query, ['interval', 'since', 'until', 'service', 'environment', 'issue']);
    const interval = enumParam(query, 'interval', INTERVALS) ?? 'hour';
    const size = SIZE[interval];
    const untilParam = timeParam(query, 'until');
    const sinceParam = timeParam(query, 'since');
    // Buckets are aligned to the interval (UTC): the first holds `since`, the last ends at or after `until`.
    const end = untilParam === undefined ? Math.floor(now() / size) * size + size : Math.ceil(untilParam / size) * size;
    const start = sinceParam === undefined ? Math.floor((end - DEFAULT_RANGE_MS) / size) * size : Math.floor(sinceParam / size) * size;
    if (sinceParam !== undefined && untilParam !== undefined && sinceParam >= untilParam) {
      throw httpError('FAULTLINE_INVALID_QUERY', 'Expected `since` to be before `until`');
    }
    if (start >= end) throw httpError('FAULTLINE_INVALID_QUERY', 'Expected `since` to be before `until`');
    const count = (end - start) / size;
    if (count > MAX_BUCKETS) {
      throw httpError('FAULTLINE_INVALID_QUERY', `The range holds ${count} ${interval} buckets; at most ${MAX_BUCKETS}: use a larger interval`);
    }
    const issue = stringParam(query, 'issue');
    if (issue !== undefined && !isIssueId(issue)) throw httpError('FAULTLINE_INVALID_QUERY', 'Expected `issue` to be an issue id');
    const result = await store.stats({
      interval,
      since: start,
      until: end,
      service: stringParam(query, 'service'),
      environment: stringParam(query, 'environment'),
      issueId: issue,
    });
    const counts = new Map(result.buckets.map((b) => [b.t, b.count]));
    const buckets: { t: string; count: number }[] = [];
    for (let t = start; t < end; t += size) buckets.push({ t: iso(t), count: counts.get(t) ?? 0 });
    return { interval, since: iso(start), until: iso(end), buckets, byService: result.byService, byEnvironment: result.byEnvironment, byLevel: result.byLevel };
  });

  app.get('/api/services', async (request) => {
    onlyParams(request.query as Query, []);
    const services = await store.services();
    const environments = [...new Set(services.flatMap((s) => s.environments))].sort();
    return {
      services: services.map((s) => ({ name: s.name, environments: s.environments, issues: s.issues, lastSeen: iso(s.lastSeen) })),
      environments,
    };
  });
}
