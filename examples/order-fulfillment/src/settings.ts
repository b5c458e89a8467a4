import { parseArgs } from 'node:util';
import { DemoError } from './errors.js';

/** What a demo run does. */
export interface DemoSettings {
  /** Collector base URL (`FAULTLINE_ENDPOINT`). Default http://127.0.0.1:4319. */
  readonly endpoint: string;
  /** Ingest key, if the collector requires one (`FAULTLINE_API_KEY`). */
  readonly apiKey: string | undefined;
  /** Orders to process (`--orders`). Default 300. */
  readonly orders: number;
  /** Seed of every latency and failure (`--seed`): the same seed gives the same run. Default 42. */
  readonly seed: number;
  /** Stop a collector the demo started as soon as the run is over, instead of waiting for Ctrl-C (`--exit`). */
  readonly exit: boolean;
  readonly help: boolean;
}

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4319';

export const HELP = `Usage: npm run demo -- [--orders N] [--seed N] [--exit]

Fulfils orders the way many shops do, with faultline's ErrGroup: for each order, inventory, coupons, points and
risk are called in parallel; coupons and points are degradable, inventory and risk are required, and a failed
required call undoes the calls that had succeeded. Failures are reported to a faultline collector.

Options:
  --orders N   orders to process, 1 to 10000. Default 300
  --seed N     seed of every latency and failure (the same seed repeats the run). Default 42
  --exit       stop the collector the demo started once the run is over (default: keep it until Ctrl-C)
  --help       show this text

Environment:
  FAULTLINE_ENDPOINT   the collector (default ${DEFAULT_ENDPOINT}); if none answers there and the address is
                       local, the demo starts one, storing into ./data/faultline.db like npm start
  FAULTLINE_API_KEY    ingest key, if the collector requires one
`;

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new DemoError(`Expected --${name} to be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** Reads flags and the environment; a bad value fails with the setting's name and its limits. */
export function parseSettings(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): DemoSettings {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        orders: { type: 'string' },
        seed: { type: 'string' },
        exit: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new DemoError(`${(error as Error).message}\n\n${HELP}`);
  }
  const endpoint = env.FAULTLINE_ENDPOINT || DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new DemoError(`Expected FAULTLINE_ENDPOINT to be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DemoError(`Expected FAULTLINE_ENDPOINT to be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  return {
    endpoint: endpoint.replace(/\/+$/, ''),
    apiKey: env.FAULTLINE_API_KEY || undefined,
    orders: integer('orders', values.orders, 300, 1, 10_000),
    seed: integer('seed', values.seed, 42, 0, 2 ** 32 - 1),
    exit: values.exit === true,
    help: values.help === true,
  };
}
