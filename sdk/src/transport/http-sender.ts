import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

export type PostResult =
  | { readonly kind: 'response'; readonly status: number; readonly body: string; readonly retryAfter?: string }
  | { readonly kind: 'network'; readonly error: Error };

export interface HttpSenderOptions {
  /** Full URL of the batch endpoint (`…/v1/reports`). */
  readonly url: URL;
  readonly apiKey?: string;
  /** More headers (an OTLP endpoint's own, for instance). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sockets kept for reuse; the transport never has more requests in flight. */
  readonly maxSockets: number;
  /** A request with no progress for this long fails as a network error (and is retried). */
  readonly timeoutMs: number;
}

// The answer of a batch is small; a larger body is not read further.
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * POSTs gzipped batches over keep-alive connections. Sockets are unref'd, idle or busy: a request in
 * flight never keeps the process alive (flush and close hold their own timer while the application waits).
 */
export class HttpSender {
  readonly #url: URL;
  readonly #headers: Record<string, string>;
  readonly #agent: http.Agent;
  readonly #request: typeof http.request;
  readonly #timeoutMs: number;

  constructor(options: HttpSenderOptions) {
    this.#url = options.url;
    const secure = options.url.protocol === 'https:';
    this.#request = secure ? https.request : http.request;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets };
    this.#agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.#timeoutMs = options.timeoutMs;
    this.#headers = {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'user-agent': 'faultline-sdk',
    };
    if (options.apiKey !== undefined) this.#headers.authorization = `Bearer ${options.apiKey}`;
    if (options.headers !== undefined) Object.assign(this.#headers, options.headers);
  }

  post(body: Buffer): Promise<PostResult> {
    return new Promise((resolve) => {
      let settled = false;
      let req: http.ClientRequest | undefined;
      // One deadline for the whole exchange: an idle timeout alone would never fire for an answer that trickles in.
      // Unref'd, like the sockets: a request in flight never keeps the process alive.
      const deadline = setTimeout(() => req?.destroy(new Error(`no complete answer from the collector within ${this.#timeoutMs} ms`)), this.#timeoutMs);
      deadline.unref();
      const settle = (result: PostResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(result);
      };
      try {
        req = this.#request(this.#url, {
          method: 'POST',
          agent: this.#agent,
          headers: { ...this.#headers, 'content-length': String(body.length) },
        });
      } catch (error) {
        settle({ kind: 'network', error: toError(error) });
        return;
      }
      // The agent ref()s a socket when it reuses it; unref it again for every request.
      req.on('socket', (socket: Socket) => socket.unref());
      req.on('error', (error) => settle({ kind: 'network', error }));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) {
            chunks.push(chunk);
            return;
          }
          // Not a faultline answer: the status says what happened, the rest of the body is not read.
          settle({ kind: 'response', status: res.statusCode ?? 0, body: '' });
          res.destroy();
        });
        res.on('error', (error) => settle({ kind: 'network', error }));
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          settle({
            kind: 'response',
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
          });
        });
        res.on('close', () => {
          if (!res.complete) settle({ kind: 'network', error: new Error('the collector closed the connection mid-answer') });
        });
      });
      req.end(body);
    });
  }

  /** Closes idle sockets and refuses nothing: later posts open new connections. */
  close(): void {
    this.#agent.destroy();
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
