import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { isLoopback, listenHost, resolveOptions, type CollectorOptions } from './config/options.js';
import { CollectorConfigError } from './errors.js';
import type { Store } from './storage/store.js';

/** A collector listening on a port. */
export interface RunningCollector {
  /** `http://host:port` */
  url: string;
  port: number;
  app: FastifyInstance;
  store: Store;
  /** Stops intake, finishes queued writes, closes the store. */
  close(): Promise<void>;
}

/** Refuses settings that would expose an unprotected collector beyond this machine. */
export function checkSecurity(options: { host: string; ingestKeys: readonly string[]; readToken: string | undefined }): void {
  if (isLoopback(options.host)) return;
  const missing = [options.ingestKeys.length === 0 ? 'ingest keys (FAULTLINE_INGEST_KEYS)' : '', options.readToken === undefined ? 'a read token (FAULTLINE_READ_TOKEN)' : '']
    .filter(Boolean)
    .join(' and ');
  if (missing !== '') {
    throw new CollectorConfigError(
      'FAULTLINE_INSECURE_BIND',
      `Refusing to listen on ${options.host} without ${missing}: only a loopback address may run open`,
    );
  }
}

/**
 * Starts a collector: opens the store, listens on `host:port` (default 127.0.0.1:4319). On a loopback address
 * without keys it runs open and logs that; on any other address it refuses to start without ingest keys and a
 * read token.
 *
 * @example
 * const collector = await startCollector({ port: 0, sqlitePath: '/tmp/faultline.db' });
 * console.log(collector.url);
 * await collector.close();
 */
export async function startCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  const settings = resolveOptions(options);
  checkSecurity(settings);
  const app = await buildApp(options);
  try {
    await app.listen({ port: settings.port, host: listenHost(settings.host) });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.port;
  const host = settings.host.includes(':') && !settings.host.startsWith('[') ? `[${settings.host}]` : settings.host;
  const url = `http://${host}:${port}`;
  const store = app.faultline.store;
  // The warnings first: whoever waits for the 'listening' line has seen them by then.
  if (settings.ingestKeys.length === 0) app.log.warn('no ingest keys configured: POST /v1/reports is open (allowed on loopback only)');
  if (settings.readToken === undefined) app.log.warn('no read token configured: /api is open (allowed on loopback only)');
  app.log.info({ url, store: store.kind }, 'faultline collector listening');
  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    store,
    close: () => (closed ??= app.close()),
  };
}
