import type pg from 'pg';
import { EventAggregate, issueKey, tupleKey, type GlobalCount } from './aggregate-events.js';
import type { PreparedEvent, WriteResult } from './store.js';

/** Sorts rows by a string key, in place: every writer takes row locks in this one order. */
function byKey<T>(rows: T[], key: (row: T) => string): T[] {
  return rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/**
 * Writes events in the caller's transaction: creates missing issues, locks the touched issues in id order,
 * inserts the events (the ones that come back are new) and updates counters and counts. Several processes may
 * run it at once: rows are always locked in the same order, so they wait for each other instead of deadlocking.
 * Its four statements are named, so each connection has PostgreSQL parse and plan them once, not per write.
 */
export async function writeInTransaction(client: pg.PoolClient, events: readonly PreparedEvent[]): Promise<WriteResult> {
  // A repeated id inside the input is a duplicate of its first occurrence.
  const firstOf = new Map<string, PreparedEvent>();
  const isFirst = events.map((e) => {
    if (firstOf.has(e.id)) return false;
    firstOf.set(e.id, e);
    return true;
  });

  // 1. Create the missing issues, in key order (concurrent writers then never wait on each other in a cycle).
  const firstOfIssue = new Map<string, PreparedEvent>();
  for (const e of firstOf.values()) {
    const key = issueKey(e.service, e.fingerprint);
    if (!firstOfIssue.has(key)) firstOfIssue.set(key, e);
  }
  const issueRows = byKey([...firstOfIssue.values()], (e) => issueKey(e.service, e.fingerprint));
  const created = await client.query<{ id: number; service: string; fingerprint: string }>({
    name: 'faultline_create_issues',
    text: `INSERT INTO issues (service, fingerprint, grouping, type, title, message, culprit, environment, level, first_seen, last_seen, latest_event_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $10::bigint[], $11::text[])
     ON CONFLICT (service, fingerprint) DO NOTHING RETURNING id, service, fingerprint`,
    values: [
      issueRows.map((e) => e.service),
      issueRows.map((e) => e.fingerprint),
      issueRows.map((e) => e.grouping),
      issueRows.map((e) => e.type),
      issueRows.map((e) => e.title),
      issueRows.map((e) => e.message),
      issueRows.map((e) => e.culprit),
      issueRows.map((e) => e.environment),
      issueRows.map((e) => e.level),
      issueRows.map((e) => e.timestamp),
      issueRows.map((e) => e.id),
    ],
  });
  const createdKeys = new Set(created.rows.map((r) => issueKey(r.service, r.fingerprint)));

  // 2. Lock every issue this transaction touches, in id order, and read its status.
  const locked = await client.query<{ id: number; service: string; fingerprint: string; status: string }>({
    name: 'faultline_lock_issues',
    text: `SELECT id, service, fingerprint, status FROM issues
     WHERE (service, fingerprint) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY id FOR UPDATE`,
    values: [issueRows.map((e) => e.service), issueRows.map((e) => e.fingerprint)],
  });
  const issues = new Map(locked.rows.map((r) => [issueKey(r.service, r.fingerprint), r]));

  // 3. Insert the events; the ones that come back are new.
  const eventRows = byKey([...firstOf.values()], (e) => e.id);
  const inserted = await client.query<{ id: string }>({
    name: 'faultline_insert_events',
    text: `INSERT INTO events (id, issue_id, ts, received_at, environment, level, report)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[],
       ARRAY(SELECT r::text FROM json_array_elements($7::json) WITH ORDINALITY AS t(r, n) ORDER BY n))
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    values: [
      eventRows.map((e) => e.id),
      eventRows.map((e) => issues.get(issueKey(e.service, e.fingerprint))!.id),
      eventRows.map((e) => e.timestamp),
      eventRows.map((e) => e.receivedAt),
      eventRows.map((e) => e.environment),
      eventRows.map((e) => e.level),
      // The reports as one JSON array, joined rather than escaped into a text[] literal (a quarter of a batch's
      // CPU): each element's text comes back verbatim from PostgreSQL's json type.
      `[${eventRows.map((e) => e.json).join(',')}]`,
    ],
  });
  const newIds = new Set(inserted.rows.map((r) => r.id));
  const aggregate = new EventAggregate();
  const stored = events.map((e, i) => isFirst[i]! && newIds.has(e.id));
  for (const e of firstOf.values()) if (newIds.has(e.id)) aggregate.add(e);

  // 4. Issue counters, then the per-issue and global aggregates, each in key order.
  const result: WriteResult = { stored, created: [], regressed: [] };
  const updates: { id: number; n: number; firstSeen: number; last: PreparedEvent }[] = [];
  const hourRows: [number, number, string, string, number][] = [];
  const minuteRows: [number, number, string, string, number][] = [];
  const emptyCreated: number[] = [];
  for (const [key, issue] of issues) {
    const delta = aggregate.issues.get(key);
    if (delta === undefined) {
      if (createdKeys.has(key)) emptyCreated.push(issue.id);
      continue;
    }
    updates.push({ id: issue.id, n: delta.count, firstSeen: delta.firstSeen, last: delta.latest });
    const ref = { service: delta.service, environment: delta.latest.environment };
    if (createdKeys.has(key)) result.created.push(ref);
    else if (issue.status === 'resolved') result.regressed.push(ref);
    for (const h of delta.hours.values()) hourRows.push([issue.id, h.time, h.environment, h.level, h.count]);
    for (const m of delta.minutes.values()) minuteRows.push([issue.id, m.time, m.environment, m.level, m.count]);
  }
  if (emptyCreated.length > 0) await client.query('DELETE FROM issues WHERE id = ANY($1::bigint[])', [emptyCreated]);
  if (updates.length === 0) return result;
  byKey(hourRows, (r) => tupleKey(r[0], r[1], r[2], r[3]));
  byKey(minuteRows, (r) => tupleKey(r[0], r[1], r[2], r[3]));
  const hours = byKey([...aggregate.global.values()], (g) => tupleKey(g.hour, g.service, g.environment, g.level));
  const minutes = byKey([...aggregate.minutes.values()], (g) => tupleKey(g.hour, g.service, g.environment, g.level));
  // One round trip for the five updates (they touch five different tables; each in key order).
  await client.query({
    name: 'faultline_update_counts_2',
    text: `WITH issue_update AS (
       UPDATE issues AS i SET
         count = i.count + d.n, stored_events = i.stored_events + d.n,
         first_seen = LEAST(i.first_seen, d.first_seen),
         environment = CASE WHEN d.last_seen >= i.last_seen THEN d.environment ELSE i.environment END,
         level = CASE WHEN d.last_seen >= i.last_seen THEN d.level ELSE i.level END,
         latest_event_id = CASE WHEN d.last_seen >= i.last_seen THEN d.latest_id ELSE i.latest_event_id END,
         last_seen = GREATEST(i.last_seen, d.last_seen),
         regressed = CASE WHEN i.status = 'resolved' THEN true ELSE i.regressed END,
         status = CASE WHEN i.status = 'resolved' THEN 'unresolved' ELSE i.status END
       FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[])
         AS d(id, n, first_seen, last_seen, environment, level, latest_id)
       WHERE i.id = d.id
       RETURNING 1
     ), issue_hours AS (
       INSERT INTO issue_hourly (issue_id, hour, environment, level, count)
       SELECT * FROM unnest($8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::bigint[])
       ON CONFLICT (issue_id, hour, environment, level) DO UPDATE SET count = issue_hourly.count + EXCLUDED.count
       RETURNING 1
     ), issue_minutes AS (
       INSERT INTO issue_minutely (issue_id, minute, environment, level, count)
       SELECT * FROM unnest($23::bigint[], $24::bigint[], $25::text[], $26::text[], $27::bigint[])
       ON CONFLICT (issue_id, minute, environment, level) DO UPDATE SET count = issue_minutely.count + EXCLUDED.count
       RETURNING 1
     ), hours AS (
       INSERT INTO hourly_counts (hour, service, environment, level, count)
       SELECT * FROM unnest($13::bigint[], $14::text[], $15::text[], $16::text[], $17::bigint[])
       ON CONFLICT (hour, service, environment, level) DO UPDATE SET count = hourly_counts.count + EXCLUDED.count
       RETURNING 1
     ), minutes AS (
       INSERT INTO minute_counts (minute, service, environment, level, count)
       SELECT * FROM unnest($18::bigint[], $19::text[], $20::text[], $21::text[], $22::bigint[])
       ON CONFLICT (minute, service, environment, level) DO UPDATE SET count = minute_counts.count + EXCLUDED.count
       RETURNING 1
     )
     SELECT (SELECT COUNT(*) FROM issue_update) AS issues, (SELECT COUNT(*) FROM issue_hours) AS issue_hours,
            (SELECT COUNT(*) FROM issue_minutes) AS issue_minutes, (SELECT COUNT(*) FROM hours) AS hours,
            (SELECT COUNT(*) FROM minutes) AS minutes`,
    values: [
      updates.map((u) => u.id),
      updates.map((u) => u.n),
      updates.map((u) => u.firstSeen),
      updates.map((u) => u.last.timestamp),
      updates.map((u) => u.last.environment),
      updates.map((u) => u.last.level),
      updates.map((u) => u.last.id),
      ...issueCountColumns(hourRows),
      ...countColumns(hours),
      ...countColumns(minutes),
      ...issueCountColumns(minuteRows),
    ],
  });
  return result;
}

function countColumns(rows: GlobalCount[]): unknown[][] {
  return [rows.map((g) => g.hour), rows.map((g) => g.service), rows.map((g) => g.environment), rows.map((g) => g.level), rows.map((g) => g.count)];
}

function issueCountColumns(rows: [number, number, string, string, number][]): unknown[][] {
  return [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => r[4])];
}
