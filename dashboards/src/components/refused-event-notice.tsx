import type { JSX } from 'preact';
import type { RefusedEvent } from '../state/shown-event.js';
import { Link } from './link.js';

const seg = encodeURIComponent;

/** Says why the event in the URL is not the one shown, and where it is when it belongs to another issue. */
export function RefusedEventNotice({ refused, showingLatest }: { refused: RefusedEvent; showingLatest: boolean }): JSX.Element {
  const { eventId } = refused;
  return (
    <p class="notice warn refused-event" role="status" data-reason={refused.reason}>
      {refused.reason === 'not-found' ? (
        <>
          Event <code>{eventId}</code> was not found (it may have been deleted by retention).
        </>
      ) : refused.issueId ? (
        <>
          Event <code>{eventId}</code> belongs to{' '}
          <Link to={`/issues/${seg(refused.issueId)}?event=${seg(eventId)}`}>issue {refused.issueId}</Link>, not this one.
        </>
      ) : (
        <>
          Event <code>{eventId}</code> is not an event of this issue.
        </>
      )}
      {showingLatest ? " Showing this issue's latest event instead." : null}
    </p>
  );
}
