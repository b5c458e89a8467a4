/**
 * SQLite schema, one entry per version (`PRAGMA user_version`). Times are ms since the epoch; hours are
 * hour-aligned ms. Never edit a shipped migration: append a new one.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE issues (
    id INTEGER PRIMARY KEY,
    service TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    grouping INTEGER NOT NULL,
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    culprit TEXT NOT NULL,
    environment TEXT NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'unresolved',
    regressed INTEGER NOT NULL DEFAULT 0,
    resolved_at INTEGER,
    count INTEGER NOT NULL DEFAULT 0,
    stored_events INTEGER NOT NULL DEFAULT 0,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    latest_event_id TEXT,
    UNIQUE (service, fingerprint)
  );
  -- No index on the counters or times: each would cost on every write (and, on PostgreSQL, prevent HOT
  -- updates). Sorts and filters scan the issues table, which stays small: 5,000 issues sort in a few ms.

  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    issue_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    environment TEXT NOT NULL,
    level TEXT NOT NULL,
    report TEXT NOT NULL
  );
  CREATE INDEX events_issue_ts ON events (issue_id, ts);


  CREATE TABLE issue_hourly (
    issue_id INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    environment TEXT NOT NULL,
    level TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (issue_id, hour, environment, level)
  ) WITHOUT ROWID;
  CREATE INDEX issue_hourly_hour ON issue_hourly (hour);
  -- The environment filter of the issue list: issues with events in an environment. Only new rows touch it.
  CREATE INDEX issue_hourly_environment ON issue_hourly (environment, issue_id);

  CREATE TABLE hourly_counts (
    hour INTEGER NOT NULL,
    service TEXT NOT NULL,
    environment TEXT NOT NULL,
    level TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (hour, service, environment, level)
  ) WITHOUT ROWID;

  CREATE TABLE minute_counts (
    minute INTEGER NOT NULL,
    service TEXT NOT NULL,
    environment TEXT NOT NULL,
    level TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (minute, service, environment, level)
  ) WITHOUT ROWID;
  `,
  // 2: per-issue minute counts, so an issue's minute stats survive retention trimming its events. Filled from the
  // events still stored.
  `
  CREATE TABLE issue_minutely (
    issue_id INTEGER NOT NULL,
    minute INTEGER NOT NULL,
    environment TEXT NOT NULL,
    level TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (issue_id, minute, environment, level)
  ) WITHOUT ROWID;
  INSERT INTO issue_minutely (issue_id, minute, environment, level, count)
    SELECT issue_id, ts - ts % 60000, environment, level, COUNT(*) FROM events GROUP BY 1, 2, 3, 4;
  `,
];
