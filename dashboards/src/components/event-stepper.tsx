import type { JSX } from 'preact';
import { absoluteTime, relativeTime } from '../format/time.js';
import { useEventSequence } from '../state/use-event-sequence.js';

interface EventStepperProps {
  issueId: string;
  /** The event on screen, an event of this issue; undefined while it is not known (nothing is marked). */
  selected: string | undefined;
  onSelect: (eventId: string) => void;
}

/**
 * The issue's recent events, newest first, with Newer/Older steps to the adjacent event; stepping past the
 * loaded ones fetches the next page through the cursor.
 */
export function EventStepper({ issueId, selected, onSelect }: EventStepperProps): JSX.Element {
  const seq = useEventSequence(issueId, selected, onSelect);
  const { newer, older } = seq;
  return (
    <section class="panel events" data-section="events">
      <div class="events-head">
        <h2>Recent events</h2>
        <div class="stepper">
          <button type="button" data-step="newer" disabled={!newer} onClick={() => newer && onSelect(newer.id)}>
            ← Newer
          </button>
          <span class="muted step-pos">{seq.position}</span>
          <button
            type="button"
            data-step="older"
            disabled={!older && !(seq.olderNeedsFetch && !seq.loading)}
            onClick={() => (older ? onSelect(older.id) : seq.loadOlder(true))}
          >
            Older →
          </button>
        </div>
      </div>
      {seq.notLoaded ? (
        <p class="muted small step-note" data-testid="event-not-loaded">
          This event is further back than the {seq.events.length} loaded; Newer and Older resume once the list reaches it.
        </p>
      ) : null}
      <ol class="event-list">
        {seq.events.map((e, i) => (
          <li key={e.id} class={i === seq.index ? 'current' : ''}>
            <button type="button" class="link-button" data-event-id={e.id} onClick={() => onSelect(e.id)} title={absoluteTime(e.timestamp)}>
              <span class="event-when">{relativeTime(e.timestamp)}</span>
              <span class="event-list-msg">{e.message}</span>
              <span class="muted">{e.service.environment ?? ''}</span>
            </button>
          </li>
        ))}
      </ol>
      {seq.more ? (
        <button type="button" class="more" disabled={seq.loading} onClick={() => seq.loadOlder(false)}>
          Load older events
        </button>
      ) : null}
    </section>
  );
}
