import { describe, expect, it } from 'vitest';
import { apiUrl } from '../../src/api/client.js';

describe('apiUrl', () => {
  it('leaves out empty parameters and encodes the rest', () => {
    expect(apiUrl('issues', { q: 'jwt expired', service: '', level: undefined, environment: null, sparkline: false, limit: 50 })).toBe(
      '/api/issues?q=jwt+expired&limit=50',
    );
  });

  it('has no query string when every parameter is empty', () => {
    expect(apiUrl('services', { cursor: undefined })).toBe('/api/services');
  });
});
