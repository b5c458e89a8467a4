import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, UnauthorizedError } from '../src/errors.js';

describe('errors', () => {
  const all = [new ApiError('boom', 500), new UnauthorizedError('no token', false), new NetworkError('down')];

  it('gives each error class its own stable code', () => {
    expect(all.map((e) => e.code)).toEqual(['FAULTLINE_UI_HTTP', 'FAULTLINE_UI_UNAUTHORIZED', 'FAULTLINE_UI_NETWORK']);
    expect(new Set(all.map((e) => e.code)).size).toBe(all.length);
  });

  it('keeps the HTTP status and whether a token was sent', () => {
    const e = new UnauthorizedError('refused', true);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(401);
    expect(e.tokenSent).toBe(true);
    expect(e.name).toBe('UnauthorizedError');
  });
});
