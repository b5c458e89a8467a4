import type { EventPage, StoredEvent } from '../api/types.js';

/**
 * The loaded part of an issue's events, newest first: always a gapless run from the newest event down, so
 * the event after another in `events` is the next older one, and `cursor` continues right after the last.
 */
export interface EventSequence {
  events: readonly StoredEvent[];
  /** Where the next older page starts; null when the oldest event is loaded (or nothing is yet). */
  cursor: string | null;
}

export const EMPTY_SEQUENCE: EventSequence = { events: [], cursor: null };

function withoutDuplicates(events: readonly StoredEvent[], seen = new Set<string>()): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    out.push(e);
  }
  return out;
}

/**
 * Puts a fresh first page (`newest`, possibly several pages long) on top of what is loaded. Loaded events
 * older than the page stay; the page is authoritative for the events it covers. With `trim`, the loaded
 * events past the page are let go (the page's cursor leads back to them); without an overlap the loaded
 * events cannot be placed, so the page replaces them.
 */
export function mergeNewest(seq: EventSequence, newest: EventPage, trim = false): EventSequence {
  const page = withoutDuplicates(newest.events);
  const pageCursor = newest.nextCursor ?? null;
  const at = new Map(seq.events.map((e, i) => [e.id, i]));
  let joint = -1;
  for (let i = page.length - 1; i >= 0 && joint < 0; i--) joint = at.get(page[i]!.id) ?? -1;
  if (trim || joint < 0) return { events: page, cursor: pageCursor };
  const rest = withoutDuplicates(seq.events.slice(joint + 1), new Set(page.map((e) => e.id)));
  return rest.length ? { events: [...page, ...rest], cursor: seq.cursor } : { events: page, cursor: pageCursor };
}

/** Adds the page that `from` (the sequence's cursor when it was asked for) returned; a stale page is dropped. */
export function appendOlder(seq: EventSequence, from: string, page: EventPage): EventSequence {
  if (seq.cursor !== from) return seq;
  const seen = new Set(seq.events.map((e) => e.id));
  return { events: [...seq.events, ...withoutDuplicates(page.events, seen)], cursor: page.nextCursor ?? null };
}

export interface Steps {
  /** The selected event's place in `events`; -1 when it is not loaded (or nothing is selected). */
  index: number;
  newer?: StoredEvent;
  older?: StoredEvent;
  /** The selected event is the last loaded one and older events exist: stepping older fetches them. */
  olderNeedsFetch: boolean;
  /** "3 of 25+", or '' when the position is unknown. */
  position: string;
}

/** Where Newer and Older lead from `selected`: the adjacent events, or nowhere when its place is unknown. */
export function stepsFrom(seq: EventSequence, selected: string | undefined): Steps {
  const index = selected === undefined ? -1 : seq.events.findIndex((e) => e.id === selected);
  if (index < 0) return { index, olderNeedsFetch: false, position: '' };
  const older = seq.events[index + 1];
  return {
    index,
    newer: seq.events[index - 1],
    older,
    olderNeedsFetch: !older && seq.cursor !== null,
    position: `${index + 1} of ${seq.events.length}${seq.cursor ? '+' : ''}`,
  };
}
