/**
 * What can end an ErrGroup from outside its tasks: its parent signal aborting, and its deadline. `stop()` removes
 * the listener from the parent signal and clears the timer, so a settled group leaves nothing behind.
 */
export class GroupWatch {
  private parent: AbortSignal | undefined;
  private listener: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** `parent` must not be aborted yet (the group checks that first). */
  constructor(
    parent: AbortSignal | undefined,
    timeout: number | undefined,
    onParentAbort: (reason: unknown) => void,
    onDeadline: () => void,
  ) {
    if (parent !== undefined) {
      const listener = () => onParentAbort(parent.reason);
      parent.addEventListener('abort', listener, { once: true });
      this.parent = parent;
      this.listener = listener;
    }
    if (timeout !== undefined) {
      // Unref'd until someone awaits the group (see hold()): a group nobody waits on never holds the process.
      this.timer = setTimeout(onDeadline, timeout);
      this.timer.unref();
    }
  }

  /** Someone awaits the group: from now on its deadline keeps the process alive, so `wait()` settles. */
  hold(): void {
    this.timer?.ref();
  }

  stop(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.parent !== undefined) {
      this.parent.removeEventListener('abort', this.listener!);
      this.parent = undefined;
      this.listener = undefined;
    }
  }
}
