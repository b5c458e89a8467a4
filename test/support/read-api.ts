import type { Report } from '@faultline/sdk/schema';

/** An issue as `GET /api/issues` lists it. */
export interface IssueSummary {
  id: string;
  title: string;
  type: string;
  culprit: string | null;
  service: string;
  environment: string | null;
  level: string;
  status: string;
  regressed: boolean;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

/** A stored event: the report as the SDK sent it, plus what the collector adds. */
export type StoredReport = Report & { receivedAt: string; issueId: string };

export interface IssueDetail extends IssueSummary {
  message: string;
  latestEvent: StoredReport | null;
}

/** The collector's read API and /metrics, over HTTP. */
export class ReadApi {
  constructor(readonly url: string) {}

  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.url}${path}`);
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  /** Every issue matching `query`, following the cursor. */
  async issues(query: Record<string, string> = {}): Promise<IssueSummary[]> {
    const out: IssueSummary[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ ...query, limit: '200', ...(cursor === null ? {} : { cursor }) });
      const page: { issues: IssueSummary[]; nextCursor: string | null } = await this.get(`/api/issues?${params}`);
      out.push(...page.issues);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return out;
  }

  issue(id: string): Promise<IssueDetail> {
    return this.get(`/api/issues/${id}`);
  }

  /** Every stored event of an issue, newest first, following the cursor. */
  async events(issueId: string): Promise<StoredReport[]> {
    const out: StoredReport[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ limit: '100', ...(cursor === null ? {} : { cursor }) });
      const page: { events: StoredReport[]; nextCursor: string | null } = await this.get(`/api/issues/${issueId}/events?${params}`);
      out.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return out;
  }

  /** Every stored event of every issue of `service`. */
  async eventsOfService(service: string): Promise<StoredReport[]> {
    const issues = await this.issues({ service });
    const events = await Promise.all(issues.map((i) => this.events(i.id)));
    return events.flat();
  }

  async metrics(): Promise<string> {
    const response = await fetch(`${this.url}/metrics`);
    if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
    return response.text();
  }
}

/** The sum of a Prometheus metric's samples whose labels include `labels` (0 when there is none). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match === null || match[1] !== name) continue;
    const set = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => set[k] === v)) sum += Number(match[3]);
  }
  return sum;
}
