import type { Issue, StoredEvent } from '../storage/store.js';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The API shape of an issue: ids as strings, times as RFC 3339. */
export function issueJson(issue: Issue): Record<string, unknown> {
  return {
    id: issue.id,
    title: issue.title,
    type: issue.type,
    culprit: issue.culprit,
    service: issue.service,
    environment: issue.environment,
    level: issue.level,
    status: issue.status,
    regressed: issue.regressed,
    count: issue.count,
    firstSeen: iso(issue.firstSeen),
    lastSeen: iso(issue.lastSeen),
  };
}

/** The stored report with `receivedAt` and `issueId` added. */
export function eventJson(event: StoredEvent): Record<string, unknown> {
  const report = JSON.parse(event.json) as Record<string, unknown>;
  return { ...report, receivedAt: iso(event.receivedAt), issueId: event.issueId };
}
