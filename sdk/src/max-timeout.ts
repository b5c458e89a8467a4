/** The longest delay setTimeout honours (2^31 - 1 ms, about 24.8 days): Node fires a longer one after 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
