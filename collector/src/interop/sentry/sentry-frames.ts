import { LIMITS, type Frame } from '@faultline/sdk/schema';
import { isInApp, truncate } from '@faultline/sdk/interop';
import { record } from '../report-fields.js';

const UNKNOWN_FILE = '<unknown>';

function position(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

function frameOf(value: unknown): Frame | undefined {
  const f = record(value);
  if (f === undefined) return undefined;
  const path = [f.abs_path, f.filename, f.module].find((v): v is string => typeof v === 'string' && v !== '');
  const file = path ?? UNKNOWN_FILE;
  const fn = typeof f.function === 'string' && f.function !== '' && f.function !== '?' ? f.function : '<anonymous>';
  const line = position(f.lineno);
  const column = position(f.colno);
  const frame: Frame = {
    file: truncate(file, LIMITS.frameFileChars),
    function: truncate(fn, LIMITS.frameFunctionChars),
    // Sentry's SDK decided `in_app`; a frame without it is judged as the faultline SDK judges its own.
    inApp: typeof f.in_app === 'boolean' ? f.in_app : isInApp(file, line),
  };
  if (line !== undefined) frame.line = line;
  if (column !== undefined) frame.column = column;
  return frame;
}

/**
 * The frames of a Sentry `stacktrace` (`{ frames: [...] }`, oldest call first) as report frames: innermost first,
 * `in_app` kept, at most `LIMITS.framesPerStack` (the innermost ones).
 */
export function sentryFrames(stacktrace: unknown): Frame[] {
  const frames = record(stacktrace)?.frames;
  if (!Array.isArray(frames)) return [];
  const out: Frame[] = [];
  for (let i = frames.length - 1; i >= 0 && out.length < LIMITS.framesPerStack; i--) {
    const frame = frameOf(frames[i]);
    if (frame !== undefined) out.push(frame);
  }
  return out;
}
