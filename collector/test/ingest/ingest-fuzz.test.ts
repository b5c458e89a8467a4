import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';
import { makeReport } from '../helpers/reports.js';

// 10,000 generated bad bodies in all: none may produce a 5xx or crash the collector.
const RUNS = { anything: 2500, batches: 2500, mutations: 2500, fragments: 2000, bytes: 1200, contentTypes: 800, nesting: 500 };
const SEED = 4319;

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.close());

async function send(payload: string | Buffer, headers: Record<string, string> = {}): Promise<number> {
  const res = await app.inject({ method: 'POST', url: '/v1/reports', payload, headers: { 'content-type': 'application/json', ...headers } });
  if (res.statusCode >= 500) throw new Error(`${res.statusCode} ${res.body}`);
  if (res.statusCode >= 400) {
    const body = res.json<{ error: string; code: string }>();
    if (typeof body.error !== 'string' || !body.code.startsWith('FAULTLINE_')) throw new Error(`bad error body ${res.body}`);
  }
  return res.statusCode;
}

const hugeString = fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'x'.repeat(n));
const value = fc.oneof({ weight: 20, arbitrary: fc.anything() }, { weight: 1, arbitrary: hugeString });

const PATHS = [
  ['schema'], ['id'], ['timestamp'], ['level'], ['message'], ['type'], ['stack'], ['frames'], ['frames', 0], ['frames', 0, 'line'],
  ['frames', 0, 'file'], ['frames', 0, 'inApp'], ['context'], ['context', 'tags'], ['context', 'tags', 'k'], ['context', 'user'],
  ['context', 'extra'], ['service'], ['service', 'name'], ['service', 'environment'], ['runtime'], ['sdk'], ['fingerprint'],
  ['causes'], ['errors'], ['asyncStack'], ['group'], ['trace'], ['mechanism'], ['handled'], ['unknownField'],
] as const;

function setPath(target: Record<string, unknown>, path: readonly (string | number)[], v: unknown): void {
  let node: Record<string | number, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') return;
    node = next as Record<string | number, unknown>;
  }
  node[path[path.length - 1]!] = v;
}

function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describe('ingest under generated bad bodies', () => {
  it('never answers 5xx to any JSON value as the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        await send(JSON.stringify(body));
      }),
      { numRuns: RUNS.anything, seed: SEED },
    );
  });

  it('never answers 5xx to batches of arbitrary values and dropped counts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { maxLength: 20 }), fc.option(fc.dictionary(fc.string(), fc.anything())), async (reports, dropped) => {
        const status = await send(JSON.stringify(dropped === null ? { reports } : { reports, dropped }));
        expect([202, 400]).toContain(status);
      }),
      { numRuns: RUNS.batches, seed: SEED },
    );
  });

  it('rejects mutated reports one by one (wrong types, huge strings), never the batch with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), value, fc.boolean(), async (path, v, gzip) => {
        const report = makeReport() as unknown as Record<string, unknown>;
        setPath(report, path, v);
        const json = JSON.stringify({ reports: [report, makeReport()] });
        const status = await send(gzip ? gzipSync(json) : json, gzip ? { 'content-encoding': 'gzip' } : {});
        expect(status === 202 || status === 413).toBe(true);
      }),
      { numRuns: RUNS.mutations, seed: SEED },
    );
  });

  it('answers 202 or 4xx to near-JSON: batch-shaped fragments glued together', async () => {
    const fragment = fc.constantFrom('{', '}', '[', ']', ',', ':', ' ', '"reports"', '"dropped"', '"a"', '"\\x"', '"', '\\', 'tru', 'null', '1e', '-', '{"reports":[', JSON.stringify(makeReport()));
    await fc.assert(
      fc.asyncProperty(fc.array(fragment, { maxLength: 24 }), async (parts) => {
        const status = await send(parts.join(''));
        expect(status === 202 || (status >= 400 && status < 500)).toBe(true);
      }),
      { numRuns: RUNS.fragments, seed: SEED },
    );
  });

  it('answers 4xx to random bytes, declared gzip or not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.constantFrom('gzip', 'identity', 'x-gzip', 'deflate', 'br', 'gzip, gzip'), async (bytes, encoding) => {
        const status = await send(Buffer.from(bytes), { 'content-encoding': encoding });
        expect(status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: RUNS.bytes, seed: SEED },
    );
  });

  it('answers 4xx to wrong content types', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/jsonx', ''), fc.string({ maxLength: 40 })),
        async (contentType) => {
          const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: JSON.stringify({ reports: [makeReport()] }), headers: { 'content-type': contentType } });
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS.contentTypes, seed: SEED },
    );
  });

  it('answers deep nesting (arrays and objects, up to 100,000 levels) without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom('array', 'object' as const), fc.constantFrom('body', 'report', 'extra'), async (depth, kind, where) => {
        const inner = nested(depth, kind);
        const report = JSON.stringify(makeReport());
        const body =
          where === 'body'
            ? inner
            : where === 'report'
              ? `{"reports":[${inner}]}`
              : `{"reports":[${report.replace('"context":{', `"context":{"extra":{"deep":${inner}},`)}]}`;
        await send(body);
      }),
      { numRuns: RUNS.nesting, seed: SEED },
    );
  });

  it('is still serving after all of it', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: { reports: [makeReport()] } });
    expect(res.statusCode).toBe(202);
    expect(Object.values(RUNS).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10_000);
  });
});
