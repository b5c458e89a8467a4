import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { Report } from '../../src/report/schema.js';
import type { Scheduler } from '../../src/transport/scheduler.js';

/** One request the collector received, body decoded. */
export interface ReceivedBatch {
  readonly n: number;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly gzipped: boolean;
  readonly rawBytes: number;
  readonly jsonBytes: number;
  readonly reports: Report[];
  readonly dropped?: Record<string, number>;
}

interface Waiter {
  readonly check: () => boolean;
  readonly resolve: () => void;
}

/** What the test's responder wants done with a request. */
export type Answer =
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  | 'accept'
  /** Close the connection after reading the request, without answering. */
  | 'destroy'
  /** Send a 202's headers, then one byte of body every 50 ms until the client hangs up: a slow-loris answer. */
  | 'trickle';

/**
 * A collector stand-in on loopback that the test controls: it decodes every batch, answers through
 * `respond` (default: 202, counting duplicates by id) and records what it received and accepted.
 */
export class LoopbackCollector {
  readonly received: ReceivedBatch[] = [];
  /** Ids in the order they were accepted (each once). */
  readonly accepted: string[] = [];
  readonly acceptedReports: Report[] = [];
  readonly duplicateIds: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** The next this-many requests have their connection closed before their body is read. */
  destroyBeforeBody = 0;
  respond: (batch: ReceivedBatch) => Answer | Promise<Answer> = () => 'accept';
  readonly #server: Server;
  readonly #seen = new Set<string>();
  #port = 0;
  #waiters: Waiter[] = [];

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<LoopbackCollector> {
    const server = createServer();
    const collector = new LoopbackCollector(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void collector.#handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return collector;
  }

  get url(): string {
    const address = this.#server.address() as AddressInfo | null;
    return `http://127.0.0.1:${address?.port ?? this.#port}`;
  }

  /** Resolves once `check()` holds (checked after every request), or rejects after `timeoutMs`. */
  waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`condition not met within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Stops listening (connections are refused) until `comeBack`. */
  async goDown(): Promise<void> {
    this.#port = (this.#server.address() as AddressInfo).port;
    await this.close();
  }

  async comeBack(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(this.#port, '127.0.0.1', resolve));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.destroyBeforeBody > 0) {
        this.destroyBeforeBody--;
        req.socket.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      const gzipped = req.headers['content-encoding'] === 'gzip';
      const json = (gzipped ? gunzipSync(raw) : raw).toString('utf8');
      const body = JSON.parse(json) as { reports: Report[]; dropped?: Record<string, number> };
      const batch: ReceivedBatch = {
        n: this.received.length,
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        gzipped,
        rawBytes: raw.length,
        jsonBytes: Buffer.byteLength(json),
        reports: body.reports,
        ...(body.dropped !== undefined ? { dropped: body.dropped } : {}),
      };
      this.received.push(batch);
      const answer = await this.respond(batch);
      if (answer === 'destroy') {
        req.socket.destroy();
        return;
      }
      if (answer === 'trickle') {
        res.writeHead(202, { 'content-type': 'application/json' });
        const drip = setInterval(() => res.write(' '), 50);
        await new Promise((resolve) => res.on('close', resolve));
        clearInterval(drip);
        return;
      }
      if (answer === 'accept') {
        this.#accept(batch.reports);
        this.#send(res, 202, { accepted: batch.reports.length, duplicates: 0, rejected: [] });
        return;
      }
      if (answer.delayMs !== undefined) await new Promise((r) => setTimeout(r, answer.delayMs).unref());
      if (answer.status === 202) this.#accept(batch.reports);
      this.#send(res, answer.status, answer.body ?? {}, answer.headers);
    } finally {
      this.inFlight--;
      this.#wake();
    }
  }

  #accept(reports: Report[]): void {
    for (const r of reports) {
      if (this.#seen.has(r.id)) {
        this.duplicateIds.push(r.id);
        continue;
      }
      this.#seen.add(r.id);
      this.accepted.push(r.id);
      this.acceptedReports.push(r);
    }
  }

  #send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  #wake(): void {
    const still: Waiter[] = [];
    for (const w of this.#waiters) {
      if (w.check()) w.resolve();
      else still.push(w);
    }
    this.#waiters = still;
  }
}

/**
 * A clock that runs `speed` times faster than real time: the transport's delays (batching, backoff,
 * Retry-After) keep their meaning but take a fraction of the wall time. Records every delay asked for.
 */
export function fastScheduler(speed = 100): Scheduler & { readonly delays: number[] } {
  const start = Date.now();
  const delays: number[] = [];
  return {
    delays,
    now: () => start + (Date.now() - start) * speed,
    setTimeout(fn, ms) {
      delays.push(ms);
      const t = setTimeout(fn, ms / speed);
      t.unref();
      return t;
    },
    clearTimeout(handle) {
      clearTimeout(handle as NodeJS.Timeout);
    },
  };
}
