import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { listEvents } from '../api/read-api.js';
import type { StoredEvent } from '../api/types.js';
import { UnauthorizedError } from '../errors.js';
import { absoluteTime, relativeTime } from '../format/time.js';
import { reportUnauthorized } from '../state/auth.js';
import { LIVE_POLL_MS } from '../state/live.js';
import { useApi } from '../state/use-api.js';

const EVENTS_PAGE = 25;

interface EventStepperProps {
  issueId: string;
  /** The event on screen; undefined means the latest. */
  selected: string | undefined;
  onSelect: (eventId: string) => void;
}

/**
 * The issue's recent events, newest first, with newer/older steps; stepping past the loaded ones fetches
 * the next page through the cursor.
 */
export function EventStepper({ issueId, selected, onSelect }: EventStepperProps): JSX.Element {
  const first = useApi(`events:${issueId}`, (signal) => listEvents(issueId, undefined, EVENTS_PAGE, signal), { pollMs: LIVE_POLL_MS });
  const [older, setOlder] = useState<{ issueId: string; events: StoredEvent[]; cursor?: string; loading: boolean }>({ issueId, events: [], loading: false });
  const extra = older.issueId === issueId ? older : { issueId, events: [], cursor: undefined, loading: false };
  const firstIds = new Set(first.data?.events.map((e) => e.id));
  const events = [...(first.data?.events ?? []), ...extra.events.filter((e) => !firstIds.has(e.id))];
  const cursor = extra.events.length ? extra.cursor : (first.data?.nextCursor ?? undefined);
  const index = selected === undefined ? 0 : events.findIndex((e) => e.id === selected);

  const loadOlder = (thenSelectNext: boolean): void => {
    if (!cursor || extra.loading) return;
    setOlder({ ...extra, loading: true });
    listEvents(issueId, cursor, EVENTS_PAGE).then(
      (page) => {
        setOlder({ issueId, events: [...extra.events, ...page.events], cursor: page.nextCursor ?? undefined, loading: false });
        const next = page.events[0];
        if (thenSelectNext && next) onSelect(next.id);
      },
      (err: unknown) => {
        if (err instanceof UnauthorizedError) reportUnauthorized(err);
        setOlder({ ...extra, loading: false });
      },
    );
  };

  const newer = index > 0 ? events[index - 1] : undefined;
  const olderEvent = index >= 0 ? events[index + 1] : undefined;
  return (
    <section class="panel events" data-section="events">
      <div class="events-head">
        <h2>Recent events</h2>
        <div class="stepper">
          <button type="button" data-step="newer" disabled={!newer} onClick={() => newer && onSelect(newer.id)}>
            ← Newer
          </button>
          <span class="muted step-pos">{index >= 0 && events.length ? `${index + 1} of ${events.length}${cursor ? '+' : ''}` : ''}</span>
          <button
            type="button"
            data-step="older"
            disabled={!olderEvent && !cursor}
            onClick={() => (olderEvent ? onSelect(olderEvent.id) : loadOlder(true))}
          >
            Older →
          </button>
        </div>
      </div>
      <ol class="event-list">
        {events.map((e, i) => (
          <li key={e.id} class={i === index ? 'current' : ''}>
            <button type="button" class="link-button" data-event-id={e.id} onClick={() => onSelect(e.id)} title={absoluteTime(e.timestamp)}>
              <span class="event-when">{relativeTime(e.timestamp)}</span>
              <span class="event-list-msg">{e.message}</span>
              <span class="muted">{e.service.environment ?? ''}</span>
            </button>
          </li>
        ))}
      </ol>
      {cursor ? (
        <button type="button" class="more" disabled={extra.loading} onClick={() => loadOlder(false)}>
          Load older events
        </button>
      ) : null}
    </section>
  );
}
