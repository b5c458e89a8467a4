import type { IssueDetail, StoredEvent } from '../api/types.js';
import { ApiError } from '../errors.js';

/** Why the event the URL names is not shown on this issue's page. */
export type RefusedEvent =
  | { eventId: string; reason: 'other-issue'; /** The issue it belongs to, when the collector said. */ issueId?: string }
  | { eventId: string; reason: 'not-found' };

export interface ShownEvent {
  /** The event to show; undefined while the named one loads, or when loading it failed. */
  event?: StoredEvent;
  refused?: RefusedEvent;
}

/**
 * Which event an issue page shows: the one `eventId` names if it is an event of this issue, else (with the
 * reason) the issue's latest event; the latest one when nothing is named.
 */
export function shownEvent(issue: IssueDetail, eventId: string | undefined, picked: { data?: StoredEvent; error?: Error }): ShownEvent {
  const latest = issue.latestEvent ?? undefined;
  if (eventId === undefined) return { event: latest };
  if (picked.data) {
    if (picked.data.issueId === issue.id) return { event: picked.data };
    return { event: latest, refused: { eventId, reason: 'other-issue', ...(picked.data.issueId ? { issueId: picked.data.issueId } : {}) } };
  }
  if (picked.error instanceof ApiError && picked.error.status === 404) return { event: latest, refused: { eventId, reason: 'not-found' } };
  return {};
}
