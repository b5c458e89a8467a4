import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DemoError } from './errors.js';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** The collector the demo reports to. */
export interface DemoCollector {
  readonly url: string;
  /** Set when the demo started the collector itself. */
  readonly started?: StartedCollector;
}

export interface StartedCollector {
  /** Where the collector's log lines go. */
  readonly logFile: string;
  readonly pid: number | undefined;
  /** SIGTERM (the collector finishes its writes and closes the store), then waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Uses the collector answering at `endpoint`, or, if nothing answers and the address is local, starts one as a
 * child process (the `faultline-collector` bin, storing into `./data/faultline.db` under `cwd` like `npm start`).
 */
export async function ensureCollector(endpoint: string, cwd: string): Promise<DemoCollector> {
  if (await answers(endpoint)) return { url: endpoint };
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!isLocal(host)) {
    throw new DemoError(`No faultline collector answers at ${endpoint}, and the demo starts one only on this machine: start it there, or unset FAULTLINE_ENDPOINT`);
  }
  if (url.protocol !== 'http:') throw new DemoError(`No faultline collector answers at ${endpoint}; the demo can start one on http: only`);
  const port = url.port === '' ? '80' : url.port;
  const dataDir = resolve(cwd, 'data');
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(dataDir, 'demo-collector.log');
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [collectorBin(), '--host', host, '--port', port], { cwd, stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
  // A demo that crashes must not leave its collector behind.
  const orphanGuard = (): void => void child.kill('SIGTERM');
  process.on('exit', orphanGuard);
  const exited = once(child, 'exit');
  const started: StartedCollector = {
    logFile,
    pid: child.pid,
    async stop() {
      process.off('exit', orphanGuard);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  await waitUntilReady(endpoint, child, logFile);
  return { url: endpoint, started };
}

/** True if a faultline collector answers `GET /healthz`; throws if something else answers there. */
async function answers(endpoint: string): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(`${endpoint}/healthz`, { signal: AbortSignal.timeout(2000) });
  } catch {
    return false;
  }
  await response.body?.cancel();
  if (!response.ok) {
    throw new DemoError(`Something answers at ${endpoint}, but not as a faultline collector (GET /healthz answered ${response.status})`);
  }
  return true;
}

async function waitUntilReady(endpoint: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new DemoError(`The collector the demo started exited (${child.exitCode ?? child.signalCode}). Its log, ${logFile}, ends with:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(`${endpoint}/readyz`, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGTERM');
  throw new DemoError(`The collector the demo started was not ready within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`);
}

/** The `faultline-collector` bin of the installed @faultline/collector package. */
function collectorBin(): string {
  let dir = dirname(fileURLToPath(import.meta.resolve('@faultline/collector')));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; bin?: Record<string, string> };
      const bin = pkg.name === '@faultline/collector' ? pkg.bin?.['faultline-collector'] : undefined;
      if (bin !== undefined) {
        if (!existsSync(join(dir, bin))) throw new DemoError(`${join(dir, bin)} is missing: run npm run build first`);
        return join(dir, bin);
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new DemoError('Cannot find the faultline-collector bin of @faultline/collector: run npm run build first');
    dir = parent;
  }
}

function isLocal(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function tail(file: string, lines = 10): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
