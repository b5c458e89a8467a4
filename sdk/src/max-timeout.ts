/** The longest delay setTimeout honours (2^31 - 1 ms, about 24.8 days): Node fires a longer one after 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * A ref'd timer calling `fn` after `ms`, for a caller who awaits an answer. Past setTimeout's range
 * (`Infinity`: "as long as it takes") it never fires, but still keeps the process alive until cleared: Node would
 * otherwise fire it after 1 ms.
 */
export function awaitedDeadline(fn: () => void, ms: number): NodeJS.Timeout {
  return ms > MAX_TIMEOUT_MS ? setInterval(noop, MAX_TIMEOUT_MS) : setTimeout(fn, Math.max(0, ms));
}

function noop(): void {}
