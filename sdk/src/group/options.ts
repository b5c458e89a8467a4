import { MAX_TIMEOUT_MS } from '../max-timeout.js';
import type { GoOptions } from './task.js';

// Checks of the groups' options: bad input fails at once with the option's name and the limit.
// Timeouts past setTimeout's range are refused rather than misread as 1 ms.

export function nameOption(where: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new TypeError(`${where}: \`name\` must be a string, got ${typeof value}`);
  return value;
}

export function timeoutOption(where: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMEOUT_MS) {
    throw new TypeError(`${where}: \`timeout\` must be a number of ms above 0 and at most ${MAX_TIMEOUT_MS}, got ${shown(value)}`);
  }
  return value;
}

/** Go's SetLimit: a negative limit means none; 0 would block every task forever, so it is refused. */
export function limitOption(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value === 0) {
    throw new TypeError(`${where}: \`limit\` must be a non-zero integer (negative for no limit), got ${shown(value)}`);
  }
  return value < 0 ? Infinity : value;
}

export function booleanOption(where: string, option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${where}: \`${option}\` must be a boolean, got ${typeof value}`);
  return value;
}

export function signalOption(where: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) throw new TypeError(`${where}: \`signal\` must be an AbortSignal`);
  return value;
}

export function functionOption(where: string, option: string, value: unknown): void {
  if (typeof value !== 'function') throw new TypeError(`${where}: \`${option}\` must be a function, got ${typeof value}`);
}

export function objectOption(where: string, option: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw new TypeError(`${where}: \`${option}\` must be an object, got ${value === null ? 'null' : typeof value}`);
  }
}

/** A rejected value, for an error message. */
export function shown(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null
    ? String(value)
    : typeof value === 'string'
      ? JSON.stringify(value)
      : typeof value;
}

/** Checks the arguments of `ErrGroup.go` / `tryGo`. */
export function checkGoOptions(where: string, fn: unknown, goOptions: GoOptions | undefined): void {
  functionOption(where, 'fn', fn);
  if (goOptions === undefined) return;
  const options = goOptions as Readonly<Record<string, unknown>>;
  objectOption(where, 'options', options);
  nameOption(where, options.name, '');
  timeoutOption(where, options.timeout);
  booleanOption(where, 'optional', options.optional, false);
  if (options.compensate !== undefined) functionOption(where, 'compensate', options.compensate);
}
