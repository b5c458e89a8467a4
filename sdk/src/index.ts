// Public API of @faultline/sdk. Each name is re-exported explicitly; anything not listed here is internal.
export type { ScopeData } from './scope/scope-data.js';
