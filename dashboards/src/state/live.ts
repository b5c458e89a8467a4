/** How often visible pages refetch, so new issues and counts appear without a reload. */
export const LIVE_POLL_MS = 5000;
