import { describe, expect, it } from 'vitest';
import type { IssueDetail, StoredEvent } from '../../src/api/types.js';
import { ApiError } from '../../src/errors.js';
import { shownEvent } from '../../src/state/shown-event.js';

const latest = { id: 'e_latest', issueId: 'i_1' } as StoredEvent;
const issue = { id: 'i_1', latestEvent: latest } as IssueDetail;

describe('shownEvent', () => {
  it('shows the latest event when the URL names none', () => {
    expect(shownEvent(issue, undefined, {})).toEqual({ event: latest });
  });

  it('shows the named event when it belongs to this issue', () => {
    const named = { id: 'e_2', issueId: 'i_1' } as StoredEvent;
    expect(shownEvent(issue, 'e_2', { data: named })).toEqual({ event: named });
  });

  it("refuses an event of another issue, says which, and shows this issue's latest", () => {
    const other = { id: 'e_x', issueId: 'i_2' } as StoredEvent;
    expect(shownEvent(issue, 'e_x', { data: other })).toEqual({ event: latest, refused: { eventId: 'e_x', reason: 'other-issue', issueId: 'i_2' } });
  });

  it('refuses an event the collector does not know (404)', () => {
    expect(shownEvent(issue, 'e_gone', { error: new ApiError('not found', 404) })).toEqual({
      event: latest,
      refused: { eventId: 'e_gone', reason: 'not-found' },
    });
  });

  it('shows nothing while the named event loads, or when loading it failed otherwise', () => {
    expect(shownEvent(issue, 'e_2', {})).toEqual({});
    expect(shownEvent(issue, 'e_2', { error: new ApiError('unavailable', 503) })).toEqual({});
  });
});
