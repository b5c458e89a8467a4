import { SqliteStore } from '../../src/storage/sqlite-store.js';
import type { PreparedEvent, Store, WriteResult } from '../../src/storage/store.js';

/** A real in-memory SQLite store whose writes wait until `open()` is called; counts transactions. */
export class GatedStore {
  readonly inner = SqliteStore.open(':memory:');
  readonly transactions: number[] = [];
  #release!: () => void;
  #gate = new Promise<void>((resolve) => (this.#release = resolve));
  #fail: Error | undefined;

  open(): void {
    this.#release();
  }

  failWith(error: Error): void {
    this.#fail = error;
  }

  readonly store: Store = new Proxy(this.inner, {
    get: (target, prop, receiver) => {
      if (prop === 'writeEvents') {
        return async (events: readonly PreparedEvent[]): Promise<WriteResult> => {
          await this.#gate;
          this.transactions.push(events.length);
          if (this.#fail) throw this.#fail;
          return target.writeEvents(events);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
