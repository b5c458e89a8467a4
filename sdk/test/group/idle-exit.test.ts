import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it, onTestFinished } from 'vitest';

async function runFixture(name: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))], {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill();
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

it("never keeps the process alive for deadlines nobody awaits (groups' and tasks' timers are unref'd)", async () => {
  // The deadlines are ten minutes away; the test's own timeout fails it long before, if the child stays.
  const { code, stdout, stderr } = await runFixture('idle-groups.ts');
  expect(stderr).toBe('');
  expect(stdout).toBe('pending\n');
  expect(code).toBe(0);
});

it('keeps the process alive for an awaited deadline, so wait() explains a hang instead of the process exiting mid-await', async () => {
  const { code, stdout, stderr } = await runFixture('awaited-deadlines.ts');
  expect(stderr).toBe('');
  expect(stdout).toBe('group: DeadlineExceededError\ntask: DeadlineExceededError\nwaitgroup: WaitTimeoutError add #1\n');
  expect(code).toBe(0);
});
