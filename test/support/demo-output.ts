/** The summary `npm run demo` prints. */
export interface DemoSummary {
  orders: number;
  ok: number;
  degraded: number;
  failed: number;
  compensated: number;
  undoFailed: number;
  reports: number;
  reportsByLevel: Record<string, number>;
}

/** Reads the summary from the demo's output lines; throws naming the row that is missing. */
export function parseDemoSummary(lines: readonly string[]): DemoSummary {
  const row = (label: string): number => {
    const line = lines.find((l) => new RegExp(`^\\s+${label}\\s+\\d+`).test(l));
    if (line === undefined) throw new Error(`no "${label}" row in the demo's output:\n${lines.join('\n')}`);
    return Number(/(\d+)/.exec(line.slice(line.indexOf(label) + label.length))![1]);
  };
  const ordersLine = lines.find((l) => /^\d+ orders in /.test(l));
  if (ordersLine === undefined) throw new Error(`no "N orders in" line in the demo's output:\n${lines.join('\n')}`);
  const reportsLine = lines.find((l) => /^\s+reports\s+\d+/.test(l)) ?? '';
  const byLevel = Object.fromEntries([...reportsLine.matchAll(/(fatal|error|warning|info) (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
  return {
    orders: Number(/^(\d+)/.exec(ordersLine)![1]),
    ok: row('ok'),
    degraded: row('degraded'),
    failed: row('failed'),
    compensated: row('compensated'),
    undoFailed: row('undo failed'),
    reports: row('reports'),
    reportsByLevel: byLevel,
  };
}
