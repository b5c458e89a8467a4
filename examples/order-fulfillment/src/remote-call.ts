import type { Random } from './random.js';

/** How a simulated remote service behaves. */
export interface CallProfile {
  /** Latency of a normal answer, drawn in steps of 20 ms between these bounds. */
  readonly latencyMs: readonly [min: number, max: number];
  /** Added to every latency: services get distinct offsets, so two calls of one order end at least 5 ms apart. */
  readonly offsetMs: number;
  /** Share of calls answered with an error after their latency. */
  readonly failureRate: number;
  /** Share of calls that hang for `hangMs`, past their deadline. */
  readonly hangRate: number;
  readonly hangMs: number;
}

/**
 * A remote call: after a latency drawn from `random`, resolves with `answer()` or rejects with `failure()`.
 * Stops as soon as `signal` aborts (rejecting with its reason), as a real HTTP client given the signal would.
 */
export function remoteCall<T>(profile: CallProfile, random: Random, signal: AbortSignal, answer: () => T, failure: () => Error): Promise<T> {
  const draw = random();
  const hangs = draw < profile.hangRate;
  const fails = !hangs && draw < profile.hangRate + profile.failureRate;
  const [min, max] = profile.latencyMs;
  const latency = hangs ? profile.hangMs : profile.offsetMs + min + 20 * Math.floor(random() * ((max - min) / 20 + 1));
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      if (fails) reject(failure());
      else resolve(answer());
    }, latency);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A short remote call that is not cut short (compensations must finish); rejects with `failure()` if given. */
export function remoteUndo(latencyMs: number, failure?: () => Error): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    setTimeout(() => (failure === undefined ? resolve() : reject(failure())), latencyMs);
  });
}
