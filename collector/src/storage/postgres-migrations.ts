/**
 * PostgreSQL schema, one entry per version (table `faultline_migrations`). Times are ms since the epoch (bigint);
 * hours are hour-aligned ms. Never edit a shipped migration: append a new one.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE issues (
    id BIGSERIAL PRIMARY KEY,
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
    regressed BOOLEAN NOT NULL DEFAULT false,
    resolved_at BIGINT,
    count BIGINT NOT NULL DEFAULT 0,
    stored_events BIGINT NOT NULL DEFAULT 0,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    latest_event_id TEXT,
    UNIQUE (service, fingerprint)
  );
  -- No index on the counters or times: each would cost on every write (and, on PostgreSQL, prevent HOT
  -- updates). Sorts and filters scan the issues table, which stays small: 5,000 issues sort in a few ms.

  CREATE TABLE events (
    id TEXT PRIMARY KEY,
    issue_id BIGINT NOT NULL,
    ts BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    environment TEXT NOT NULL,
    level TEXT NOT NULL,
    report TEXT NOT NULL
  );
  CREATE INDEX events_issue_ts ON events (issue_id, ts DESC, id DESC);


  CREATE TABLE issue_hourly (
    issue_id BIGINT NOT NULL,
    hour BIGINT NOT NULL,
    environment TEXT NOT NULL,
    level TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (issue_id, hour, environment, level)
  );
  CREATE INDEX issue_hourly_hour ON issue_hourly (hour);
  -- The environment filter of the issue list: issues with events in an environment. Only new rows touch it.
  CREATE INDEX issue_hourly_environment ON issue_hourly (environment, issue_id);

  CREATE TABLE hourly_counts (
    hour BIGINT NOT NULL,
    service TEXT NOT NULL,
    environment TEXT NOT NULL,
    level TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (hour, service, environment, level)
  );

  CREATE TABLE minute_counts (
    minute BIGINT NOT NULL,
    service TEXT NOT NULL,
    environment TEXT NOT NULL,
    level TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (minute, service, environment, level)
  );
  `,
  // 2: per-issue minute counts, so an issue's minute stats survive retention trimming its events. Filled from the
  // events still stored.
  `
  CREATE TABLE issue_minutely (
    issue_id BIGINT NOT NULL,
    minute BIGINT NOT NULL,
    environment TEXT NOT NULL,
    level TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (issue_id, minute, environment, level)
  );
  INSERT INTO issue_minutely (issue_id, minute, environment, level, count)
    SELECT issue_id, ts - ts % 60000, environment, level, COUNT(*) FROM events GROUP BY 1, 2, 3, 4;
  `,
];
