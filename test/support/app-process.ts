import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { ROOT } from './built.js';
import { waitFor } from './wait-for.js';

/** A line the application printed: every fixture prints one JSON object per line on stdout. */
export type AppRecord = Record<string, unknown>;

export interface AppExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** An application process (a fixture under test/fixtures) using the built SDK. */
export class AppProcess {
  readonly records: AppRecord[] = [];
  stderr = '';
  readonly exited: Promise<AppExit>;
  readonly #child: ChildProcessWithoutNullStreams;

  constructor(file: string, args: readonly string[], env: Readonly<Record<string, string>>, cwd = ROOT) {
    this.#child = spawn(process.execPath, [file, ...args], { cwd, env: { ...process.env, ...env } });
    let buffered = '';
    this.#child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.trim() !== '') this.records.push(parseLine(line));
      }
    });
    this.#child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = once(this.#child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  }

  /** Writes one line to the application's stdin (the fixtures read commands there). */
  send(line: string): void {
    this.#child.stdin.write(`${line}\n`);
  }

  /** The first record `match` accepts, waiting for it up to `timeoutMs`. */
  waitForRecord(what: string, match: (record: AppRecord) => boolean, timeoutMs = 30_000): Promise<AppRecord> {
    return waitFor(`${what} (stderr: ${this.stderr.slice(-2000)})`, async () => this.records.find(match), timeoutMs, 50);
  }

  /** Sends a signal, as Ctrl-C in a terminal would (SIGINT). */
  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  /** The lines it printed that were not JSON. */
  get text(): string[] {
    return this.records.flatMap((r) => (typeof r.text === 'string' ? [r.text] : []));
  }

  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }
}

function parseLine(line: string): AppRecord {
  try {
    const value: unknown = JSON.parse(line);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as AppRecord;
  } catch {
    // not JSON: kept as text
  }
  return { text: line };
}

/** Runs a fixture to its end. */
export async function runApp(
  file: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd?: string,
): Promise<{ exit: AppExit; records: AppRecord[]; text: string[]; stderr: string }> {
  const app = new AppProcess(file, args, env, cwd);
  const exit = await app.exited;
  return { exit, records: app.records, text: app.text, stderr: app.stderr };
}
