// Public API of @faultline/sdk. Each name is re-exported explicitly; anything not listed here is internal.
export type { ScopeData } from './scope/scope-data.js';
export { ErrGroup } from './group/err-group.js';
export type { ErrGroupOptions } from './group/err-group.js';
export type { GoOptions, TaskContext } from './group/task.js';
export { WaitGroup } from './group/wait-group.js';
export type { WaitGroupOptions, WaitOptions } from './group/wait-group.js';
export type { SpawnStacks } from './group/defaults.js';
export { withScope, setTag, setTags, setUser, setContext, currentScope, currentSignal } from './scope/scope.js';
export type { ScopeInput, TagValue } from './scope/scope.js';
export { asyncStackOf } from './scope/async-stack.js';
export type { SpawnChainEntry } from './scope/async-stack.js';
export {
  DeadlineExceededError,
  GroupError,
  GroupClosedError,
  GroupLimitError,
  NegativeCounterError,
  WaitTimeoutError,
  NonErrorThrownError,
  ERROR_CODES,
} from './errors.js';
export type { SiteFrame, PendingTask } from './errors.js';
export { init, captureException, flush, close } from './client/init.js';
export type { InitOptions } from './client/options.js';
export type { CaptureOptions } from './client/client.js';
export type { DiagnosticLogger } from './client/diagnostics.js';
export type { DropReason } from './transport/drop-counter.js';
export type { OtlpOptions } from './transport/otlp-options.js';
export { pinoIntegration } from './integrations/pino.js';
export type { PinoIntegrationOptions, PinoHooks } from './integrations/pino.js';
