import type { JSX } from 'preact';

const W = 96;
const H = 24;

/** Hourly counts as a small filled line; the total is in the accessible label and the tooltip. */
export function Sparkline({ values }: { values: readonly number[] }): JSX.Element {
  const total = values.reduce((a, b) => a + b, 0);
  const label = `${total} events in the last ${values.length} hours`;
  if (values.length < 2) return <span class="sparkline empty" title={label} />;
  const max = Math.max(1, ...values);
  const step = W / (values.length - 1);
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(H - 1 - (v / max) * (H - 2)).toFixed(1)}`);
  return (
    <svg class="sparkline" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label}>
      <title>{label}</title>
      <polygon class="sparkline-area" points={`0,${H} ${pts.join(' ')} ${W},${H}`} />
      <polyline class="sparkline-line" points={pts.join(' ')} />
    </svg>
  );
}
