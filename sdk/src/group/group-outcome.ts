import { GroupError } from '../errors.js';
import { attachCompensationErrors } from './compensation.js';
import { ErrorLog } from './error-log.js';

/**
 * What an ErrGroup's `wait()` will say: the failures that fail the group (the first, in fail-fast mode; all, in
 * collect mode), or the parent's reason when the group was cancelled from outside; plus every failure for
 * `g.errors`, and the compensations' failures.
 */
export class GroupOutcome {
  readonly errors = new ErrorLog();
  private first: Error | undefined = undefined;
  private all: Error[] | undefined = undefined;
  private outside: { readonly reason: unknown } | undefined = undefined;
  private compensationErrors: Error[] | undefined = undefined;

  constructor(
    private readonly group: string,
    private readonly failFast: boolean,
  ) {}

  /** Whether compensations are due: a failure failed the group, or it was cancelled from outside. */
  get failed(): boolean {
    return this.first !== undefined || this.outside !== undefined;
  }

  /** Records a failure that fails the group; returns true for the first one (fail-fast aborts then). */
  fail(error: Error): boolean {
    if (!this.failFast) (this.all ??= []).push(error);
    if (this.first !== undefined) return false;
    this.first = error;
    return true;
  }

  cancel(reason: unknown): void {
    this.outside ??= { reason };
  }

  compensationFailed(error: Error): void {
    (this.compensationErrors ??= []).push(error);
  }

  /** The rejection of `wait()`, or undefined when it resolves. */
  rejection(): unknown {
    // A parent's reason is shared by every group it cancels (and may be another group's error): it is left as
    // it is, and this group's compensation failures stay on its g.errors.
    if (this.outside !== undefined) return this.outside.reason;
    const reason = this.all === undefined ? this.first : new GroupError(this.group, this.all);
    if (reason !== undefined && this.compensationErrors !== undefined) attachCompensationErrors(reason, this.compensationErrors);
    return reason;
  }
}
