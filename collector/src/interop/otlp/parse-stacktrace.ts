import { LIMITS, type Frame } from '@faultline/sdk/schema';
import { isInApp, truncate } from '@faultline/sdk/interop';
import { parse } from 'stacktrace-parser';

const FRAME_LINE = /^\s*at /;
const ASYNC_PREFIX = /^(\s*at )async /;
const NATIVE_FILE = '<native>';
const MAX_PARSED_CHARS = 256 * 1024;

/**
 * Frames of a V8 stack string (`exception.stacktrace` from a Node.js exporter), innermost first, at most
 * `LIMITS.framesPerStack`; other languages' traces give none (the string itself is kept as the report's `stack`).
 * Unlike the SDK's parser it never maps through source maps: the paths are the sender's, not files of the collector.
 */
export function parseStacktrace(stack: string): Frame[] {
  const frames: Frame[] = [];
  // Enough text for the most frames a report keeps; a larger trace is not split whole.
  for (const line of stack.slice(0, MAX_PARSED_CHARS).split('\n')) {
    if (frames.length >= LIMITS.framesPerStack) break;
    if (!FRAME_LINE.test(line)) continue;
    const asyncPrefix = ASYNC_PREFIX.exec(line);
    const parsed = parse(asyncPrefix === null ? line : asyncPrefix[1]! + line.slice(asyncPrefix[0].length))[0];
    // A Java line (`at pkg.Class.method(File.java:10)`) parses into a file with a parenthesis: not a V8 frame.
    if (parsed === undefined || parsed.file?.includes('(') === true) continue;
    const file = parsed.file ?? NATIVE_FILE;
    const line_ = parsed.lineNumber ?? undefined;
    const frame: Frame = {
      file: truncate(file, LIMITS.frameFileChars),
      function: truncate(parsed.methodName === '<unknown>' ? '<anonymous>' : parsed.methodName, LIMITS.frameFunctionChars),
      inApp: isInApp(file, line_),
    };
    if (line_ !== undefined) frame.line = line_;
    if (parsed.column !== null) frame.column = parsed.column;
    if (asyncPrefix !== null) frame.async = true;
    frames.push(frame);
  }
  return frames;
}
