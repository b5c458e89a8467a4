import type { FastifyInstance } from 'fastify';
import { httpError } from '../errors.js';
import { bearerToken, matchSecret, secretDigests } from '../ingest/ingest-route.js';

/** Requires `Authorization: Bearer <readToken>` on every `/api/` route when a read token is configured. */
export function registerReadAuth(app: FastifyInstance, readToken: string | undefined): void {
  if (readToken === undefined) return;
  const accepted = secretDigests([readToken]);
  app.addHook('onRequest', (request, _reply, done) => {
    const isApi = (request.url.startsWith('/api/') || request.url === '/api') && request.routeOptions.config.ingest !== true;
    if (isApi && matchSecret(bearerToken(request), accepted, [readToken]) === undefined) {
      done(httpError('FAULTLINE_UNAUTHORIZED', 'Missing or wrong read token; send Authorization: Bearer <token>'));
      return;
    }
    done();
  });
}
