/** Failures of a group, each once (by identity), in order of occurrence. */
export class ErrorLog {
  private readonly list: Error[] = [];
  // Identity checks stay O(1) once a collect-mode group gathers many failures.
  private set: Set<Error> | undefined = undefined;

  /** Adds `error` unless it is already there; returns whether it was added. */
  add(error: Error): boolean {
    if (this.set !== undefined) {
      if (this.set.has(error)) return false;
      this.set.add(error);
    } else {
      if (this.list.includes(error)) return false;
      if (this.list.length >= 8) this.set = new Set([...this.list, error]);
    }
    this.list.push(error);
    return true;
  }

  /** A copy, so callers cannot change the log. */
  toArray(): Error[] {
    return this.list.slice();
  }
}
