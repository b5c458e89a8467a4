import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CollectorHttpError, ERROR_STATUS, type ErrorCode } from '../errors.js';
import { countRejectedRequest } from '../metrics/count-rejection.js';
import { isServicePath, type UiHandler } from '../ui/serve-ui.js';

// Fastify's own errors, answered in the collector's shape.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'FAULTLINE_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'FAULTLINE_BAD_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'FAULTLINE_BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'FAULTLINE_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'FAULTLINE_INVALID_JSON',
  FST_ERR_CTP_EMPTY_TYPE: 'FAULTLINE_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_TYPE: 'FAULTLINE_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_BAD_URL: 'FAULTLINE_BAD_REQUEST',
  FST_ERR_ASYNC_CONSTRAINT: 'FAULTLINE_BAD_REQUEST',
};

// A client-chosen header echoed in an answer is cut to this length.
const MAX_SHOWN_TYPE_CHARS = 100;

function send(reply: FastifyReply, code: ErrorCode, message: string, retryAfter?: number): FastifyReply {
  countRejectedRequest(reply.request, code);
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  // A body refused for its size is not read further: close the connection instead of draining it.
  if (ERROR_STATUS[code] === 413) reply.header('connection', 'close');
  return reply.code(ERROR_STATUS[code]).type('application/json; charset=utf-8').send({ error: message, code });
}

/** Says what was received and what is accepted: Fastify's own message is only "Unsupported Media Type". */
function unsupportedMediaType(request: FastifyRequest): string {
  const received = request.headers['content-type'];
  // Only the JSON parser is registered outside the raw-body (interop) routes.
  const accepted = 'send application/json (optionally gzip- or deflate-encoded)';
  if (received === undefined || received.trim() === '') return `The request has no Content-Type; ${accepted}`;
  const shown = received.length > MAX_SHOWN_TYPE_CHARS ? `${received.slice(0, MAX_SHOWN_TYPE_CHARS)}…` : received;
  return `Content-Type ${JSON.stringify(shown)} is not supported; ${accepted}`;
}

/** Every error answer is `{ error, code }` with the status mapped from the code; 5xx are logged. */
export function registerErrorHandling(app: FastifyInstance, ui: () => UiHandler | undefined): void {
  app.setErrorHandler((error: FastifyError | CollectorHttpError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof CollectorHttpError) {
      if (error.statusCode >= 500) request.log.error({ err: error.cause ?? error, code: error.code }, error.message);
      return send(reply, error.code, error.message, error.retryAfter);
    }
    const mapped = error.code === undefined ? undefined : FASTIFY_CODES[error.code];
    if (mapped === 'FAULTLINE_UNSUPPORTED_MEDIA_TYPE') return send(reply, mapped, unsupportedMediaType(request));
    if (mapped !== undefined) return send(reply, mapped, error.message);
    if (error.validation !== undefined) return send(reply, 'FAULTLINE_INVALID_QUERY', error.message);
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 404) return send(reply, 'FAULTLINE_NOT_FOUND', error.message);
    if (status >= 400 && status < 500) return send(reply, 'FAULTLINE_BAD_REQUEST', error.message);
    if (status === 503) return send(reply, 'FAULTLINE_SHUTTING_DOWN', 'The collector is shutting down; retry later', 1);
    request.log.error({ err: error }, 'request failed');
    return send(reply, 'FAULTLINE_INTERNAL', 'Internal error');
  });

  app.setNotFoundHandler((request, reply) => {
    const handler = ui();
    if ((request.method === 'GET' || request.method === 'HEAD') && !isServicePath(request.url) && handler !== undefined) {
      return handler.fallback(request, reply);
    }
    return send(reply, 'FAULTLINE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`);
  });
}
