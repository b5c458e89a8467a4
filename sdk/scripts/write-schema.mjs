// Writes the report's JSON Schema next to package.json, from the built TypeBox definition.
import { writeFileSync } from 'node:fs';
import { ReportSchema } from '../dist/schema.js';

writeFileSync(new URL('../report.schema.json', import.meta.url), JSON.stringify(ReportSchema, null, 2) + '\n');
