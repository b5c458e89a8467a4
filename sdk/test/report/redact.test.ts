import { describe, expect, it } from 'vitest';
import { isSensitiveKey } from '../../src/report/redact.js';

describe('isSensitiveKey', () => {
  it.each([
    'password',
    'PASSWORD',
    'db_password',
    'userPassword',
    'passwd',
    'secret',
    'clientSecret',
    'client-secret',
    'token',
    'accessToken',
    'refreshToken',
    'refresh_token',
    'authorization',
    'Authorization',
    'Proxy-Authorization',
    'cookie',
    'Set-Cookie',
    'api_key',
    'api-key',
    'apiKey',
    'APIKEY',
    'x-api-key',
    'api key',
    'Api Key',
    'API.Key',
    'pass word',
  ])('%s is sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each(['id', 'user', 'email', 'path', 'orderId', 'author', 'keyboard', 'passenger'])('%s is not', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });
});
