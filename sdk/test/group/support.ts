// Helpers shared by the group and scope tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setCaptureSink, type FailureCapture } from '../../src/capture/sink.js';

/** The 1-based line of `file` (a module URL) that carries the comment `// @line:<tag>`. */
export function lineOf(fileUrl: string, tag: string): number {
  const lines = readFileSync(fileURLToPath(fileUrl), 'utf8').split('\n');
  const matches = lines.flatMap((text, i) => (text.includes(`// @line:${tag}`) ? [i + 1] : []));
  if (matches.length !== 1) throw new Error(`expected one line tagged ${tag}, found ${matches.length}`);
  return matches[0]!;
}

/** A promise settled from outside. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending microtask and timer-free callback run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

let gcFn: (() => void) | undefined;

/** A full garbage collection, without starting the test process with --expose-gc. */
export function gc(): void {
  if (gcFn === undefined) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
}

/** Collects until `ref` is cleared or `rounds` collections passed; WeakRefs only clear between jobs. */
export async function collected(ref: WeakRef<object>, rounds = 10): Promise<boolean> {
  for (let i = 0; i < rounds && ref.deref() !== undefined; i++) {
    await tick();
    gc();
  }
  await tick();
  return ref.deref() === undefined;
}

/** Installs a capture sink that records every failure handed to the client; `stop()` removes it. */
export function recordCaptures(): { captures: FailureCapture[]; stop: () => void } {
  const captures: FailureCapture[] = [];
  setCaptureSink((capture) => captures.push(capture));
  return { captures, stop: () => setCaptureSink(undefined) };
}
