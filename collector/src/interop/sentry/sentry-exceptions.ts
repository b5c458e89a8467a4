import { LIMITS, type Frame, type LinkedError } from '@faultline/sdk/schema';
import { truncate } from '@faultline/sdk/interop';
import { record } from '../report-fields.js';
import { sentryFrames } from './sentry-frames.js';

/** The error of a Sentry event with an exception, as report fields. */
export interface SentryError {
  type: string;
  message: string;
  frames: Frame[];
  handled: boolean;
  causes?: LinkedError[];
  errors?: LinkedError[];
}

const AGGREGATE_SOURCE = /^errors\[(\d+)\]$/;

type Value = Record<string, unknown>;

function exceptionType(e: Value): string {
  return truncate(typeof e.type === 'string' && e.type !== '' ? e.type : 'Error', LIMITS.typeChars);
}

function exceptionValue(e: Value): string {
  return truncate(typeof e.value === 'string' ? e.value : '', LIMITS.messageChars);
}

function linked(e: Value): LinkedError {
  return { type: exceptionType(e), message: exceptionValue(e), frames: sentryFrames(e.stacktrace) };
}

function mechanismOf(e: Value): Value | undefined {
  return record(e.mechanism);
}

/** Causes and aggregated members from the tree Sentry's linked-errors integration writes (`exception_id`/`parent_id`). */
function fromTree(values: readonly Value[], topId: number): { causes: Value[]; errors: Value[] } {
  const causes: Value[] = [];
  const seen = new Set<number>([topId]);
  let current = topId;
  while (causes.length < LIMITS.causes) {
    const next = values.find((v) => {
      const m = mechanismOf(v);
      return m?.parent_id === current && (m.source === undefined || m.source === 'cause');
    });
    const id = next === undefined ? undefined : mechanismOf(next)?.exception_id;
    if (next === undefined || typeof id !== 'number' || seen.has(id)) break;
    seen.add(id);
    causes.push(next);
    current = id;
  }
  const members: [number, Value][] = [];
  for (const v of values) {
    const m = mechanismOf(v);
    const index = m?.parent_id === topId && typeof m.source === 'string' ? AGGREGATE_SOURCE.exec(m.source)?.[1] : undefined;
    if (index !== undefined) members.push([Number(index), v]);
  }
  members.sort((a, b) => a[0] - b[0]);
  return { causes, errors: members.slice(0, LIMITS.aggregatedErrors).map(([, v]) => v) };
}

/**
 * The error of `exception.values`: Sentry lists a chain oldest first, so the last value is the error and the ones
 * before it are its causes (nearest first in the report). When the values carry Sentry's exception tree
 * (`mechanism.exception_id`/`parent_id`), the causes are the `cause` links from the error down, and the members
 * of an `AggregateError` (`source: "errors[i]"` under the error) become `errors`. Undefined without an exception.
 */
export function sentryError(exception: unknown): SentryError | undefined {
  const container = record(exception);
  const raw = Array.isArray(exception) ? exception : Array.isArray(container?.values) ? container.values : undefined;
  if (raw === undefined) return undefined;
  const values = raw.map(record).filter((v): v is Value => v !== undefined);
  const top = values[values.length - 1];
  if (top === undefined) return undefined;
  const mechanism = mechanismOf(top);
  const topId = mechanism?.exception_id;
  const rest = values.slice(0, -1);
  const tree = typeof topId === 'number' && rest.every((v) => typeof mechanismOf(v)?.exception_id === 'number');
  const { causes, errors } = tree ? fromTree(rest, topId) : { causes: rest.reverse().slice(0, LIMITS.causes), errors: [] };
  const out: SentryError = {
    type: exceptionType(top),
    message: exceptionValue(top),
    frames: sentryFrames(top.stacktrace),
    handled: mechanism?.handled !== false,
  };
  if (causes.length > 0) out.causes = causes.map(linked);
  if (errors.length > 0) out.errors = errors.map(linked);
  return out;
}
