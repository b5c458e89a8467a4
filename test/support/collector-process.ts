import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLLECTOR_BIN, ROOT } from './built.js';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

export interface CollectorProcessOptions {
  /** Default: a free port. Pass a stopped collector's port to restart it there. */
  readonly port?: number;
  /** SQLite file. Default: a new file in a new temporary directory. Ignored with `databaseUrl`. */
  readonly sqlitePath?: string;
  /** PostgreSQL connection string: the collector stores there instead of SQLite. */
  readonly databaseUrl?: string;
}

/** A collector running as its own process: the built `faultline-collector` bin. */
export interface CollectorProcess {
  readonly url: string;
  readonly port: number;
  readonly sqlitePath: string | undefined;
  /** Everything it printed so far (pino lines), for failure messages. */
  output(): string;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

// A developer's own collector settings must not leak into the collectors under test.
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('FAULTLINE_') && key !== 'DATABASE_URL' && key !== 'PORT' && key !== 'LOG_LEVEL') env[key] = value;
  }
  return env;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `node collector/dist/bin.js` on 127.0.0.1 and resolves once `/readyz` answers 200. */
export async function startCollectorProcess(options: CollectorProcessOptions = {}): Promise<CollectorProcess> {
  const port = options.port ?? (await freePort());
  const sqlitePath = options.databaseUrl === undefined ? (options.sqlitePath ?? join(mkdtempSync(join(tmpdir(), 'faultline-e2e-')), 'faultline.db')) : undefined;
  const args = [COLLECTOR_BIN, '--host', '127.0.0.1', '--port', String(port), '--log-level', 'info'];
  if (options.databaseUrl !== undefined) args.push('--database-url', options.databaseUrl);
  else args.push('--sqlite-path', sqlitePath!);
  const child = spawn(process.execPath, args, { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => {
    running.delete(child);
    return code as number | null;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  try {
    await waitFor(`the collector on port ${port} to be ready`, async () => {
      if (child.exitCode !== null) throw new Error(`it exited with ${child.exitCode}:\n${output}`);
      const response = await fetch(`${url}/readyz`);
      await response.body?.cancel();
      return response.ok ? true : undefined;
    }, 30_000, 100);
  } catch (error) {
    await stop('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { url, port, sqlitePath, output: () => output, stop };
}
