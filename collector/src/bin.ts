#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseCli, HELP } from './config/cli.js';
import { CollectorConfigError } from './errors.js';
import { startCollector } from './start-collector.js';

const SHUTDOWN_GRACE_MS = 10_000;

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
    const message = error instanceof CollectorConfigError ? error.message : (error as Error).stack ?? String(error);
    process.stderr.write(`faultline-collector: ${message}\n`);
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
