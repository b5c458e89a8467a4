import type { JSX } from 'preact';
import type { IssueSummary } from '../api/types.js';
import { absoluteTime, formatCount, relativeTime } from '../format/time.js';
import { LevelBadge, StatusBadge } from './badges.js';
import { Link } from './link.js';
import { Sparkline } from './sparkline.js';

export function issuePath(id: string): string {
  return `/issues/${encodeURIComponent(id)}`;
}

/** One issue in a list: what failed where, how often, since when, and its status. */
export function IssueRow({ issue, now }: { issue: IssueSummary; now: number }): JSX.Element {
  return (
    <tr class="issue-row" data-issue-id={issue.id} data-status={issue.status}>
      <td class="issue-main">
        <div class="issue-title-line">
          <LevelBadge level={issue.level} />
          <Link to={issuePath(issue.id)} class="issue-title">
            {issue.title}
          </Link>
        </div>
        <div class="issue-sub muted">
          <span class="issue-type">{issue.type}</span>
          {issue.culprit ? <span class="issue-culprit">{issue.culprit}</span> : null}
          <span class="issue-service">{issue.service}</span>
          {issue.environment ? <span class="issue-env">{issue.environment}</span> : null}
        </div>
      </td>
      <td class="num issue-count">{formatCount(issue.count)}</td>
      <td class="spark">{issue.sparkline ? <Sparkline values={issue.sparkline} /> : null}</td>
      <td class="when" title={absoluteTime(issue.firstSeen)}>
        {relativeTime(issue.firstSeen, now)}
      </td>
      <td class="when" title={absoluteTime(issue.lastSeen)}>
        {relativeTime(issue.lastSeen, now)}
      </td>
      <td>
        <StatusBadge status={issue.status} regressed={issue.regressed} />
      </td>
    </tr>
  );
}

/** The table head matching IssueRow's cells. */
export function IssueTableHead(): JSX.Element {
  return (
    <thead>
      <tr>
        <th>Issue</th>
        <th class="num">Events</th>
        <th>24 h</th>
        <th>First seen</th>
        <th>Last seen</th>
        <th>Status</th>
      </tr>
    </thead>
  );
}
