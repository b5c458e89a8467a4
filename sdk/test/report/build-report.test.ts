import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReport, type ReportInput, type SpawnSite } from '../../src/report/build-report.js';
import { serializeReport } from '../../src/report/fit-report.js';
import { LIMITS, TRUNCATION_MARKER } from '../../src/report/limits.js';
import { reportOrigin, SDK_VERSION } from '../../src/report/origin.js';
import { ReportSchema, type Report } from '../../src/report/schema.js';

const origin = reportOrigin({ service: 'checkout', release: '1.2.3', environment: 'prod' });

function build(input: Partial<ReportInput> & { error: unknown }): Report {
  return buildReport({ level: 'error', handled: true, mechanism: 'captureException', ...input }, origin);
}

function expectValid(report: Report): void {
  const errors = [...Value.Errors(ReportSchema, report)].map((e) => `${e.path}: ${e.message}`);
  expect(errors).toEqual([]);
}

describe('buildReport', () => {
  it('makes a 32-hex id and an RFC 3339 UTC timestamp with milliseconds', () => {
    const before = Date.now();
    const r = build({ error: new Error('x') });
    expect(r.id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(r.timestamp)).toBeGreaterThanOrEqual(before - 1);
    expect(build({ error: new Error('x') }).id).not.toBe(r.id);
    expect(build({ error: new Error('x'), id: 'a'.repeat(32) }).id).toBe('a'.repeat(32));
  });

  it('carries level, handled and mechanism', () => {
    const r = build({ error: new Error('x'), level: 'fatal', handled: false, mechanism: 'uncaughtException' });
    expect(r).toMatchObject({ schema: 1, level: 'fatal', handled: false, mechanism: 'uncaughtException' });
  });

  it('takes message, type, code and the raw stack from the error', () => {
    const error = Object.assign(new TypeError('bad order'), { code: 'E_ORDER' });
    const r = build({ error });
    expect(r).toMatchObject({ message: 'bad order', type: 'TypeError', code: 'E_ORDER', stack: error.stack });
    expect(r.frames[0]!.file).toContain('build-report.test.ts');
    expect(r.frames[0]!.inApp).toBe(true);
    expectValid(r);
  });

  it('names an error by its class when name was left as Error, and keeps numeric codes', () => {
    class StockError extends Error {}
    const r = build({ error: Object.assign(new StockError('none left'), { code: 409 }) });
    expect(r.type).toBe('StockError');
    expect(r.code).toBe('409');
  });

  it('reports a thrown value that is not an Error, with the capture site as its frames', () => {
    const synthetic = new Error().stack!;
    const r = build({ error: 'plain string', syntheticStack: synthetic });
    expect(r).toMatchObject({ type: 'NonError', message: 'plain string' });
    expect(r.stack).toBeUndefined();
    expect(r.frames[0]!.file).toContain('build-report.test.ts');
    expect(build({ error: { status: 500 } }).message).toBe('{ status: 500 }');
    expectValid(build({ error: undefined }));
  });

  it('cuts the message and the stack to their limits, with the marker', () => {
    const error = new Error('m'.repeat(20_000));
    error.stack = `Error: ${'s'.repeat(100_000)}`;
    const r = build({ error });
    expect(r.message).toHaveLength(LIMITS.messageChars);
    expect(r.message.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(r.stack).toHaveLength(LIMITS.stackChars);
    expect(r.stack!.endsWith(TRUNCATION_MARKER)).toBe(true);
    expectValid(r);
  });

  it('carries causes and aggregated errors', () => {
    const error = new AggregateError([new Error('a'), new Error('b')], 'both', { cause: new Error('root') });
    const r = build({ error });
    expect(r.causes!.map((c) => c.message)).toEqual(['root']);
    expect(r.errors!.map((c) => c.message)).toEqual(['a', 'b']);
    expectValid(r);
  });

  it('turns the spawn chain into asyncStack, with inApp frames, within its limits', () => {
    const site: SpawnSite = {
      kind: 'errgroup',
      group: 'checkout',
      task: 'charge',
      frames: [
        { file: '/srv/app/src/checkout.js', function: 'placeOrder', line: 10, column: 5 },
        { file: '/srv/app/node_modules/fastify/route.js', function: 'handler', line: 1, column: 1 },
      ],
    };
    const r = build({ error: new Error('x'), asyncStack: [site, { ...site, kind: 'waitgroup', task: 'notify' }] });
    expect(r.asyncStack).toEqual([
      {
        kind: 'errgroup',
        group: 'checkout',
        task: 'charge',
        frames: [
          { file: '/srv/app/src/checkout.js', function: 'placeOrder', line: 10, column: 5, inApp: true },
          { file: '/srv/app/node_modules/fastify/route.js', function: 'handler', line: 1, column: 1, inApp: false },
        ],
      },
      expect.objectContaining({ kind: 'waitgroup', task: 'notify' }),
    ]);
    const long = build({
      error: new Error('x'),
      asyncStack: Array.from({ length: 50 }, () => ({ ...site, frames: Array.from({ length: 40 }, () => site.frames[0]!) })),
    });
    expect(long.asyncStack).toHaveLength(LIMITS.asyncStackEntries);
    expect(long.asyncStack![0]!.frames).toHaveLength(LIMITS.framesPerSpawnSite);
    expectValid(long);
  });

  it('carries group facts and trace ids', () => {
    const group = { kind: 'errgroup', name: 'g', task: 't', failFast: true, optional: false, started: 3, failed: 1, canceled: 2, elapsedMs: 12.5 } as const;
    const trace = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
    const r = build({ error: new Error('x'), group, trace });
    expect(r.group).toEqual(group);
    expect(r.trace).toEqual(trace);
    expectValid(r);
  });

  it('carries service, runtime and sdk', () => {
    const r = build({ error: new Error('x') });
    expect(r.service).toEqual({ name: 'checkout', version: '1.2.3', environment: 'prod' });
    expect(r.runtime).toMatchObject({ name: 'node', version: process.versions.node, platform: process.platform, arch: process.arch, pid: process.pid });
    expect(typeof r.runtime.hostname).toBe('string');
    expect(r.sdk).toEqual({ name: '@faultline/sdk', version: SDK_VERSION });
    expect(SDK_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('carries a fingerprint, bounded', () => {
    expect(build({ error: new Error('x'), fingerprint: ['{{ default }}', 'tenant-1'] }).fingerprint).toEqual(['{{ default }}', 'tenant-1']);
    const r = build({ error: new Error('x'), fingerprint: Array.from({ length: 40 }, () => 'p'.repeat(500)) });
    expect(r.fingerprint).toHaveLength(LIMITS.fingerprintParts);
    expect(r.fingerprint![0]!.length).toBe(LIMITS.fingerprintPartChars);
    expect(build({ error: new Error('x'), fingerprint: [] }).fingerprint).toBeUndefined();
    const { proxy: revoked, revoke } = Proxy.revocable(['a'], {});
    revoke();
    expect(build({ error: new Error('x'), fingerprint: revoked }).fingerprint).toBeUndefined();
    const trapAt1 = new Proxy(['a', 'b'], {
      get(target, key, receiver) {
        if (key === '1') throw new Error('trap');
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(build({ error: new Error('x'), fingerprint: trapAt1 }).fingerprint).toEqual(['a']);
  });

  it('takes the context from the scope, redacted', () => {
    const r = build({ error: new Error('x'), scope: { tags: { region: 'eu' }, user: { id: 'u1', token: 't' } }, tags: { attempt: 2 } });
    expect(r.context).toEqual({ tags: { attempt: '2', region: 'eu' }, user: { id: 'u1', token: '[redacted]' } });
  });

  it('never throws on hostile errors: throwing getters, proxies, cycles, BigInt and Symbols', () => {
    const throwing = new Error('x');
    for (const key of ['stack', 'message', 'name', 'code', 'cause', 'errors']) {
      Object.defineProperty(throwing, key, {
        get() {
          throw new Error(key);
        },
      });
    }
    const proxy = new Proxy(new Error('p'), {
      get() {
        throw new Error('trap');
      },
      getPrototypeOf() {
        throw new Error('trap');
      },
    });
    const { proxy: revoked, revoke } = Proxy.revocable(new Error('r'), {});
    revoke();
    const odd = Object.assign(new Error('odd'), { code: Symbol('c') });
    const values: unknown[] = [throwing, proxy, revoked, odd, 10n, Symbol('s'), Object.create(null), () => 1];
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    values.push(cyclic);
    for (const error of values) {
      const r = build({ error, scope: { tags: {}, extra: { cyclic, big: 1n } } });
      expectValid(r);
      expect('json' in serializeReport(r)).toBe(true);
    }
  });

  it('always produces a valid report, whatever it is given (property test)', () => {
    const errorArb = fc.oneof(
      fc.record({
        message: fc.string({ maxLength: 300 }),
        name: fc.oneof(fc.constant('Error'), fc.string({ maxLength: 50 })),
        code: fc.option(fc.oneof(fc.string(), fc.integer(), fc.anything()), { nil: undefined }),
        cause: fc.option(fc.anything(), { nil: undefined }),
        members: fc.option(fc.array(fc.anything(), { maxLength: 40 }), { nil: undefined }),
        stack: fc.option(fc.string({ maxLength: 500 }), { nil: undefined }),
      }).map(({ message, name, code, cause, members, stack }) => {
        const e = members === undefined ? new Error(message, { cause }) : new AggregateError(members, message, { cause });
        e.name = name;
        if (code !== undefined) (e as Error & { code?: unknown }).code = code;
        if (stack !== undefined) e.stack = stack;
        return e;
      }),
      fc.anything(),
    );
    const frameArb = fc.record({
      file: fc.string({ maxLength: 2000 }),
      function: fc.string({ maxLength: 600 }),
      line: fc.option(fc.integer({ min: -5, max: 1e6 }), { nil: undefined }),
      column: fc.option(fc.integer({ min: -5, max: 1e6 }), { nil: undefined }),
    });
    const inputArb = fc.record({
      error: errorArb,
      level: fc.constantFrom('fatal', 'error', 'warning', 'info' as const),
      handled: fc.boolean(),
      scope: fc.option(
        fc.record({
          tags: fc.dictionary(fc.string({ maxLength: 100 }), fc.string({ maxLength: 300 })),
          user: fc.option(fc.anything(), { nil: undefined }),
          request: fc.option(fc.object(), { nil: undefined }),
          extra: fc.option(fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true }), { nil: undefined }),
        }),
        { nil: undefined },
      ),
      tags: fc.option(fc.dictionary(fc.string(), fc.anything()), { nil: undefined }),
      fingerprint: fc.option(fc.array(fc.anything(), { maxLength: 20 }), { nil: undefined }),
      asyncStack: fc.option(
        fc.array(
          fc.record({
            kind: fc.constantFrom('errgroup', 'waitgroup' as const),
            group: fc.string({ maxLength: 300 }),
            task: fc.string({ maxLength: 300 }),
            frames: fc.array(frameArb, { maxLength: 20 }),
          }),
          { maxLength: 40 },
        ),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = buildReport({ ...input, mechanism: 'captureException' } as ReportInput, origin);
        const errors = [...Value.Errors(ReportSchema, r)].map((e) => `${e.path}: ${e.message}`);
        expect(errors).toEqual([]);
        const serialized = serializeReport(r);
        expect('json' in serialized).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
