import { describe, expect, it } from 'vitest';
import { isSensitiveKey, redactUrlValue } from '../../src/report/redact.js';

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

describe('redactUrlValue', () => {
  it.each([
    ['url', 'https://shop.example.com/cb?access_token=abc&page=2', 'https://shop.example.com/cb?access_token=[redacted]&page=2'],
    ['url', '/login?user=ann&Password=hunter2#top', '/login?user=ann&Password=[redacted]#top'],
    ['href', 'https://x.test/?api%20key=k1;sig=s', 'https://x.test/?api%20key=[redacted];sig=s'],
    ['query_string', 'token=t1&q=shoes', 'token=[redacted]&q=shoes'],
    ['URL', 'https://x.test/a?refresh_token=r&x_api_key=k', 'https://x.test/a?refresh_token=[redacted]&x_api_key=[redacted]'],
    ['Referer', 'https://app.test/reset?token=t2', 'https://app.test/reset?token=[redacted]'],
  ])('redacts sensitive parameters in %s %s', (key, value, expected) => {
    expect(redactUrlValue(key, value)).toBe(expected);
  });

  it.each([
    ['url', 'https://shop.example.com/search?q=token+ring&page=2'],
    ['url', 'https://shop.example.com/checkout'],
    ['message', 'failed for ?access_token=abc'],
    ['url', 'https://x.test/%E0%A4%A?%E0%A4%A=1'],
  ])('leaves %s %s as it is', (key, value) => {
    expect(redactUrlValue(key, value)).toBe(value);
  });
});
