import type { JSX } from 'preact';
import { safeHttpUrl } from '../format/safe-url.js';

/**
 * Any JSON value from a report, as text. Objects become nested key/value tables; a string is a link only
 * when it is an absolute http(s) URL, so `javascript:` and friends stay inert text.
 */
export function ValueView({ value }: { value: unknown }): JSX.Element {
  if (value === null || value === undefined) return <span class="val-null">{String(value)}</span>;
  if (typeof value === 'string') {
    const href = safeHttpUrl(value);
    if (href) {
      return (
        <a class="val-url" href={href} target="_blank" rel="noopener noreferrer nofollow">
          {value}
        </a>
      );
    }
    return <span class="val-str">{value}</span>;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return <span class="val-num">{String(value)}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="val-null">[]</span>;
    return <KeyValueTable entries={value.map((v, i): [string, unknown] => [String(i), v])} />;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return <span class="val-null">{'{}'}</span>;
    return <KeyValueTable entries={entries} />;
  }
  return <span class="val-str">{typeof value}</span>; // bigint, symbol, function: cannot come from JSON
}

export function KeyValueTable({ entries }: { entries: readonly (readonly [string, unknown])[] }): JSX.Element {
  return (
    <table class="kv">
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>
              <ValueView value={v} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
