import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/report/limits.js';
import { parseForeignStack } from '../../src/report/stack-frames.js';

const STACK = [
  'TypeError: Cannot read properties of undefined (reading "sku")',
  '    at priceOf (/srv/app/src/pricing.js:14:22)',
  '    at async Promise.all (index 0)',
  '    at async quote (/srv/app/src/quote.js:8:5)',
  '    at Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
].join('\n');

describe('parseForeignStack', () => {
  it('parses a V8 stack from another process innermost first, marking in-app frames and async continuations', () => {
    expect(parseForeignStack(STACK)).toEqual([
      { file: '/srv/app/src/pricing.js', function: 'priceOf', line: 14, column: 22, inApp: true },
      { file: '<native>', function: 'Promise.all (index 0)', inApp: false, async: true },
      { file: '/srv/app/src/quote.js', function: 'quote', line: 8, column: 5, inApp: true, async: true },
      { file: '/srv/app/node_modules/express/lib/router/layer.js', function: 'Layer.handle', line: 95, column: 5, inApp: false },
      { file: 'node:internal/process/task_queues', function: 'process.processTicksAndRejections', line: 95, column: 5, inApp: false },
    ]);
  });

  it('never reads the files it names (no source maps for a sender’s paths)', () => {
    // A path that would hang a reader: the frame is kept as written.
    expect(parseForeignStack('Error: x\n    at f (/dev/zero:1:1)')).toEqual([{ file: '/dev/zero', function: 'f', line: 1, column: 1, inApp: true }]);
  });

  it('gives no frames for other languages (Java, Python) and keeps at most the frame limit', () => {
    expect(parseForeignStack('java.lang.IllegalStateException: x\n\tat com.acme.Foo.bar(Foo.java:10)')).toEqual([]);
    expect(parseForeignStack('Traceback (most recent call last):\n  File "app.py", line 3, in <module>\nValueError: x')).toEqual([]);
    const long = ['Error: deep', ...Array.from({ length: 300 }, (_, i) => `    at f${i} (/app/a.js:${i + 1}:1)`)].join('\n');
    expect(parseForeignStack(long)).toHaveLength(LIMITS.framesPerStack);
  });
});
