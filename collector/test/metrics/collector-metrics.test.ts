import { describe, expect, it } from 'vitest';
import { CollectorMetrics } from '../../src/metrics/collector-metrics.js';
import { ingest, testApp } from '../helpers/app.js';
import { makeReport } from '../helpers/reports.js';

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  it('exports the faultline_ metrics with only low-cardinality labels', async () => {
    const app = await testApp();
    const report = makeReport({ service: 'checkout', environment: 'production', level: 'error' });
    await ingest(app, [report, report, { bad: true }]);
    const issues = await app.inject({ url: '/api/issues' });
    const id = issues.json().issues[0].id as string;
    await app.inject({ method: 'PATCH', url: `/api/issues/${id}`, payload: { status: 'resolved' } });
    await ingest(app, [makeReport()]);
    const res = await app.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(value(text, 'faultline_reports_received_total{service="checkout",environment="production",level="error"}')).toBe(2);
    expect(value(text, 'faultline_reports_duplicate_total')).toBe(1);
    expect(value(text, 'faultline_reports_rejected_total{reason="invalid"}')).toBe(1);
    expect(value(text, 'faultline_issues_created_total{service="checkout",environment="production"}')).toBe(1);
    expect(value(text, 'faultline_issues_regressed_total{service="checkout",environment="production"}')).toBe(1);
    expect(value(text, 'faultline_ingest_duration_seconds_count')).toBe(2);
    expect(value(text, 'faultline_store_write_duration_seconds_count')).toBe(2);
    expect(value(text, 'faultline_ingest_queue_depth')).toBe(0);
    expect(text).toContain('faultline_process_cpu_seconds_total');
    const labels = new Set([...text.matchAll(/^faultline_\w+\{([^}]*)\}/gm)].flatMap((m) => [...m[1]!.matchAll(/(\w+)="/g)].map((l) => l[1])));
    expect([...labels].filter((l) => !['service', 'environment', 'level', 'reason', 'le', 'version', 'major', 'minor', 'patch', 'type', 'space', 'kind'].includes(l!))).toEqual([]);
    await app.close();
  });

  it('counts unauthorized requests by reason', async () => {
    const app = await testApp({ ingestKeys: ['k'] });
    await ingest(app, [makeReport()]);
    expect(value((await app.inject({ url: '/metrics' })).body, 'faultline_requests_rejected_total{reason="unauthorized"}')).toBe(1);
    await app.close();
  });

  it.each([
    ['invalid_json', { url: '/v1/reports', headers: { 'content-type': 'application/json' }, payload: '{"reports": [' }],
    ['invalid_encoding', { url: '/v1/reports', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: 'not gzip' }],
    ['unsupported_media_type', { url: '/v1/reports', headers: { 'content-type': 'text/plain' }, payload: 'x' }],
    ['invalid_body', { url: '/v1/reports', headers: { 'content-type': 'application/json' }, payload: '{"reports": 3}' }],
    ['invalid_json', { url: '/v1/logs', headers: { 'content-type': 'application/json' }, payload: '{' }],
    ['invalid_body', { url: '/api/42/envelope/', headers: { 'content-type': 'application/x-sentry-envelope' }, payload: 'not an envelope' }],
  ] as const)('counts every refused ingest request once, by reason: %s for %j', async (reason, request) => {
    const app = await testApp();
    const res = await app.inject({ method: 'POST', ...request });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    const text = (await app.inject({ url: '/metrics' })).body;
    expect(value(text, `faultline_requests_rejected_total{reason="${reason}"}`)).toBe(1);
    const total = [...text.matchAll(/^faultline_requests_rejected_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(total).toBe(1);
    await app.close();
  });

  it('does not count refusals of the read API as ingest rejections', async () => {
    const app = await testApp({ readToken: 't' });
    expect((await app.inject({ url: '/api/issues' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics' })).body).not.toMatch(/^faultline_requests_rejected_total\{/m);
    await app.close();
  });

  it('caps distinct label values from reports at 100, counting the rest as "other"', () => {
    const metrics = new CollectorMetrics();
    for (let i = 0; i < 100; i++) expect(metrics.service(`svc-${i}`)).toBe(`svc-${i}`);
    expect(metrics.service('one-too-many')).toBe('other');
    expect(metrics.service('svc-5')).toBe('svc-5');
    expect(metrics.reason('Not A Reason')).toBe('other');
    expect(metrics.reason('queue_full')).toBe('queue_full');
  });

  it('caps distinct (service, environment) pairs at 1,000, counting the rest as other/other', () => {
    const metrics = new CollectorMetrics();
    for (let s = 0; s < 10; s++) {
      for (let e = 0; e < 100; e++) expect(metrics.serviceLabels(`svc-${s}`, `env-${e}`)).toEqual({ service: `svc-${s}`, environment: `env-${e}` });
    }
    expect(metrics.serviceLabels('svc-10', 'env-0')).toEqual({ service: 'other', environment: 'other' });
    expect(metrics.serviceLabels('svc-3', 'env-7')).toEqual({ service: 'svc-3', environment: 'env-7' });
  });

  it('keeps /metrics bounded when reports bring 100 services × 100 environments', async () => {
    const app = await testApp();
    for (let s = 0; s < 100; s++) {
      const reports = Array.from({ length: 100 }, (_, e) => makeReport({ service: `svc${s}`, environment: `env${e}`, level: 'error' }));
      expect((await ingest(app, reports)).status).toBe(202);
    }
    const text = (await app.inject({ url: '/metrics' })).body;
    const series = (name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`));
    expect(series('faultline_reports_received_total')).toHaveLength(1001);
    expect(series('faultline_issues_created_total').length).toBeLessThanOrEqual(1001);
    expect(value(text, 'faultline_reports_received_total{service="other",environment="other",level="error"}')).toBe(9000);
    await app.close();
  });
});
