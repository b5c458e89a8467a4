import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/client/options.js';
import { resolveOtlpOptions } from '../../src/transport/otlp-options.js';

describe('resolveOtlpOptions', () => {
  it('is undefined without the option', () => {
    expect(resolveOtlpOptions(undefined)).toBeUndefined();
  });

  it.each([
    ['http://otel:4318', 'http://otel:4318/'],
    ['http://otel:4318/', 'http://otel:4318/'],
    ['https://otel.example/prefix', 'https://otel.example/prefix/'],
    ['http://otel:4318/v1/logs', 'http://otel:4318/'],
    ['http://otel:4318/prefix/v1/logs/', 'http://otel:4318/prefix/'],
  ])('takes %s as the base under which v1/logs is posted (%s)', (endpoint, base) => {
    expect(resolveOtlpOptions({ endpoint })).toEqual({ base, headers: {}, only: false });
  });

  it('keeps headers (names lowercased) and only', () => {
    expect(resolveOtlpOptions({ endpoint: 'http://otel:4318', headers: { Authorization: 'Bearer t', 'X-Tenant': 'a' }, only: true })).toEqual({
      base: 'http://otel:4318/',
      headers: { authorization: 'Bearer t', 'x-tenant': 'a' },
      only: true,
    });
  });

  it.each([
    ['not an object', 'http://otel:4318', /`otlp` must be an object/],
    ['no endpoint', {}, /`otlp.endpoint` must be an absolute http\(s\) URL \(got undefined\)/],
    ['a relative endpoint', { endpoint: '/v1/logs' }, /`otlp.endpoint` must be an absolute http\(s\) URL \(got "\/v1\/logs"\)/],
    ['a non-http endpoint', { endpoint: 'grpc://otel:4317' }, /`otlp.endpoint`/],
    ['headers that are not an object', { endpoint: 'http://o', headers: 'x' }, /`otlp.headers` must be an object/],
    ['a header value that is not a string', { endpoint: 'http://o', headers: { a: 1 } }, /`otlp.headers.a` must be a string \(got 1\)/],
    ['a header the SDK sets itself', { endpoint: 'http://o', headers: { 'Content-Type': 'text/plain' } }, /`otlp.headers.Content-Type` must be a header the SDK does not set itself/],
    ['a header name Node refuses', { endpoint: 'http://o', headers: { 'x bad name': 'v' } }, /`otlp.headers` must be an object whose keys are HTTP header names .*\(got "x bad name"\)/],
    ['a header value with a line break', { endpoint: 'http://o', headers: { authorization: 'Bearer tok\n' } }, /`otlp.headers.authorization` must be valid in an HTTP header/],
    ['a header value with a control character', { endpoint: 'http://o', headers: { 'x-tenant': 'a\u0000b' } }, /`otlp.headers.x-tenant` must be valid in an HTTP header/],
    ['only that is not a boolean', { endpoint: 'http://o', only: 'yes' }, /`otlp.only` must be a boolean \(got "yes"\)/],
  ])('refuses %s with a TypeError naming the option', (_name, value, message) => {
    expect(() => resolveOtlpOptions(value)).toThrow(TypeError);
    expect(() => resolveOtlpOptions(value)).toThrow(message);
  });

  it("is checked by init's option resolution", () => {
    expect(resolveOptions({ endpoint: 'http://c:4319', service: 's', otlp: { endpoint: 'http://otel:4318' } }).otlp).toEqual({ base: 'http://otel:4318/', headers: {}, only: false });
    expect(() => resolveOptions({ endpoint: 'http://c:4319', service: 's', otlp: { endpoint: 'nope' } })).toThrow(/faultline init: `otlp.endpoint`/);
  });

  it('makes the faultline endpoint optional only when reports go only to OTLP', () => {
    expect(resolveOptions({ service: 's', otlp: { endpoint: 'http://otel:4318', only: true } }).endpoint).toBeUndefined();
    expect(() => resolveOptions({ service: 's', otlp: { endpoint: 'http://otel:4318' } })).toThrow(/`endpoint` must be a URL string \(or set otlp.only/);
    expect(() => resolveOptions({ service: 's' })).toThrow(/`endpoint` must be a URL string/);
  });
});
