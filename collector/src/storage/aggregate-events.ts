import type { Level } from '@faultline/sdk/schema';
import type { PreparedEvent } from './store.js';

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export function hourOf(timestamp: number): number {
  return Math.floor(timestamp / HOUR_MS) * HOUR_MS;
}

/** Changes one transaction makes to one issue, from its new (non-duplicate) events. */
export interface IssueDelta {
  service: string;
  fingerprint: string;
  /** The first event in arrival order: it names a new issue. */
  first: PreparedEvent;
  /** The newest event by timestamp: it sets the issue's environment, level and latest event. */
  latest: PreparedEvent;
  count: number;
  firstSeen: number;
  hours: Map<string, IssueCount>;
  /** The same per minute: what the per-issue minute stats read (events may have been trimmed by retention). */
  minutes: Map<string, IssueCount>;
}

/** An issue's count in one hour or minute, environment and level. */
export interface IssueCount {
  /** Hour or minute start, ms. */
  time: number;
  environment: string;
  level: Level;
  count: number;
}

export interface GlobalCount {
  /** Hour or minute start, ms. */
  hour: number;
  service: string;
  environment: string;
  level: Level;
  count: number;
}

/** Unambiguous map key for a tuple of strings and numbers (each part length-prefixed). */
export function tupleKey(...parts: (string | number)[]): string {
  let key = '';
  for (const part of parts) {
    const text = String(part);
    key += `${text.length}:${text}`;
  }
  return key;
}

/** Key of an issue: its service and fingerprint. */
export function issueKey(service: string, fingerprint: string): string {
  return `${fingerprint.length}:${fingerprint}${service}`;
}

/**
 * Sums a transaction's new events per issue, per issue and environment, per issue-hour and per global hour, so
 * each row is written once per transaction instead of once per event.
 */
export class EventAggregate {
  readonly issues = new Map<string, IssueDelta>();
  readonly global = new Map<string, GlobalCount>();
  /** Per minute: the minute-interval stats read these instead of the events. */
  readonly minutes = new Map<string, GlobalCount>();

  add(event: PreparedEvent, key = issueKey(event.service, event.fingerprint)): IssueDelta {
    let delta = this.issues.get(key);
    if (delta === undefined) {
      delta = {
        service: event.service,
        fingerprint: event.fingerprint,
        first: event,
        latest: event,
        count: 0,
        firstSeen: event.timestamp,
        hours: new Map(),
        minutes: new Map(),
      };
      this.issues.set(key, delta);
    }
    delta.count++;
    if (event.timestamp >= delta.latest.timestamp) delta.latest = event;
    if (event.timestamp < delta.firstSeen) delta.firstSeen = event.timestamp;
    const hour = hourOf(event.timestamp);
    const minute = Math.floor(event.timestamp / MINUTE_MS) * MINUTE_MS;
    countIssue(delta.hours, hour, event);
    countIssue(delta.minutes, minute, event);
    count(this.global, hour, event);
    count(this.minutes, minute, event);
    return delta;
  }
}

function countIssue(map: Map<string, IssueCount>, time: number, event: PreparedEvent): void {
  const key = tupleKey(time, event.environment, event.level);
  const entry = map.get(key);
  if (entry === undefined) map.set(key, { time, environment: event.environment, level: event.level, count: 1 });
  else entry.count++;
}

function count(map: Map<string, GlobalCount>, time: number, event: PreparedEvent): void {
  const key = tupleKey(time, event.service, event.environment, event.level);
  const entry = map.get(key);
  if (entry === undefined) map.set(key, { hour: time, service: event.service, environment: event.environment, level: event.level, count: 1 });
  else entry.count++;
}
