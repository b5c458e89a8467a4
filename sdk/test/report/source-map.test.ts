import fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mapPosition } from '../../src/report/source-map.js';
import { parseStack } from '../../src/report/stack-frames.js';

// Types and comments vanish in the JavaScript, so the generated lines differ from the TypeScript ones.
const SOURCE = `interface Order {
  id: string;
  total: number;
}

type Reason = 'declined' | 'timeout';

/** Charges an order. */
export function charge(order: Order): never {
  const reason: Reason = order.total > 100 ? 'declined' : 'timeout';
  throw new Error(\`payment \${reason} for \${order.id}\`);
}

export function refund(order: Order): never {
  throw new Error('refund failed ' + order.id);
}
`;
const THROW_LINE = 11; // the line of `throw` in charge, 1-based
const REFUND_LINE = 15;

let dir: string;

function compile(name: string, inline: boolean): { jsPath: string; exports: Record<string, (o: unknown) => never> } {
  const out = ts.transpileModule(SOURCE, {
    fileName: `${name}.ts`,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      ...(inline ? { inlineSourceMap: true } : { sourceMap: true }),
    },
  });
  const jsPath = join(dir, `${name}.js`);
  writeFileSync(join(dir, `${name}.ts`), SOURCE);
  writeFileSync(jsPath, out.outputText);
  if (out.sourceMapText !== undefined) writeFileSync(join(dir, `${name}.js.map`), out.sourceMapText);
  // compileFunction adds no wrapper lines, so V8 reports the file's own positions (and Node maps nothing).
  const exports: Record<string, (o: unknown) => never> = {};
  vm.compileFunction(out.outputText, ['exports', 'require'], { filename: jsPath })(exports, () => ({}));
  return { jsPath, exports };
}

function stackOf(fn: () => never): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).stack!;
  }
  throw new Error('did not throw');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-sourcemap-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('source maps', () => {
  it('maps frames of a compiled TypeScript file to the .ts lines (map file)', () => {
    const { jsPath, exports } = compile('order', false);
    const stack = stackOf(() => exports.charge!({ id: 'o-1', total: 500 }));
    expect(stack).toContain(`${jsPath}:`); // V8 reports the generated file
    const [top] = parseStack(stack);
    expect(top!.file).toBe(join(dir, 'order.ts'));
    expect(top!.line).toBe(THROW_LINE);
    expect(top!.function).toMatch(/charge$/);
    expect(top!.inApp).toBe(true);
  });

  it('maps frames through an inline (data URL) source map', () => {
    const { exports } = compile('inline', true);
    const [top] = parseStack(stackOf(() => exports.refund!({ id: 'o-2', total: 1 })));
    expect(top!.file).toBe(join(dir, 'inline.ts'));
    expect(top!.line).toBe(REFUND_LINE);
  });

  it('maps file:// URLs, as ES module frames carry them', () => {
    const { jsPath, exports } = compile('esm', false);
    const stack = stackOf(() => exports.charge!({ id: 'o-3', total: 5 }));
    const url = pathToFileURL(jsPath).href;
    const [top] = parseStack(stack.split(jsPath).join(url));
    expect(top!.file).toBe(pathToFileURL(join(dir, 'esm.ts')).href);
    expect(top!.line).toBe(THROW_LINE);
  });

  it('reads each file once: the map (or its absence) is cached per file', () => {
    const { jsPath, exports } = compile('cached', false);
    parseStack(stackOf(() => exports.charge!({ id: 'o-4', total: 1 })));
    const reads = vi.spyOn(fs, 'readFileSync');
    try {
      const [top] = parseStack(stackOf(() => exports.refund!({ id: 'o-5', total: 1 })));
      expect(top!.line).toBe(REFUND_LINE);
      expect(reads.mock.calls.filter(([p]) => String(p).startsWith(dir))).toEqual([]);
    } finally {
      reads.mockRestore();
    }
    expect(jsPath).toContain(dir);
  });

  it('leaves frames of files without a source map as they are', () => {
    const plain = join(dir, 'plain.js');
    writeFileSync(plain, 'exports.f = function f() { throw new Error("x"); };\n');
    const exports: Record<string, () => never> = {};
    vm.compileFunction('exports.f = function f() { throw new Error("x"); };\n', ['exports'], { filename: plain })(exports);
    const [top] = parseStack(stackOf(() => exports.f!()));
    expect(top!.file).toBe(plain);
    expect(top!.line).toBe(1);
    expect(mapPosition({ file: plain, line: 1, column: 1 })).toBeUndefined();
  });

  it('does not replace Error.prepareStackTrace', () => {
    const before = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
    const { exports } = compile('global', false);
    parseStack(stackOf(() => exports.charge!({ id: 'o-6', total: 1 })));
    expect(Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace')).toEqual(before);
  });
});
