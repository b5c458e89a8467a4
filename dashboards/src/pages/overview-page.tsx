import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { getStats, listIssues } from '../api/read-api.js';
import { Breakdown } from '../components/breakdown.js';
import { IssueRow, IssueTableHead } from '../components/issue-row.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { RangePicker } from '../components/range-picker.js';
import { ServicesFilter } from '../components/services-filter.js';
import { TimeChart } from '../components/time-chart.js';
import { fillBuckets, isRangeKey, rangeWindow, type RangeKey } from '../format/range.js';
import { formatCount } from '../format/time.js';
import { LIVE_POLL_MS } from '../state/live.js';
import { setQuery } from '../state/router.js';
import { useApi } from '../state/use-api.js';

const LEVELS = ['fatal', 'error', 'warning', 'info'] as const;

/** Error rate over the chosen range, top issues and the breakdowns, for one service/environment or all. */
export function OverviewPage({ query }: { query: URLSearchParams }): JSX.Element {
  const rangeParam = query.get('range');
  const range: RangeKey = isRangeKey(rangeParam) ? rangeParam : '24h';
  const service = query.get('service') ?? '';
  const environment = query.get('environment') ?? '';
  const key = `${range}|${service}|${environment}`;

  const stats = useApi(
    key,
    async (signal) => {
      const w = rangeWindow(range);
      const s = await getStats(
        { interval: w.interval, since: new Date(w.since).toISOString(), service: service || undefined, environment: environment || undefined },
        signal,
      );
      return { stats: s, window: w };
    },
    { pollMs: LIVE_POLL_MS },
  );
  const top = useApi(
    key,
    (signal) =>
      listIssues(
        {
          sort: 'count',
          limit: 10,
          since: new Date(rangeWindow(range).since).toISOString(),
          service: service || undefined,
          environment: environment || undefined,
          sparkline: true,
        },
        signal,
      ),
    { pollMs: LIVE_POLL_MS },
  );

  const chart = useMemo(() => {
    if (!stats.data) return undefined;
    const { stats: s, window: w } = stats.data;
    return fillBuckets(s.buckets, w.since, w.until, w.interval);
  }, [stats.data]);

  const s = stats.data?.stats;
  const total = s ? s.byLevel.reduce((a, r) => a + r.count, 0) : undefined;
  const byLevel = new Map(s?.byLevel.map((r) => [r.key, r.count]));
  const now = Date.now();

  return (
    <div class="page overview" data-loading={stats.loading || top.loading ? 'true' : 'false'}>
      <div class="page-head">
        <h1>Overview</h1>
        <div class="toolbar">
          <RangePicker value={range} onChange={(r) => setQuery({ range: r === '24h' ? undefined : r })} />
          <ServicesFilter service={service} environment={environment} onChange={(c) => setQuery(c)} />
        </div>
      </div>
      <ErrorNotice error={stats.error ?? top.error} />
      <section class="cards">
        <div class="card" data-card="total">
          <span class="card-label">Events ({range})</span>
          <span class="card-value">{total === undefined ? '–' : formatCount(total)}</span>
        </div>
        {LEVELS.map((l) => (
          <div class="card" data-card={l} key={l}>
            <span class={`card-label level-text-${l}`}>{l}</span>
            <span class="card-value">{s ? formatCount(byLevel.get(l) ?? 0) : '–'}</span>
          </div>
        ))}
      </section>
      <section class="panel">
        <h2>Error rate</h2>
        {chart ? <TimeChart data={chart} label="events" /> : <Loading />}
      </section>
      <div class="columns">
        <section class="panel top-issues">
          <h2>Top issues</h2>
          {top.data ? (
            top.data.issues.length ? (
              <table class="issues">
                <IssueTableHead />
                <tbody>
                  {top.data.issues.map((i) => (
                    <IssueRow key={i.id} issue={i} now={now} />
                  ))}
                </tbody>
              </table>
            ) : (
              <p class="muted">No issues in this range.</p>
            )
          ) : (
            <Loading />
          )}
        </section>
        <div class="side">
          <Breakdown title="By service" name="service" rows={s?.byService ?? []} onPick={(v) => setQuery({ service: v })} />
          <Breakdown title="By environment" name="environment" rows={s?.byEnvironment ?? []} onPick={(v) => setQuery({ environment: v })} />
          <Breakdown title="By level" name="level" rows={s?.byLevel ?? []} />
        </div>
      </div>
    </div>
  );
}
