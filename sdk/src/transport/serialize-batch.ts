import { setImmediate as nextTurn } from 'node:timers/promises';
import { serializeReport } from '../report/fit-report.js';
import type { Report } from '../report/schema.js';
import type { DropReason } from './drop-counter.js';

export interface SerializeBatchOptions<T> {
  /** Reports serialized per turn of the event loop. */
  readonly sliceSize: number;
  /** Uncompressed size of the body; one report always goes, whatever its size. */
  readonly maxBytes: number;
  /** A report that cannot be serialized, at once. */
  readonly drop: (item: T, reason: DropReason) => void;
  /** The items that would pass `maxBytes`, in order, before the promise settles (so they can keep their place). */
  readonly over: (items: readonly T[]) => void;
}

/** Serializes a batch's reports a slice at a time: the JSON of each kept report, and the items kept, in order. */
export async function serializeBatch<T extends { readonly report: Report }>(
  items: readonly T[],
  options: SerializeBatchOptions<T>,
): Promise<{ parts: string[]; kept: T[] }> {
  const parts: string[] = [];
  const kept: T[] = [];
  let bytes = 64; // the envelope and the dropped counts
  let i = 0;
  for (; i < items.length; i++) {
    // Never in the caller's turn (enqueue stays O(1)), then a slice per turn.
    if (i % options.sliceSize === 0) await nextTurn();
    const item = items[i]!;
    const result = serializeReport(item.report);
    if ('drop' in result) {
      options.drop(item, result.drop);
      continue;
    }
    const size = Buffer.byteLength(result.json) + 1;
    if (bytes + size > options.maxBytes && parts.length > 0) break;
    bytes += size;
    parts.push(result.json);
    kept.push(item);
  }
  options.over(items.slice(i));
  return { parts, kept };
}
