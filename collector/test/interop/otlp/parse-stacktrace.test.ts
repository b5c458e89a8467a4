import { LIMITS } from '@faultline/sdk/schema';
import { describe, expect, it } from 'vitest';
import { parseStacktrace } from '../../../src/interop/otlp/parse-stacktrace.js';
import { STACK } from './otlp-fixtures.js';

describe('parseStacktrace', () => {
  it('parses a V8 stack innermost first, marking in-app frames and async continuations', () => {
    expect(parseStacktrace(STACK)).toEqual([
      { file: '/srv/app/src/pricing.js', function: 'priceOf', line: 14, column: 22, inApp: true },
      { file: '/srv/app/src/quote.js', function: 'quote', line: 8, column: 5, inApp: true, async: true },
      { file: '/srv/app/node_modules/express/lib/router/layer.js', function: 'Layer.handle', line: 95, column: 5, inApp: false },
      { file: 'node:internal/process/task_queues', function: 'process.processTicksAndRejections', line: 95, column: 5, inApp: false },
    ]);
  });

  it('never reads the files it names (no source maps on the collector)', () => {
    // A path that would hang a reader: the frame is kept as written.
    expect(parseStacktrace('Error: x\n    at f (/dev/zero:1:1)')).toEqual([{ file: '/dev/zero', function: 'f', line: 1, column: 1, inApp: true }]);
  });

  it('gives no frames for other languages (Java, Python) and keeps at most the frame limit', () => {
    expect(parseStacktrace('java.lang.IllegalStateException: x\n\tat com.acme.Foo.bar(Foo.java:10)')).toEqual([]);
    expect(parseStacktrace('Traceback (most recent call last):\n  File "app.py", line 3, in <module>\nValueError: x')).toEqual([]);
    const long = ['Error: deep', ...Array.from({ length: 300 }, (_, i) => `    at f${i} (/app/a.js:${i + 1}:1)`)].join('\n');
    expect(parseStacktrace(long)).toHaveLength(LIMITS.framesPerStack);
  });
});
