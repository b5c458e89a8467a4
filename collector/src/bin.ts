#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseCli, HELP } from './config/cli.js';
import { resolveOptions, type CollectorOptions } from './config/options.js';
import { describeStartupError } from './config/startup-error.js';
import { CollectorConfigError } from './errors.js';
import { startCollector } from './start-collector.js';

const SHUTDOWN_GRACE_MS = 10_000;

/** A configuration mistake in one line naming the flag; the stack only for what is not one (a bug). */
function startupErrorMessage(error: unknown, options: CollectorOptions): string {
  if (error instanceof CollectorConfigError) return error.message;
  // The options were resolved once already (else the error would be a CollectorConfigError).
  const described = describeStartupError(error, resolveOptions(options));
  return described ?? (error instanceof Error ? (error.stack ?? error.message) : String(error));
}

async function main(): Promise<void> {
  let cli;
  try {
    cli = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`faultline-collector: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (cli.kind === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (cli.kind === 'version') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  let collector;
  try {
    collector = await startCollector(cli.options);
  } catch (error) {
    process.stderr.write(`faultline-collector: ${startupErrorMessage(error, cli.options)}\n`);
    process.exit(1);
  }
  const running = collector;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    running.app.log.info({ signal }, 'stopping: intake closed, finishing writes');
    // A client stalling mid-body must not hold the shutdown forever; queued writes still finish after this.
    setTimeout(() => running.app.server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    running.close().then(
      () => {
        running.app.log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        running.app.log.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
