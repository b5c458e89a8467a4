import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { CollectorOptions } from '../../src/config/options.js';
import type { Report } from '@faultline/sdk/schema';

/** An in-memory collector app (SQLite `:memory:`, no UI, no retention timer, silent logs). */
export async function testApp(options: CollectorOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp({
    sqlitePath: ':memory:',
    logLevel: 'silent',
    uiDir: '/nonexistent-ui-dir',
    retentionIntervalMs: 0,
    ...options,
  });
  await app.ready();
  return app;
}

export async function ingest(app: FastifyInstance, reports: unknown[], headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'POST', url: '/v1/reports', payload: { reports }, headers });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

export async function getJson(app: FastifyInstance, url: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, body: res.json() };
}

export type { Report };
