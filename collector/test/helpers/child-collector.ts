import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const root = new URL('../../../', import.meta.url).pathname;
const bin = new URL('../../src/bin.ts', import.meta.url).pathname;

export interface ChildCollector {
  url: string;
  child: ChildProcess;
  /** Every log line (pino JSON) and stderr line so far. */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `collector/src/bin.ts` in its own process (TypeScript through tsx) and resolves once it listens. */
export function spawnCollector(args: string[], env: Record<string, string> = {}): Promise<ChildCollector> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', bin, '--port', '0', '--log-level', 'info', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  createInterface({ input: child.stderr }).on('line', (line) => lines.push(line));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${lines.join('\n')}`)), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'faultline collector listening' && entry.url) {
          clearTimeout(timer);
          resolve({ url: entry.url, child, lines, exited });
        }
      } catch {
        // not a log line
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code} before listening:\n${lines.join('\n')}`));
    });
  });
}

/** Runs the bin to completion (for --help and refusals). */
export function runCollector(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', bin, ...args], { cwd: root, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Posts a batch; resolves with the status (0 when the connection failed). */
export async function postBatch(url: string, reports: unknown[], headers: Record<string, string> = {}): Promise<number> {
  try {
    const res = await fetch(`${url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ reports }),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}
