/** What a scope carries: the data a report made inside it would hold as `context`. Never mutated in place. */
export interface ScopeData {
  readonly tags: Readonly<Record<string, string>>;
  readonly user?: Readonly<Record<string, unknown>>;
  readonly request?: Readonly<Record<string, unknown>>;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export const EMPTY_SCOPE_DATA: ScopeData = Object.freeze({ tags: Object.freeze({}) });
