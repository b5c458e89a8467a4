import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Strict policy for the UI: only this origin's files, no inline script or style, no framing. */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = [
  'faultline collector',
  '',
  'The web UI is not built: dashboards/dist/index.html does not exist.',
  'Build it with `npm run build` at the repository root (or point --ui-dir at a built UI).',
  '',
  'The collector itself is running: POST /v1/reports, GET /api/issues, /metrics, /healthz.',
  '',
].join('\n');

/** Paths that belong to the collector, never to the UI. */
export function isServicePath(url: string): boolean {
  return /^\/(?:api|v1|metrics|healthz|readyz)(?:[/?#]|$)/.test(url);
}

function setUiHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', UI_CONTENT_SECURITY_POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
}

export interface UiHandler {
  /** Answers a GET the router did not match: the SPA's index.html, or the "not built" page. */
  fallback(request: FastifyRequest, reply: FastifyReply): Promise<unknown> | FastifyReply;
  built: boolean;
}

/** Serves the built UI from `uiDir` at `/` (static files, SPA fallback), or a plain page saying it is not built. */
export async function registerUi(app: FastifyInstance, uiDir: string): Promise<UiHandler> {
  const root = resolve(uiDir);
  const built = existsSync(join(root, 'index.html'));
  if (!built) {
    app.get('/', (_request, reply) => {
      setUiHeaders(reply);
      return reply.type('text/plain; charset=utf-8').send(NOT_BUILT);
    });
    return {
      built,
      fallback: (_request, reply) => {
        setUiHeaders(reply);
        return reply.type('text/plain; charset=utf-8').send(NOT_BUILT);
      },
    };
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: true,
    index: 'index.html',
    dotfiles: 'deny',
    setHeaders: (reply, path) => {
      setUiHeaders(reply);
      // Hashed asset names never change content; index.html must be revalidated to pick up new builds.
      reply.header('cache-control', path.endsWith('index.html') || !path.includes('/assets/') ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });
  return {
    built,
    fallback: (_request, reply) => {
      setUiHeaders(reply);
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html', root);
    },
  };
}
