// The order-fulfillment demo: `npm run demo` (see ../README.md).
import { close, flush, init } from '@faultline/sdk';
import { ensureCollector, type DemoCollector } from './collector-process.js';
import { DemoError } from './errors.js';
import { makeOrders } from './orders.js';
import { processOrders } from './process-orders.js';
import { RemoteServices } from './services.js';
import { HELP, parseSettings } from './settings.js';
import { formatExamples, formatSummary, summarize } from './summary.js';
import { startTracing } from './tracing.js';

export const SERVICE = 'order-fulfillment';
const FLUSH_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2), process.env);
  if (settings.help) {
    process.stdout.write(HELP);
    return;
  }
  const collector = await ensureCollector(settings.endpoint, process.cwd());
  say(
    collector.started === undefined
      ? `faultline order-fulfillment demo: reporting to the collector at ${collector.url}`
      : `faultline order-fulfillment demo: started a collector at ${collector.url} (storing into ./data/faultline.db, log ${collector.started.logFile})`,
  );

  // Ctrl-C: while orders run, stop a collector the demo started and leave; after the run, see keepOrStop.
  let running = true;
  const interrupted = untilInterrupted();
  interrupted.then(
    async () => {
      if (!running) return;
      await collector.started?.stop();
      process.exit(130);
    },
    () => undefined,
  );

  const tracing = startTracing();
  const reports: Record<string, number> = {};
  init({
    endpoint: collector.url,
    ...(settings.apiKey !== undefined ? { apiKey: settings.apiKey } : {}),
    service: SERVICE,
    environment: 'demo',
    release: '1.0.0',
    beforeSend: (report) => {
      reports[report.level] = (reports[report.level] ?? 0) + 1;
      // One issue per failing call: risk missing its deadline is not the same problem as coupons missing theirs.
      return report.group === undefined ? report : { ...report, fingerprint: ['{{ default }}', report.group.task] };
    },
  });

  say(`processing ${settings.orders} orders (seed ${settings.seed})...`);
  const began = performance.now();
  const outcomes = await processOrders(makeOrders(settings.orders, settings.seed), new RemoteServices(settings.seed));
  const seconds = (performance.now() - began) / 1000;
  running = false;
  const delivered = await flush(FLUSH_TIMEOUT_MS);

  say('');
  say(formatSummary(summarize(outcomes), reports, seconds));
  const examples = formatExamples(outcomes);
  if (examples.length > 0) say(['', 'for example:', ...examples].join('\n'));
  say('');
  say(delivered ? 'every report was delivered to the collector.' : 'some reports were not delivered to the collector (see the warnings above).');
  say(`issues:   ${collector.url}/issues?service=${SERVICE}`);
  say(`overview: ${collector.url}/?service=${SERVICE}`);
  await close(2000);
  await tracing.shutdown();
  await keepOrStop(collector, settings.exit, interrupted);
}

function untilInterrupted(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** A collector the demo started keeps running until Ctrl-C (or stops now with --exit), so the issues can be seen. */
async function keepOrStop(collector: DemoCollector, exit: boolean, interrupted: Promise<void>): Promise<void> {
  const started = collector.started;
  if (started === undefined) return;
  if (!exit) {
    say('');
    say('The collector the demo started keeps running so you can look around; press Ctrl-C to stop it.');
    say('(`npm start` runs a collector of your own; `npm run demo -- --exit` stops this one right after the run.)');
    await interrupted;
  }
  say('stopping the collector...');
  await started.stop();
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  process.stderr.write(error instanceof DemoError ? `demo: ${error.message}\n` : `demo: ${(error as Error).stack ?? String(error)}\n`);
  await close(2000);
}
