// Public API of @faultline/sdk. Each name is re-exported explicitly; anything not listed here is internal.
export type { ScopeData } from './scope/scope-data.js';
export { init, captureException, flush, close } from './client/init.js';
export type { InitOptions } from './client/options.js';
export type { CaptureOptions } from './client/client.js';
export type { DiagnosticLogger } from './client/diagnostics.js';
export type { DropReason } from './transport/drop-counter.js';
export { pinoIntegration } from './integrations/pino.js';
export type { PinoIntegrationOptions, PinoHooks } from './integrations/pino.js';
