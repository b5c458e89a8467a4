import type { JSX } from 'preact';
import type { BreakdownRow } from '../api/types.js';
import { formatCount } from '../format/time.js';

interface BreakdownProps {
  title: string;
  name: string;
  rows: readonly BreakdownRow[];
  /** Clicking a row filters by it (service, environment); absent for dimensions that are not filters. */
  onPick?: (key: string) => void;
}

/** Counts for one dimension with a proportional bar per row. */
export function Breakdown({ title, name, rows, onPick }: BreakdownProps): JSX.Element {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <section class="panel breakdown" data-breakdown={name}>
      <h2>{title}</h2>
      {rows.length === 0 ? <p class="muted">No events.</p> : null}
      <ul>
        {rows.map((r) => (
          <li key={r.key} data-key={r.key}>
            {onPick ? (
              <button type="button" class="link-button breakdown-key" onClick={() => onPick(r.key)}>
                {r.key || '(none)'}
              </button>
            ) : (
              <span class="breakdown-key">{r.key || '(none)'}</span>
            )}
            <span class="breakdown-count">{formatCount(r.count)}</span>
            <span class="bar">
              <span class="bar-fill" style={{ width: `${(r.count / max) * 100}%` }} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
