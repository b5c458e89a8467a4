import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess } from '../support/app-process.js';
import { repoPath, requireBuilt } from '../support/built.js';
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';
import { metricValue, ReadApi, type StoredReport } from '../support/read-api.js';
import { waitFor } from '../support/wait-for.js';

const APP = repoPath('test/fixtures/steady-failures.mjs');
const OUTAGE_MS = 20_000;
// 10 failures per second: within what a 20-report queue holds between batches (1 s) while the collector is up.
const FAILURE_INTERVAL_MS = 100;
// The roomy app's queue holds everything it makes during the outage; the tight one's holds a fraction.
const ROOMY = { service: 'outage-roomy', maxQueue: 1000 };
const TIGHT = { service: 'outage-tight', maxQueue: 20 };

function start(app: { service: string; maxQueue: number }, endpoint: string): AppProcess {
  return new AppProcess(APP, [], {
    FAULTLINE_ENDPOINT: endpoint,
    APP_SERVICE: app.service,
    APP_MAX_QUEUE: String(app.maxQueue),
    FAILURE_INTERVAL_MS: String(FAILURE_INTERVAL_MS),
  });
}

function producedIds(app: AppProcess): string[] {
  return app.records.flatMap((r) => (typeof r.id === 'string' ? [r.id] : []));
}

function sdkDrops(metrics: string): number {
  return metricValue(metrics, 'faultline_sdk_dropped_reports_total', { reason: 'queue_overflow' });
}

function ids(events: readonly StoredReport[]): string[] {
  return events.map((e) => e.id);
}

describe('a collector outage of 20 s while the application keeps failing', () => {
  let collector: CollectorProcess;
  let api: ReadApi;
  let roomy: AppProcess;
  let tight: AppProcess;
  let stoppedWith: number | null;
  let droppedBeforeOutage: number;

  beforeAll(async () => {
    requireBuilt();
    collector = await startCollectorProcess();
    api = new ReadApi(collector.url);
    roomy = start(ROOMY, collector.url);
    tight = start(TIGHT, collector.url);
    // Both deliver while the collector is up.
    for (const service of [ROOMY.service, TIGHT.service]) {
      await waitFor(`a first report of ${service}`, async () => ((await api.issues({ service })).length > 0 ? true : undefined));
    }
    droppedBeforeOutage = sdkDrops(await api.metrics());
    stoppedWith = await collector.stop('SIGTERM');
    await sleep(OUTAGE_MS);
    collector = await startCollectorProcess({ port: collector.port, sqlitePath: collector.sqlitePath });
    api = new ReadApi(collector.url);
    roomy.send('stop');
    tight.send('stop');
    await roomy.waitForRecord('the roomy app to flush', (r) => r.done === true, 120_000);
    await tight.waitForRecord('the tight app to flush', (r) => r.done === true, 120_000);
  }, 240_000);

  afterAll(async () => {
    roomy?.kill();
    tight?.kill();
    await collector?.stop();
  });

  it('the collector stopped cleanly and came back on the same port with the same database', () => {
    expect(stoppedWith).toBe(0);
    expect(collector.url).toBe(api.url);
  });

  it('every report the SDK held within its queue capacity arrives, none twice', async () => {
    const produced = producedIds(roomy);
    // The outage alone made about 200, all within the queue of 1,000.
    expect(produced.length).toBeGreaterThan(OUTAGE_MS / FAILURE_INTERVAL_MS / 2);
    expect(new Set(produced).size).toBe(produced.length);
    expect(roomy.records.find((r) => r.done === true)).toMatchObject({ flushed: true, closed: true });
    const events = await api.eventsOfService(ROOMY.service);
    expect(ids(events).sort()).toEqual([...produced].sort());
    const issues = await api.issues({ service: ROOMY.service });
    expect(issues.reduce((n, i) => n + i.count, 0)).toBe(produced.length);
  });

  it('beyond the queue capacity, what arrived plus the drops counted in /metrics is every report made', async () => {
    const produced = producedIds(tight);
    const events = await api.eventsOfService(TIGHT.service);
    const arrived = ids(events);
    expect(new Set(arrived).size).toBe(arrived.length);
    const made = new Set(produced);
    expect(arrived.every((id) => made.has(id))).toBe(true);
    // The queue (20) and the batches in flight when the collector went away were kept through the outage.
    expect(arrived.length).toBeGreaterThanOrEqual(TIGHT.maxQueue);
    const dropped = produced.length - arrived.length;
    expect(dropped).toBeGreaterThan(0);
    // Counts ride with the SDK's batches; those of the outage reach the restarted collector. Wait for them,
    // then compare what was there.
    let counted = Number.NaN;
    await waitFor('the drop counts in /metrics', async () => {
      counted = droppedBeforeOutage + sdkDrops(await api.metrics());
      return counted === dropped ? true : undefined;
    }, 10_000).catch(() => undefined);
    expect(counted).toBe(dropped);
    // What was queued when the app stopped failing was delivered.
    expect(tight.records.find((r) => r.done === true)).toMatchObject({ flushed: true, closed: true });
  });
});
