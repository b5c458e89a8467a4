// Public API of @faultline/collector.
export {};
