// grafana/faultline.json against the real collector's /metrics: every metric a panel or variable queries
// exists there, with the labels the query uses.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, ingest, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { makeReport } from '../helpers/reports.js';

const GRAFANA = new URL('../../grafana/', import.meta.url).pathname;

interface Target {
  expr: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
  datasource?: { type: string; uid: string };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  __inputs?: unknown;
  panels: Panel[];
  templating: { list: Variable[] };
}

const dashboard = JSON.parse(readFileSync(`${GRAFANA}faultline.json`, 'utf8')) as Dashboard;
const queryPanels = dashboard.panels.filter((p) => p.type !== 'row');
const variableQueries = dashboard.templating.list
  .filter((v) => v.type === 'query')
  .map((v) => (typeof v.query === 'string' ? v.query : v.query.query));
const allExprs = [...queryPanels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...variableQueries];

/** Labels Prometheus adds when it scrapes (not in /metrics), and Grafana's own variables. */
const TARGET_LABELS = new Set(['instance', 'job']);

/** metric name → label names seen on its samples in a Prometheus text exposition. */
function parseExposition(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s/.exec(line);
    if (!m) continue;
    const labels = out.get(m[1]!) ?? new Set<string>();
    for (const pair of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) labels.add(pair[1]!);
    out.set(m[1]!, labels);
  }
  return out;
}

/** Each `faultline_*` selector in a PromQL expression with the label names it matches on. */
function selectors(expr: string): { metric: string; labels: string[] }[] {
  return [...expr.matchAll(/\b(faultline_[a-zA-Z0-9_:]+)(\{([^}]*)\})?/g)].map((m) => ({
    metric: m[1]!,
    labels: [...(m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)].map((l) => l[1]!),
  }));
}

/** Labels an aggregation groups by: `sum by (service) (...)`; label_values(metric, label). */
function groupingLabels(expr: string): string[] {
  const by = [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()).filter(Boolean));
  const lv = [...expr.matchAll(/label_values\([^,]+,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)/g)].map((m) => m[1]!);
  return [...by, ...lv];
}

describe('grafana/faultline.json', () => {
  let collector: TestCollector;
  let metrics: Map<string, Set<string>>;

  beforeAll(async () => {
    collector = await startTestCollector();
    const { url } = collector;
    await ingest(url, [makeReport({ service: 'checkout' }), makeReport({ service: 'payments', environment: 'staging', level: 'warning' })], {
      dropped: { queue_full: 3 },
    });
    // A regression: resolve the checkout issue, then the same error again.
    const { issues } = await api<{ issues: { id: string; service: string }[] }>(url, '/api/issues?service=checkout');
    await api(url, `/api/issues/${issues[0]!.id}`, { method: 'PATCH', body: { status: 'resolved' } });
    await ingest(url, [makeReport({ service: 'checkout' })]);
    // One report rejected inside a valid batch, and one request rejected whole.
    const bad = await fetch(`${url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reports: [{ ...makeReport(), level: 'catastrophic' }] }),
    });
    expect(((await bad.json()) as { rejected: unknown[] }).rejected).toHaveLength(1);
    const malformed = await fetch(`${url}/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"reports": "not a list"}' });
    expect(malformed.status).toBe(400);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    metrics = parseExposition(await res.text());
  });

  afterAll(async () => {
    await collector?.close();
  });

  it('queries only metric names that the collector exports', () => {
    const missing: string[] = [];
    for (const expr of allExprs) {
      for (const { metric } of selectors(expr)) if (!metrics.has(metric)) missing.push(`${metric} (in ${expr})`);
    }
    expect(selectors(allExprs.join(' ')).length).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });

  it('filters and groups only by labels those metrics carry', () => {
    const wrong: string[] = [];
    for (const expr of allExprs) {
      const sels = selectors(expr);
      const carried = new Set(sels.flatMap(({ metric }) => [...(metrics.get(metric) ?? [])]));
      for (const { metric, labels } of sels) {
        for (const l of labels) if (!TARGET_LABELS.has(l) && !metrics.get(metric)?.has(l)) wrong.push(`${metric}{${l}} in ${expr}`);
      }
      for (const l of groupingLabels(expr)) if (!TARGET_LABELS.has(l) && !carried.has(l)) wrong.push(`by ${l} in ${expr}`);
    }
    expect(wrong).toEqual([]);
  });

  it('has a panel for each required view', () => {
    const exprsOf = (title: RegExp): string =>
      queryPanels
        .filter((p) => title.test(p.title))
        .flatMap((p) => p.targets ?? [])
        .map((t) => t.expr)
        .join('\n');
    expect(exprsOf(/by service/)).toMatch(/sum by \(service\).*faultline_reports_received_total/);
    expect(exprsOf(/by environment/)).toMatch(/sum by \(environment\).*faultline_reports_received_total/);
    expect(exprsOf(/Rejections by reason/)).toMatch(/sum by \(reason\).*faultline_reports_rejected_total/);
    expect(exprsOf(/Ingest latency/)).toMatch(/histogram_quantile\(0\.5,.*faultline_ingest_duration_seconds_bucket/);
    expect(exprsOf(/Ingest latency/)).toMatch(/histogram_quantile\(0\.99,.*faultline_ingest_duration_seconds_bucket/);
    expect(exprsOf(/created and regressed/)).toMatch(/faultline_issues_created_total[\s\S]*faultline_issues_regressed_total/);
    expect(exprsOf(/queue depth/i)).toMatch(/faultline_ingest_queue_depth/);
  });

  it('takes its Prometheus data source from a ${datasource} variable, not __inputs', () => {
    expect(dashboard.__inputs).toBeUndefined();
    expect(JSON.stringify(dashboard)).not.toContain('DS_PROMETHEUS');
    const ds = dashboard.templating.list.find((v) => v.name === 'datasource');
    expect(ds).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const p of queryPanels) {
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const t of p.targets ?? []) expect(t.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
  });

  it('has templating for service and environment from the ingest metric', () => {
    const byName = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    expect(variableQueries).toContain('label_values(faultline_reports_received_total{instance=~"$instance"}, service)');
    expect(byName.get('environment')?.type).toBe('query');
    expect(JSON.stringify(byName.get('environment')?.query)).toContain('environment)');
    // Every panel over a metric with service/environment labels applies both filters.
    for (const expr of allExprs.filter((e) => /faultline_(reports_received|issues_created|issues_regressed)_total\{/.test(e))) {
      if (expr.startsWith('label_values')) continue;
      expect(expr).toContain('service=~"$service"');
      expect(expr).toContain('environment=~"$environment"');
    }
  });

  it('keeps a stable uid, the classic schemaVersion 42 and a non-overlapping 24-column layout', () => {
    expect(dashboard.uid).toBe('faultline-collector');
    expect(dashboard.schemaVersion).toBe(42);
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });

  it('ships provisioning for the dashboard folder and a Prometheus data source', () => {
    const provider = readFileSync(`${GRAFANA}provisioning/dashboards/faultline.yaml`, 'utf8');
    expect(provider).toMatch(/^apiVersion: 1$/m);
    expect(provider).toMatch(/type: file/);
    expect(provider).toMatch(/path: \/var\/lib\/grafana\/dashboards\/faultline/);
    const datasource = readFileSync(`${GRAFANA}provisioning/datasources/prometheus.yaml`, 'utf8');
    expect(datasource).toMatch(/type: prometheus/);
  });
});
