import { randomFillSync } from 'node:crypto';

const ID_BYTES = 16;
// One crypto call fills ids for the next 256 reports.
const pool = Buffer.allocUnsafe(ID_BYTES * 256);
let offset = pool.length;

/** A new report id: 32 lowercase hex characters from the crypto random source. */
export function newReportId(): string {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
