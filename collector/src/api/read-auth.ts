import type { FastifyInstance } from 'fastify';
import { httpError } from '../errors.js';
import { bearerToken, matchSecret, secretDigests } from '../ingest/ingest-route.js';

/** Requires `Authorization: Bearer <readToken>` on every `/api/` route when a read token is configured. */
export function registerReadAuth(app: FastifyInstance, readToken: string | undefined): void {
  if (readToken === undefined) return;
  const accepted = secretDigests([readToken]);
  app.addHook('onRequest', (request, _reply, done) => {
    // The route the router matched, not the raw URL: the router decodes the path first, so `/%61pi/issues` is
    // `/api/issues` to it, and a check on the raw text would let that through without a token.
    const route = request.routeOptions.url;
    const isApi = route !== undefined && (route.startsWith('/api/') || route === '/api') && request.routeOptions.config.ingest !== true;
    if (isApi && matchSecret(bearerToken(request), accepted, [readToken]) === undefined) {
      done(httpError('FAULTLINE_UNAUTHORIZED', 'Missing or wrong read token; send Authorization: Bearer <token>'));
      return;
    }
    done();
  });
}
