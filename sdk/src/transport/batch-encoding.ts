import type { Report } from '../report/schema.js';

/**
 * How batches are written and answers read. The default is the collector's `/v1/reports`; the OTLP export
 * (`otlp-encoding.ts`) writes OTLP log records through the same queue, batching and retries.
 */
export interface BatchEncoding {
  /** Path of the endpoint, relative to the base URL (`v1/reports`). */
  readonly path: string;
  /** Headers besides content type, encoding and user agent. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Whether a body can carry the dropped counts (when not, they are never claimed by a batch). */
  readonly carriesDrops: boolean;
  /** The body of a batch: its reports, each also as JSON, and the dropped counts it carries. */
  body(reports: readonly Report[], json: readonly string[], dropped: Record<string, number> | undefined): string;
  /** The reports a 2xx answer refused, by index in the batch. */
  rejected(answer: string, count: number): { index: number; error: string }[];
}

/** Batches of `POST /v1/reports`: `{ "reports": [...], "dropped": {...} }`, answered with `{ rejected: [...] }`. */
export const REPORTS_ENCODING: BatchEncoding = {
  path: 'v1/reports',
  carriesDrops: true,
  body: (_reports, json, dropped) => `{"reports":[${json.join(',')}]${dropped === undefined ? '' : `,"dropped":${JSON.stringify(dropped)}`}}`,
  rejected: (answer) => parseRejected(answer),
};

function parseRejected(body: string): { index: number; error: string }[] {
  if (body === '') return [];
  try {
    const parsed = JSON.parse(body) as { rejected?: unknown };
    if (!Array.isArray(parsed.rejected)) return [];
    return parsed.rejected.flatMap((r: unknown) => {
      const { index, error } = (r ?? {}) as { index?: unknown; error?: unknown };
      return typeof index === 'number' ? [{ index, error: typeof error === 'string' ? error : '' }] : [];
    });
  } catch {
    return [];
  }
}
