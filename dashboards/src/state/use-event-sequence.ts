import { useEffect, useRef, useState } from 'preact/hooks';
import { listEvents } from '../api/read-api.js';
import type { EventPage, StoredEvent } from '../api/types.js';
import { UnauthorizedError } from '../errors.js';
import { reportUnauthorized } from './auth.js';
import { appendOlder, EMPTY_SEQUENCE, mergeNewest, stepsFrom, type EventSequence, type Steps } from './event-sequence.js';
import { LIVE_POLL_MS } from './live.js';
import { useApi } from './use-api.js';

/** Events per page of the list (the first one and each "Load older events"). */
export const EVENTS_PAGE = 25;
/** Events per page when catching up with a burst of new events or looking for a linked event. */
export const SEEK_PAGE = 100;
/** At most this many `SEEK_PAGE` pages per refresh, and per linked event looked for. */
export const SEEK_PAGES = 4;

interface State {
  issueId: string;
  seq: EventSequence;
  /** Pages past the first were loaded: refreshes keep them. */
  deep: boolean;
  loading: boolean;
  /** The last selected id looked for past the loaded pages (once per id, found or not). */
  sought?: string;
}

const fresh = (issueId: string): State => ({ issueId, seq: EMPTY_SEQUENCE, deep: false, loading: false });

/** Whether a refresh must keep the loaded events past its first page: someone is looking at them. */
function keepsLoaded(s: State, selected: string | undefined, page: EventPage): boolean {
  return s.deep || (selected !== undefined && !page.events.some((e) => e.id === selected));
}

async function fetchNewest(issueId: string, s: State, selected: string | undefined, signal: AbortSignal): Promise<EventPage> {
  const first = await listEvents(issueId, undefined, EVENTS_PAGE, signal);
  if (s.seq.events.length === 0 || !keepsLoaded(s, selected, first)) return first;
  // More new events than a page: read on until the page meets the loaded ones, so none falls in a gap.
  const known = new Set(s.seq.events.map((e) => e.id));
  const events = [...first.events];
  let cursor = first.nextCursor ?? null;
  for (let n = 0; n < SEEK_PAGES && cursor !== null && !events.some((e) => known.has(e.id)); n++) {
    const more = await listEvents(issueId, cursor, SEEK_PAGE, signal);
    events.push(...more.events);
    cursor = more.nextCursor ?? null;
  }
  return { events, nextCursor: cursor };
}

export interface EventSequenceView extends Steps {
  events: readonly StoredEvent[];
  /** Older events exist past the loaded ones. */
  more: boolean;
  loading: boolean;
  /** The selected event is not among the loaded ones, and looking further back did not find it. */
  notLoaded: boolean;
  /** Fetches the next older page; with `thenSelectNext`, selects the event after the selected one. */
  loadOlder: (thenSelectNext: boolean) => void;
}

/**
 * An issue's events newest first, live: each refresh of the first page is merged on top of the loaded
 * pages, so stepping never skips an event. A selected event past the loaded pages is looked for, at most
 * `SEEK_PAGES` pages of `SEEK_PAGE` further back.
 */
export function useEventSequence(issueId: string, selected: string | undefined, onSelect: (eventId: string) => void): EventSequenceView {
  const [state, setState] = useState<State>(() => fresh(issueId));
  const own = state.issueId === issueId ? state : fresh(issueId);
  const latest = useRef({ own, selected, onSelect });
  latest.current = { own, selected, onSelect };
  const aborter = useRef(new AbortController());

  useEffect(() => {
    const ac = new AbortController();
    aborter.current = ac;
    return () => ac.abort();
  }, [issueId]);

  const update = (signal: AbortSignal, change: (s: State) => State): void => {
    if (!signal.aborted) setState((s) => change(s.issueId === issueId ? s : fresh(issueId)));
  };
  const failed = (signal: AbortSignal) => (err: unknown) => {
    if (err instanceof UnauthorizedError) reportUnauthorized(err);
    update(signal, (s) => ({ ...s, loading: false }));
  };

  const newest = useApi(`events:${issueId}`, (signal) => fetchNewest(issueId, latest.current.own, latest.current.selected, signal), {
    pollMs: LIVE_POLL_MS,
  });
  useEffect(() => {
    const page = newest.data;
    if (page) update(aborter.current.signal, (s) => ({ ...s, seq: mergeNewest(s.seq, page, !keepsLoaded(s, latest.current.selected, page)) }));
  }, [newest.data]);

  const steps = stepsFrom(own.seq, selected);
  // Not loaded, and not in a fresh page that is about to be merged either.
  const missing = newest.data !== undefined && selected !== undefined && steps.index < 0 && !newest.data.events.some((e) => e.id === selected);
  const lookFor = missing && own.seq.cursor !== null && own.sought !== selected;
  useEffect(() => {
    if (!lookFor || own.loading || selected === undefined) return;
    const signal = aborter.current.signal;
    update(signal, (s) => ({ ...s, loading: true, sought: selected }));
    const look = async (): Promise<void> => {
      let from = own.seq.cursor;
      for (let n = 0; n < SEEK_PAGES && from !== null; n++) {
        const page = await listEvents(issueId, from, SEEK_PAGE, signal);
        const at = from;
        update(signal, (s) => ({ ...s, deep: true, seq: appendOlder(s.seq, at, page) }));
        if (page.events.some((e) => e.id === selected)) break;
        from = page.nextCursor ?? null;
      }
      update(signal, (s) => ({ ...s, loading: false }));
    };
    look().catch(failed(signal));
  }, [lookFor, selected, own.loading]);

  const loadOlder = (thenSelectNext: boolean): void => {
    const from = own.seq.cursor;
    if (from === null || own.loading) return;
    const signal = aborter.current.signal;
    const at = selected;
    update(signal, (s) => ({ ...s, loading: true }));
    listEvents(issueId, from, EVENTS_PAGE, signal).then((page) => {
      update(signal, (s) => ({ ...s, deep: true, loading: false, seq: appendOlder(s.seq, from, page) }));
      if (!thenSelectNext || signal.aborted || latest.current.selected !== at) return;
      const next = stepsFrom(appendOlder(latest.current.own.seq, from, page), at).older;
      if (next) latest.current.onSelect(next.id);
    }, failed(signal));
  };

  return {
    ...steps,
    events: own.seq.events,
    more: own.seq.cursor !== null,
    loading: own.loading,
    notLoaded: missing && !own.loading && !lookFor,
    loadOlder,
  };
}
