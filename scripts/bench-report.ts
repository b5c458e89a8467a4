/** One row of a benchmark table; `ratio` is against `baseline`, measured in the same run. */
export interface BenchRow {
  case: string;
  value: number;
  unit?: string;
  ratio?: number;
  baseline?: string;
  target?: string;
  met?: boolean;
}

export interface BenchTable {
  title: string;
  description?: string;
  rows: BenchRow[];
  notes?: string;
}

/** Hands a table to scripts/bench.mjs, which writes it into docs/benchmarks.md. */
export function report(table: BenchTable): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(table)}\n`);
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs `fn` `rounds` times after `warmup` runs and returns the duration of each run in ms. */
export async function timeRuns(fn: () => Promise<void> | void, rounds: number, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    globalThis.gc?.();
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}
