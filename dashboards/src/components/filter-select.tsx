import type { JSX } from 'preact';

export interface Option {
  value: string;
  label: string;
}

interface FilterSelectProps {
  label: string;
  name: string;
  value: string;
  options: readonly Option[];
  onChange: (value: string) => void;
}

/** A labelled `<select>`; option values and labels may come from reports and are set as text. */
export function FilterSelect({ label, name, value, options, onChange }: FilterSelectProps): JSX.Element {
  const known = options.some((o) => o.value === value);
  return (
    <label class="filter">
      <span>{label}</span>
      <select name={name} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {known ? null : <option value={value}>{value}</option>}
      </select>
    </label>
  );
}

/** "All …" followed by each name, for the service and environment filters. */
export function namesToOptions(allLabel: string, names: Iterable<string>): Option[] {
  return [{ value: '', label: allLabel }, ...[...new Set(names)].sort().map((n) => ({ value: n, label: n }))];
}
