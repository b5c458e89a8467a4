/** A fixed-capacity FIFO over a circular array: O(1) at both ends, no shifting. */
export class RingQueue<T> {
  readonly #items: (T | undefined)[];
  #head = 0;
  #length = 0;

  constructor(readonly capacity: number) {
    this.#items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Adds at the back; when full, removes and returns the oldest item to make room. */
  push(item: T): T | undefined {
    let evicted: T | undefined;
    if (this.#length === this.capacity) evicted = this.shift();
    this.#items[(this.#head + this.#length) % this.capacity] = item;
    this.#length++;
    return evicted;
  }

  /** Puts an item back at the front; when full, the item itself is returned as not kept. */
  unshift(item: T): T | undefined {
    if (this.#length === this.capacity) return item;
    this.#head = (this.#head - 1 + this.capacity) % this.capacity;
    this.#items[this.#head] = item;
    this.#length++;
    return undefined;
  }

  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.capacity;
    this.#length--;
    return item;
  }

  peek(): T | undefined {
    return this.#length === 0 ? undefined : this.#items[this.#head];
  }

  clear(): void {
    this.#items.fill(undefined);
    this.#head = 0;
    this.#length = 0;
  }
}
