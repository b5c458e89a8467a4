import { currentContext, storage, type Context } from './context.js';
import type { ScopeData } from './scope-data.js';
import type { SpawnLink } from './spawn-chain.js';

export type TagValue = string | number | boolean;

/** What `withScope` adds to the current scope. */
export interface ScopeInput {
  /** Merged onto the current tags; values become strings. */
  readonly tags?: Readonly<Record<string, TagValue>>;
  /** Replaces the current user. */
  readonly user?: Readonly<Record<string, unknown>>;
  /** Replaces the current request. */
  readonly request?: Readonly<Record<string, unknown>>;
  /** Merged onto the current extra context. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

// A withScope frame: its own scope; signal and spawn chain are those of the code around it.
class ScopeFrame implements Context {
  constructor(
    public scope: ScopeData,
    private readonly outer: Context,
  ) {}

  get signal(): AbortSignal | undefined {
    return this.outer.signal;
  }

  get link(): SpawnLink | undefined {
    return this.outer.link;
  }
}

/**
 * Runs `fn` in a child scope: `data` merged onto the current scope. Tags set inside stay inside; tasks spawned
 * inside inherit them. Returns what `fn` returns.
 *
 * @example
 * app.use((req, res, next) => withScope({ tags: { route: req.path }, request: { method: req.method } }, next));
 */
export function withScope<T>(data: ScopeInput, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('withScope: `fn` must be a function');
  const outer = currentContext();
  return storage.run(new ScopeFrame(mergeScope(outer.scope, data), outer), fn);
}

/** Sets one tag on the current scope only (copy-on-write: scopes around it and running siblings are unchanged). */
export function setTag(key: string, value: TagValue): void {
  checkKey('setTag', key);
  const ctx = currentContext();
  ctx.scope = freezeScope({ ...ctx.scope, tags: Object.freeze({ ...ctx.scope.tags, [key]: tagString('setTag', key, value) }) });
}

/** Sets several tags on the current scope only. */
export function setTags(tags: Readonly<Record<string, TagValue>>): void {
  const ctx = currentContext();
  ctx.scope = freezeScope({ ...ctx.scope, tags: mergeTags('setTags', ctx.scope.tags, tags) });
}

/** Sets (or, with `null`, clears) the user of the current scope. */
export function setUser(user: Readonly<Record<string, unknown>> | null): void {
  if (user !== null && !isRecord(user)) throw new TypeError('setUser: `user` must be an object or null');
  const ctx = currentContext();
  const { user: _old, ...rest } = ctx.scope;
  ctx.scope = freezeScope(user === null ? rest : { ...rest, user: Object.freeze({ ...user }) });
}

/** Sets (or, with `undefined` or `null`, removes) `extra[key]` of the current scope. */
export function setContext(key: string, value: unknown): void {
  checkKey('setContext', key);
  const ctx = currentContext();
  const extra: Record<string, unknown> = { ...ctx.scope.extra };
  if (value === undefined || value === null) delete extra[key];
  else extra[key] = value;
  ctx.scope = freezeScope({ ...ctx.scope, extra: Object.freeze(extra) });
}

/** What a report made here would carry as its context. */
export function currentScope(): ScopeData {
  return currentContext().scope;
}

/** The signal of the nearest enclosing group task (aborts when the task should stop); undefined outside tasks. */
export function currentSignal(): AbortSignal | undefined {
  return currentContext().signal;
}

function mergeScope(scope: ScopeData, data: ScopeInput): ScopeData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError('withScope: `data` must be an object ({ tags?, user?, request?, extra? })');
  }
  const out: { -readonly [K in keyof ScopeData]: ScopeData[K] } = { ...scope };
  if (data.tags !== undefined) out.tags = mergeTags('withScope', scope.tags, data.tags);
  if (data.user !== undefined) out.user = Object.freeze({ ...recordOption('user', data.user) });
  if (data.request !== undefined) out.request = Object.freeze({ ...recordOption('request', data.request) });
  if (data.extra !== undefined) out.extra = Object.freeze({ ...scope.extra, ...recordOption('extra', data.extra) });
  return freezeScope(out);
}

function mergeTags(
  where: string,
  tags: Readonly<Record<string, string>>,
  more: Readonly<Record<string, TagValue>>,
): Readonly<Record<string, string>> {
  if (!isRecord(more)) throw new TypeError(`${where}: \`tags\` must be an object of string, number or boolean values`);
  const out: Record<string, string> = { ...tags };
  for (const key of Object.keys(more)) out[key] = tagString(where, key, more[key]);
  return Object.freeze(out);
}

function tagString(where: string, key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TypeError(`${where}: tag '${key}' must be a string, number or boolean, got ${value === null ? 'null' : typeof value}`);
}

function recordOption(name: string, value: unknown): Readonly<Record<string, unknown>> {
  if (!isRecord(value)) throw new TypeError(`withScope: \`${name}\` must be an object`);
  return value;
}

function checkKey(where: string, key: unknown): void {
  if (typeof key !== 'string' || key === '') throw new TypeError(`${where}: \`key\` must be a non-empty string`);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function freezeScope(scope: ScopeData): ScopeData {
  return Object.freeze(scope);
}
