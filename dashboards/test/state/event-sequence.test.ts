import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/api/types.js';
import { appendOlder, EMPTY_SEQUENCE, mergeNewest, stepsFrom, type EventSequence } from '../../src/state/event-sequence.js';

// Only `id` matters to the sequence; the rest of a stored event is never read.
const ev = (id: string): StoredEvent => ({ id }) as StoredEvent;
const ids = (seq: EventSequence): string[] => seq.events.map((e) => e.id);
const page = (list: string[], nextCursor: string | null = null) => ({ events: list.map(ev), nextCursor });

describe('mergeNewest', () => {
  it('takes the first page as it is into an empty sequence', () => {
    const seq = mergeNewest(EMPTY_SEQUENCE, page(['e9', 'e8', 'e7'], 'c7'));
    expect(ids(seq)).toEqual(['e9', 'e8', 'e7']);
    expect(seq.cursor).toBe('c7');
  });

  it('puts new events on top of the loaded pages and keeps their cursor', () => {
    const loaded: EventSequence = { events: ['e9', 'e8', 'e7', 'e6', 'e5'].map(ev), cursor: 'c5' };
    const seq = mergeNewest(loaded, page(['e11', 'e10', 'e9'], 'c9'));
    expect(ids(seq)).toEqual(['e11', 'e10', 'e9', 'e8', 'e7', 'e6', 'e5']);
    expect(seq.cursor).toBe('c5');
  });

  it('drops a loaded event the fresh page no longer holds between its own events', () => {
    // e8 was deleted (retention) between two refreshes: the page is authoritative for what it covers.
    const loaded: EventSequence = { events: ['e9', 'e8', 'e7', 'e6'].map(ev), cursor: 'c6' };
    const seq = mergeNewest(loaded, page(['e10', 'e9', 'e7'], 'c7'));
    expect(ids(seq)).toEqual(['e10', 'e9', 'e7', 'e6']);
  });

  it('with trim, lets go of the loaded events past the page and takes its cursor', () => {
    const loaded: EventSequence = { events: ['e9', 'e8', 'e7', 'e6'].map(ev), cursor: 'c6' };
    const seq = mergeNewest(loaded, page(['e10', 'e9'], 'c9'), true);
    expect(ids(seq)).toEqual(['e10', 'e9']);
    expect(seq.cursor).toBe('c9');
  });

  it('replaces the loaded events when the page does not reach them (a gap would hide events)', () => {
    const loaded: EventSequence = { events: ['e3', 'e2'].map(ev), cursor: 'c2' };
    const seq = mergeNewest(loaded, page(['e9', 'e8'], 'c8'));
    expect(ids(seq)).toEqual(['e9', 'e8']);
    expect(seq.cursor).toBe('c8');
  });

  it('never lists an event twice', () => {
    const seq = mergeNewest({ events: ['e2', 'e1'].map(ev), cursor: null }, page(['e3', 'e3', 'e2'], 'c2'));
    expect(ids(seq)).toEqual(['e3', 'e2', 'e1']);
    expect(seq.cursor).toBeNull();
  });
});

describe('appendOlder', () => {
  it('adds the page its cursor asked for, without duplicates', () => {
    const seq = appendOlder({ events: ['e9', 'e8'].map(ev), cursor: 'c8' }, 'c8', page(['e8', 'e7', 'e6'], 'c6'));
    expect(ids(seq)).toEqual(['e9', 'e8', 'e7', 'e6']);
    expect(seq.cursor).toBe('c6');
  });

  it('drops a page asked for from a cursor the sequence has moved past', () => {
    const loaded: EventSequence = { events: ['e9', 'e8', 'e7'].map(ev), cursor: 'c7' };
    expect(appendOlder(loaded, 'c8', page(['e7', 'e6'], 'c6'))).toBe(loaded);
  });
});

describe('stepsFrom', () => {
  const seq: EventSequence = { events: ['e9', 'e8', 'e7'].map(ev), cursor: 'c7' };

  it('leads Newer and Older to the adjacent events', () => {
    const s = stepsFrom(seq, 'e8');
    expect([s.index, s.newer?.id, s.older?.id, s.olderNeedsFetch, s.position]).toEqual([1, 'e9', 'e7', false, '2 of 3+']);
  });

  it('asks for a fetch when the last loaded event is selected and older ones exist', () => {
    const s = stepsFrom(seq, 'e7');
    expect([s.older, s.olderNeedsFetch]).toEqual([undefined, true]);
    expect(stepsFrom({ ...seq, cursor: null }, 'e7').olderNeedsFetch).toBe(false);
    expect(stepsFrom({ ...seq, cursor: null }, 'e7').position).toBe('3 of 3');
  });

  it('leads nowhere from an event that is not loaded, or when nothing is selected', () => {
    for (const selected of ['e1', undefined]) {
      const s = stepsFrom(seq, selected);
      expect([s.index, s.newer, s.older, s.olderNeedsFetch, s.position]).toEqual([-1, undefined, undefined, false, '']);
    }
  });
});
