import { parse } from 'stacktrace-parser';
import { LIMITS } from './limits.js';
import type { Frame } from './schema.js';
import { mapPosition } from './source-map.js';
import { truncate } from './truncate.js';

const NATIVE_FILE = '<native>';
// The SDK's own code (src/ when run from source, dist/ when installed or built) is never the application's:
// a deadline raised by a group timer must not make the SDK the culprit of the report.
const SDK_ROOT = new URL('../../', import.meta.url);
const SDK_DIRS = ['src/', 'dist/'].flatMap((dir) => {
  const url = new URL(dir, SDK_ROOT);
  return [url.href, url.pathname];
});
// stacktrace-parser drops these lines; V8 writes them for each awaited member of a promise combinator.
const PROMISE_COMBINATOR = /^\s*at async (Promise\.\w+) \(index (\d+)\)\s*$/;
const ASYNC_PREFIX = /^(\s*at )async /;
const CACHE_ENTRIES = 512;
// Bounds what the keys hold, whatever the stacks look like; longer stacks are parsed every time.
const CACHE_CHARS = 2 * 1024 * 1024;
const CACHEABLE_CHARS = 16 * 1024;

// Errors made at the same place have the same stack below their first line: parse (and map) once.
const cache = new Map<string, readonly Frame[]>();
let cachedChars = 0;

/**
 * The frames of a V8 stack string, innermost first, source-mapped, at most `LIMITS.framesPerStack`.
 * `header` is the error's first line(s) (`Name: message`); when the stack starts with it, it is skipped, so
 * a message that contains `at ...` lines is never read as frames. The result is shared: do not mutate it.
 */
export function parseStack(stack: string, header?: string): readonly Frame[] {
  let body = stack;
  if (header !== undefined && header !== '' && stack.startsWith(header)) body = stack.slice(header.length);
  const hit = cache.get(body);
  if (hit !== undefined) return hit;
  const frames = parseLines(body);
  if (body.length > CACHEABLE_CHARS) return frames;
  while (cache.size >= CACHE_ENTRIES || (cache.size > 0 && cachedChars + body.length > CACHE_CHARS)) {
    const oldest = cache.keys().next().value as string;
    cache.delete(oldest);
    cachedChars -= oldest.length;
  }
  cache.set(body, frames);
  cachedChars += body.length;
  return frames;
}

/**
 * The frames of a stack string that came from another process (an OTLP `exception.stacktrace`, say), innermost
 * first: never source-mapped, since its paths name the sender's files, not this machine's. Lines that are not V8
 * frames (another language's trace) give none.
 */
export function parseForeignStack(stack: string): Frame[] {
  // Enough text for the most frames a report keeps; a larger trace is not split whole.
  return [...parseLines(stack.slice(0, FOREIGN_STACK_CHARS), false)];
}

const FOREIGN_STACK_CHARS = 256 * 1024;

function parseLines(body: string, mapSources = true): readonly Frame[] {
  const frames: Frame[] = [];
  let start = 0;
  while (start < body.length && frames.length < LIMITS.framesPerStack) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = body.length;
    const line = body.slice(start, end);
    start = end + 1;
    const frame = parseLine(line, mapSources);
    if (frame !== undefined) frames.push(frame);
  }
  return Object.freeze(frames);
}

function parseLine(line: string, mapSources: boolean): Frame | undefined {
  if (!/^\s*at /.test(line)) return undefined;
  const combinator = PROMISE_COMBINATOR.exec(line);
  if (combinator !== null) {
    return Object.freeze({ file: NATIVE_FILE, function: `${combinator[1]} (index ${combinator[2]})`, inApp: false, async: true });
  }
  // `at async fn (file:1:2)` and, for anonymous async functions, `at async file:1:2`.
  const asyncPrefix = ASYNC_PREFIX.exec(line);
  const text = asyncPrefix === null ? line : asyncPrefix[1]! + line.slice(asyncPrefix[0].length);
  const parsed = parse(text)[0];
  // A Java line (`at pkg.Class.method(File.java:10)`) parses into a file with a parenthesis: not a V8 frame.
  if (parsed === undefined || parsed.file?.includes('(') === true) return undefined;
  const fn = parsed.methodName === '<unknown>' ? '<anonymous>' : parsed.methodName;
  return makeFrame(parsed.file ?? NATIVE_FILE, fn, parsed.lineNumber ?? undefined, parsed.column ?? undefined, asyncPrefix !== null, mapSources);
}

/**
 * One report frame: `inApp` decided, source-mapped when the file has a map, strings cut to their limits.
 * Also used for the frames of spawn sites, which come from V8 call sites rather than a stack string.
 */
export function makeFrame(
  file: string,
  fn: string,
  line: number | undefined,
  column: number | undefined,
  isAsync = false,
  mapSources = true,
): Frame {
  const inApp = isInApp(file, line);
  let outFile = file;
  let outLine = line;
  let outColumn = column;
  if (mapSources && inApp && line !== undefined && column !== undefined) {
    const mapped = mapPosition({ file, line, column });
    if (mapped !== undefined) {
      outFile = mapped.file;
      outLine = mapped.line;
      outColumn = mapped.column;
    }
  }
  const frame: Frame = {
    file: truncate(outFile, LIMITS.frameFileChars),
    function: truncate(fn, LIMITS.frameFunctionChars),
    inApp,
  };
  if (outLine !== undefined) frame.line = outLine;
  if (outColumn !== undefined) frame.column = outColumn;
  if (isAsync) frame.async = true;
  return Object.freeze(frame);
}

/** Application code, as opposed to Node internals, dependencies (`node_modules`) and native frames. */
export function isInApp(file: string, line: number | undefined): boolean {
  if (line === undefined) return false;
  if (file.startsWith('node:') || file.startsWith('internal/')) return false;
  if (file === NATIVE_FILE || file === '<anonymous>' || file === 'native') return false;
  if (SDK_DIRS.some((dir) => file.startsWith(dir))) return false;
  return !file.includes('/node_modules/') && !file.includes('\\node_modules\\');
}
