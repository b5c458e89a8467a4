import type Database from 'better-sqlite3';
import { EventAggregate, issueKey, type IssueDelta } from './aggregate-events.js';
import type { PreparedEvent, WriteResult } from './store.js';

type Row = Record<string, unknown>;

const MAX_KNOWN_ISSUES = 50_000;

/**
 * The SQLite write transaction: events stored once by id, issues created or updated, hourly and per-minute counts
 * kept, all in one IMMEDIATE transaction per call.
 */
export class SqliteEventWriter {
  readonly #write: (events: readonly PreparedEvent[]) => WriteResult;
  /**
   * Id and status of recently written issues, so a write need not look them up. Only the store owning this
   * writer changes them (one process per SQLite file): it calls `forget()` on status changes and retention.
   */
  readonly #known = new Map<string, { id: number; status: string }>();

  constructor(db: Database.Database) {
    const findIssue = db.prepare<[string, string], { id: number; status: string }>('SELECT id, status FROM issues WHERE service = ? AND fingerprint = ?');
    const insertIssue = db.prepare<Row, { id: number }>(
      `INSERT INTO issues (service, fingerprint, grouping, type, title, message, culprit, environment, level, first_seen, last_seen, latest_event_id)
       VALUES (@service, @fingerprint, @grouping, @type, @title, @message, @culprit, @environment, @level, @timestamp, @timestamp, @id) RETURNING id`,
    );
    const insertEvent = db.prepare(
      'INSERT OR IGNORE INTO events (id, issue_id, ts, received_at, environment, level, report) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const updateIssue = db.prepare(
      `UPDATE issues SET
         count = count + @n, stored_events = stored_events + @n,
         first_seen = MIN(first_seen, @firstSeen),
         environment = CASE WHEN @lastSeen >= last_seen THEN @environment ELSE environment END,
         level = CASE WHEN @lastSeen >= last_seen THEN @level ELSE level END,
         latest_event_id = CASE WHEN @lastSeen >= last_seen THEN @latestId ELSE latest_event_id END,
         last_seen = MAX(last_seen, @lastSeen),
         regressed = CASE WHEN status = 'resolved' THEN 1 ELSE regressed END,
         status = CASE WHEN status = 'resolved' THEN 'unresolved' ELSE status END
       WHERE id = @id`,
    );
    const deleteIssue = db.prepare('DELETE FROM issues WHERE id = ?');
    const upsertIssueHour = db.prepare(
      `INSERT INTO issue_hourly (issue_id, hour, environment, level, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (issue_id, hour, environment, level) DO UPDATE SET count = count + excluded.count`,
    );
    const upsertIssueMinute = db.prepare(
      `INSERT INTO issue_minutely (issue_id, minute, environment, level, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (issue_id, minute, environment, level) DO UPDATE SET count = count + excluded.count`,
    );
    const upsertHour = db.prepare(
      `INSERT INTO hourly_counts (hour, service, environment, level, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (hour, service, environment, level) DO UPDATE SET count = count + excluded.count`,
    );
    const upsertMinute = db.prepare(
      `INSERT INTO minute_counts (minute, service, environment, level, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (minute, service, environment, level) DO UPDATE SET count = count + excluded.count`,
    );

    const write = (events: readonly PreparedEvent[]): WriteResult => {
      const issues = new Map<string, { id: number; status: string; created: boolean }>();
      const aggregate = new EventAggregate();
      const stored: boolean[] = [];
      for (const event of events) {
        const key = issueKey(event.service, event.fingerprint);
        let issue = issues.get(key);
        if (issue === undefined) {
          const known = this.#known.get(key) ?? findIssue.get(event.service, event.fingerprint);
          issue = known ? { ...known, created: false } : { id: insertIssue.get(issueRow(event))!.id, status: 'unresolved', created: true };
          issues.set(key, issue);
        }
        const { changes } = insertEvent.run(event.id, issue.id, event.timestamp, event.receivedAt, event.environment, event.level, event.json);
        stored.push(changes > 0);
        if (changes > 0) aggregate.add(event, key);
      }
      const result: WriteResult = { stored, created: [], regressed: [] };
      for (const [key, issue] of issues) {
        const delta = aggregate.issues.get(key);
        if (delta === undefined) {
          // Every event of a just-created issue was a duplicate stored under another issue: drop the empty one.
          if (issue.created) deleteIssue.run(issue.id);
          else this.#remember(key, issue);
          continue;
        }
        this.#remember(key, { id: issue.id, status: issue.status === 'resolved' ? 'unresolved' : issue.status });
        updateIssue.run(issueUpdate(issue.id, delta));
        const ref = { service: delta.service, environment: delta.latest.environment };
        if (issue.created) result.created.push(ref);
        else if (issue.status === 'resolved') result.regressed.push(ref);
        for (const h of delta.hours.values()) upsertIssueHour.run(issue.id, h.time, h.environment, h.level, h.count);
        for (const m of delta.minutes.values()) upsertIssueMinute.run(issue.id, m.time, m.environment, m.level, m.count);
      }
      for (const g of aggregate.global.values()) upsertHour.run(g.hour, g.service, g.environment, g.level, g.count);
      for (const m of aggregate.minutes.values()) upsertMinute.run(m.hour, m.service, m.environment, m.level, m.count);
      return result;
    };
    const transaction = db.transaction(write);
    this.#write = (events) => {
      try {
        return transaction.immediate(events);
      } catch (error) {
        // Rolled back: ids remembered during the transaction may not exist.
        this.#known.clear();
        throw error;
      }
    };
  }

  write(events: readonly PreparedEvent[]): WriteResult {
    return this.#write(events);
  }

  /** Drops every remembered issue (after a status change or a deletion). */
  forget(): void {
    this.#known.clear();
  }

  #remember(key: string, issue: { id: number; status: string }): void {
    if (this.#known.size >= MAX_KNOWN_ISSUES) this.#known.clear();
    this.#known.set(key, { id: issue.id, status: issue.status });
  }}

/** Named parameters of a new issue (an event may be a class whose title and culprit are getters). */
function issueRow(e: PreparedEvent): Row {
  return {
    service: e.service,
    fingerprint: e.fingerprint,
    grouping: e.grouping,
    type: e.type,
    title: e.title,
    message: e.message,
    culprit: e.culprit,
    environment: e.environment,
    level: e.level,
    timestamp: e.timestamp,
    id: e.id,
  };
}

function issueUpdate(id: number, delta: IssueDelta): Row {
  return {
    id,
    n: delta.count,
    firstSeen: delta.firstSeen,
    lastSeen: delta.latest.timestamp,
    environment: delta.latest.environment,
    level: delta.latest.level,
    latestId: delta.latest.id,
  };
}
