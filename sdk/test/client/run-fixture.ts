import { spawn } from 'node:child_process';

export interface FixtureOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a TypeScript fixture in its own Node process (through tsx, without the parent's NODE_OPTIONS) and
 * resolves when it exits; the calling test's timeout guards against one that never does.
 */
export function runFixture(file: string, env: Record<string, string>, nodeFlags: readonly string[] = []): Promise<FixtureOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', file], {
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
