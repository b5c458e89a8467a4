import type { JSX } from 'preact';
import { RANGES, type RangeKey } from '../format/range.js';

/** The 1 h / 24 h / 7 d / 30 d buttons; the chosen range lives in the URL (`range=`). */
export function RangePicker({ value, onChange }: { value: RangeKey; onChange: (r: RangeKey) => void }): JSX.Element {
  return (
    <div class="segmented" role="group" aria-label="Time range">
      {(Object.keys(RANGES) as RangeKey[]).map((r) => (
        <button key={r} type="button" class={r === value ? 'active' : ''} aria-pressed={r === value} data-range={r} onClick={() => onChange(r)}>
          {r}
        </button>
      ))}
    </div>
  );
}
