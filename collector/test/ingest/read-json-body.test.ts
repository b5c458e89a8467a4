import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readJsonBody, type BodyLimits } from '../../src/ingest/read-json-body.js';

const limits: BodyLimits = { compressedBytes: 64 * 1024, decodedBytes: 1024 * 1024 };

/** A stream of `data` in small chunks that records how many bytes were pulled from it. */
function counted(data: Buffer, chunk = 1024) {
  const state = { read: 0 };
  const stream = Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += chunk) {
        const part = data.subarray(i, i + chunk);
        state.read += part.length;
        yield part;
      }
    })(),
  );
  return { stream, state };
}

describe('readJsonBody', () => {
  it('parses plain and gzip JSON', async () => {
    const json = Buffer.from(JSON.stringify({ reports: [1, 2, 3] }));
    expect(await readJsonBody(counted(json).stream, {}, limits)).toEqual({ reports: [1, 2, 3] });
    expect(await readJsonBody(counted(gzipSync(json)).stream, { 'content-encoding': 'gzip' }, limits)).toEqual({ reports: [1, 2, 3] });
  });

  it('refuses a gzip bomb once the inflated size passes the limit, without reading the rest of it', async () => {
    const bomb = gzipSync(Buffer.alloc(128 * 1024 * 1024, 0x20), { level: 9 });
    const { stream, state } = counted(bomb);
    await expect(readJsonBody(stream, { 'content-encoding': 'gzip' }, { compressedBytes: 10 * 1024 * 1024, decodedBytes: 1024 * 1024 })).rejects.toMatchObject({
      code: 'FAULTLINE_BODY_INFLATED_TOO_LARGE',
      statusCode: 413,
    });
    expect(state.read).toBeLessThan(bomb.length / 4);
  });

  it('refuses a compressed body over its wire limit, declared or streamed', async () => {
    // Random bytes do not compress: valid gzip whose compressed size passes the limit before it ends.
    const big = gzipSync(randomBytes(limits.compressedBytes + 4096));
    await expect(readJsonBody(counted(big).stream, { 'content-encoding': 'gzip', 'content-length': String(big.length) }, limits)).rejects.toMatchObject({
      code: 'FAULTLINE_BODY_TOO_LARGE',
    });
    await expect(readJsonBody(counted(big).stream, { 'content-encoding': 'gzip' }, limits)).rejects.toMatchObject({ code: 'FAULTLINE_BODY_TOO_LARGE' });
  });

  it('refuses an uncompressed body over the decoded limit', async () => {
    const big = Buffer.alloc(limits.decodedBytes + 10, 0x20);
    await expect(readJsonBody(counted(big).stream, {}, limits)).rejects.toMatchObject({ code: 'FAULTLINE_BODY_TOO_LARGE', statusCode: 413 });
  });

  it.each([
    ['invalid gzip', Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }, 'FAULTLINE_INVALID_GZIP'],
    ['invalid JSON', Buffer.from('{"reports": ['), {}, 'FAULTLINE_INVALID_JSON'],
    ['an empty body', Buffer.alloc(0), {}, 'FAULTLINE_INVALID_JSON'],
    ['an unknown encoding', Buffer.from('{}'), { 'content-encoding': 'br' }, 'FAULTLINE_UNSUPPORTED_ENCODING'],
    ['stacked encodings', gzipSync(gzipSync('{}')), { 'content-encoding': 'gzip, gzip' }, 'FAULTLINE_UNSUPPORTED_ENCODING'],
  ])('answers %s with its own error', async (_name, body, headers, code) => {
    await expect(readJsonBody(counted(body).stream, headers, limits)).rejects.toMatchObject({ code });
  });

  it.each(['', ' ', 'identity', 'identity, ', ', gzip'])('reads the Content-Encoding %j as its codings other than empty and identity', async (encoding) => {
    const json = '{"reports":[]}';
    const body = encoding.includes('gzip') ? gzipSync(json) : Buffer.from(json);
    expect(await readJsonBody(counted(body).stream, { 'content-encoding': encoding }, limits)).toEqual({ reports: [] });
  });

  it('fails when the client goes away before the body ended, instead of waiting forever', async () => {
    const stream = new Readable({ read() {} });
    const pending = readJsonBody(stream, {}, limits);
    stream.push('{"reports": [');
    stream.destroy();
    await expect(pending).rejects.toMatchObject({ code: 'FAULTLINE_BAD_REQUEST' });
  });
});
