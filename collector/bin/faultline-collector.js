#!/usr/bin/env node
// The `faultline-collector` command. A committed file (dist/ is built), so npm links the command at install time
// even in a fresh clone where `npm run build` has not run yet.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('faultline-collector: the collector is not built yet; run `npm run build` (or `npm start`) first.\n');
  process.exit(1);
}
await import(entry.href);
