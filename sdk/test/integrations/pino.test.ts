import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setCaptureSink, type FailureCapture } from '../../src/capture/sink.js';
import { Diagnostics } from '../../src/client/diagnostics.js';
import { pinoIntegration, type PinoIntegrationOptions } from '../../src/integrations/pino.js';
import { withScope } from '../../src/scope/scope.js';

let captured: FailureCapture[];
let lines: Record<string, unknown>[];

beforeEach(() => {
  captured = [];
  lines = [];
  setCaptureSink((c) => captured.push(c));
});

afterEach(() => {
  setCaptureSink(undefined);
});

function logger(options: PinoIntegrationOptions = {}): pino.Logger {
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ hooks: pinoIntegration(options) }, out);
}

describe('pinoIntegration', () => {
  it.each<[unknown]>([['warning'], ['info'], ['toString'], [Number.NaN]])(
    'throws a TypeError naming `level` and the allowed values for the unknown level %s',
    (level) => {
      expect(() => pinoIntegration({ level } as PinoIntegrationOptions)).toThrow(TypeError);
      expect(() => pinoIntegration({ level } as PinoIntegrationOptions)).toThrow(/`level` must be 'warn', 'error', 'fatal' or a pino level number/);
    },
  );

  it('turns logger.error({ err }, msg) into a report with mechanism logger', () => {
    const err = new Error('db timeout');
    logger().error({ err, orderId: 42 }, 'order failed');
    expect(captured).toHaveLength(1);
    expect(captured[0]).toMatchObject({ error: err, level: 'error', handled: true, mechanism: 'logger' });
    expect(captured[0]!.scope!.extra).toEqual({ log: { msg: 'order failed', orderId: 42 } });
  });

  it('keeps the log line as it was', () => {
    logger().error({ err: new Error('db timeout'), orderId: 42 }, 'order failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'order failed', orderId: 42, err: { type: 'Error', message: 'db timeout' } });
  });

  it("carries the logger's bindings as context", () => {
    logger().child({ requestId: 'r-1', module: 'billing' }).error({ err: new Error('x') }, 'failed');
    expect(captured[0]!.scope!.extra).toEqual({ log: { msg: 'failed', requestId: 'r-1', module: 'billing' } });
  });

  it('keeps the scope where the log call was made', () => {
    withScope({ tags: { tenant: 't1' }, extra: { attempt: 3 } }, () => {
      logger().error({ err: new Error('x') }, 'failed');
    });
    expect(captured[0]!.scope).toMatchObject({ tags: { tenant: 't1' }, extra: { attempt: 3, log: { msg: 'failed' } } });
  });

  it('accepts the error as the first argument', () => {
    const err = new TypeError('bad');
    logger().error(err, 'with message');
    logger().error(err);
    expect(captured.map((c) => c.error)).toEqual([err, err]);
    expect(captured[0]!.scope!.extra).toEqual({ log: { msg: 'with message' } });
  });

  it('reports pino fatal as level fatal', () => {
    logger().fatal({ err: new Error('dying') }, 'bye');
    expect(captured[0]!.level).toBe('fatal');
  });

  it('ignores records without an error, and levels below the threshold', () => {
    const log = logger();
    log.error('no error here');
    log.error({ orderId: 1 }, 'still none');
    log.warn({ err: new Error('only a warning') }, 'warned');
    expect(captured).toEqual([]);
    expect(lines).toHaveLength(3);
  });

  it('reports warnings too when its level is lowered', () => {
    logger({ level: 'warn' }).warn({ err: new Error('flaky') }, 'retrying');
    expect(captured[0]!.level).toBe('warning');
  });

  it('honours a custom errorKey', () => {
    logger({ errorKey: 'error' }).error({ error: new Error('custom key') }, 'failed');
    expect(captured[0]!.error.message).toBe('custom key');
  });

  it("never reports the SDK's own diagnostics logged through the application's logger", () => {
    const log = logger({ level: 'warn' });
    new Diagnostics(log).warn({ err: new Error('transport fault') }, 'faultline: internal transport fault');
    expect(captured).toEqual([]);
    expect(lines).toHaveLength(1);
  });

  it('still writes the log line when making the report fails', () => {
    setCaptureSink(() => {
      throw new Error('sink broke');
    });
    expect(() => logger().error({ err: new Error('x') }, 'logged anyway')).not.toThrow();
    expect(lines[0]).toMatchObject({ msg: 'logged anyway' });
  });
});
