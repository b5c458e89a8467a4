import type { FastifyInstance } from 'fastify';
import { httpError } from '../errors.js';
import type { Store } from '../storage/store.js';
import { isEventId, onlyParams, type Query } from './query-params.js';
import { eventJson } from './serialize.js';

/** `/api/events/:id`: one report as ingested, with `receivedAt` and `issueId`. */
export function registerEventRoutes(app: FastifyInstance, store: Store): void {
  app.get('/api/events/:id', async (request) => {
    onlyParams(request.query as Query, []);
    const { id } = request.params as { id: string };
    const event = isEventId(id) ? await store.getEvent(id) : undefined;
    if (event === undefined) throw httpError('FAULTLINE_NOT_FOUND', `No event ${id}`);
    return eventJson(event);
  });
}
