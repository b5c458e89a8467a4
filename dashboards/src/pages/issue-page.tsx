import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { getEvent, getIssue, getStats } from '../api/read-api.js';
import { StatusBadge } from '../components/badges.js';
import { EventDetail } from '../components/event-detail.js';
import { EventStepper } from '../components/event-stepper.js';
import { Link } from '../components/link.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { RefusedEventNotice } from '../components/refused-event-notice.js';
import { RangePicker } from '../components/range-picker.js';
import { StatusActions } from '../components/status-actions.js';
import { TimeChart } from '../components/time-chart.js';
import { ApiError } from '../errors.js';
import { fillBuckets, isRangeKey, rangeWindow, type RangeKey } from '../format/range.js';
import { absoluteTime, formatCount, relativeTime } from '../format/time.js';
import { LIVE_POLL_MS } from '../state/live.js';
import { setQuery } from '../state/router.js';
import { shownEvent } from '../state/shown-event.js';
import { useApi } from '../state/use-api.js';

/** One issue: what it is, its status actions, occurrences over time, and one event at a time in full. */
export function IssuePage({ id, query }: { id: string; query: URLSearchParams }): JSX.Element {
  const eventId = query.get('event') ?? undefined;
  const rangeParam = query.get('range');
  const range: RangeKey = isRangeKey(rangeParam) ? rangeParam : '7d';

  const issue = useApi(`issue:${id}`, (signal) => getIssue(id, signal), { pollMs: LIVE_POLL_MS });
  const picked = useApi(eventId ? `event:${eventId}` : null, (signal) => getEvent(eventId ?? '', signal));
  const occurrences = useApi(
    `occ:${id}:${range}`,
    async (signal) => {
      const w = rangeWindow(range);
      const s = await getStats({ interval: w.interval, since: new Date(w.since).toISOString(), issue: id }, signal);
      return fillBuckets(s.buckets, w.since, w.until, w.interval);
    },
    { pollMs: LIVE_POLL_MS },
  );
  const chart = occurrences.data;

  const data = issue.data;
  useEffect(() => {
    if (data) document.title = `${data.title} · faultline`;
    return () => {
      document.title = 'faultline';
    };
  }, [data]);

  if (issue.error instanceof ApiError && issue.error.status === 404) {
    return (
      <div class="page">
        <h1>Issue not found</h1>
        <p>
          There is no issue with this id (it may have been deleted by retention). <Link to="/issues">All issues</Link>
        </p>
      </div>
    );
  }
  if (!data) {
    return (
      <div class="page">
        <ErrorNotice error={issue.error} />
        {issue.error ? null : <Loading />}
      </div>
    );
  }
  const { event, refused } = shownEvent(data, eventId, picked);
  const pending = eventId !== undefined && !picked.data && !picked.error;
  return (
    <div class="page issue-page" data-issue-id={data.id} data-status={data.status}>
      <div class="issue-header">
        <div>
          <p class="crumbs muted">
            <Link to="/issues">Issues</Link> · <span class="issue-service">{data.service}</span>
            {data.environment ? <span> · {data.environment}</span> : null}
          </p>
          <h1 class="issue-heading">{data.title}</h1>
          <p class="issue-sub">
            <span class="issue-type">{data.type}</span>
            {data.culprit ? <span class="issue-culprit muted">{data.culprit}</span> : null}
          </p>
        </div>
        <div class="issue-facts">
          <StatusBadge status={data.status} regressed={data.regressed} />
          <StatusActions id={data.id} status={data.status} onChanged={issue.reload} />
          <dl>
            <dt>Events</dt>
            <dd class="issue-count">{formatCount(data.count)}</dd>
            <dt>First seen</dt>
            <dd title={absoluteTime(data.firstSeen)}>{relativeTime(data.firstSeen)}</dd>
            <dt>Last seen</dt>
            <dd title={absoluteTime(data.lastSeen)}>{relativeTime(data.lastSeen)}</dd>
          </dl>
        </div>
      </div>
      <ErrorNotice error={issue.error ?? (refused ? undefined : picked.error)} />
      {refused ? <RefusedEventNotice refused={refused} showingLatest={event !== undefined} /> : null}
      <section class="panel occurrences">
        <div class="panel-head">
          <h2>Occurrences</h2>
          <RangePicker value={range} onChange={(r) => setQuery({ range: r === '7d' ? undefined : r })} />
        </div>
        {chart ? <TimeChart data={chart} label="events" height={160} /> : <Loading />}
      </section>
      <div class="issue-body">
        <div class="issue-main-col">{event ? <EventDetail event={event} /> : pending ? <Loading /> : null}</div>
        <aside class="issue-side-col">
          <EventStepper issueId={data.id} selected={event?.id} onSelect={(e) => setQuery({ event: e })} />
        </aside>
      </div>
    </div>
  );
}
