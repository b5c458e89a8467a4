import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import { httpError, type CollectorHttpError } from '../errors.js';

export interface BodyLimits {
  /** Bytes on the wire when the body is gzip-compressed. */
  compressedBytes: number;
  /** Bytes of JSON after decompression (or on the wire when not compressed). */
  decodedBytes: number;
}

/** Limits of `POST /v1/reports`: 5 MiB compressed, 20 MiB decompressed. */
export const INGEST_BODY_LIMITS: BodyLimits = { compressedBytes: 5 * 1024 * 1024, decodedBytes: 20 * 1024 * 1024 };
/** Limits of every other JSON body (status changes). */
export const SMALL_BODY_LIMITS: BodyLimits = { compressedBytes: 64 * 1024, decodedBytes: 64 * 1024 };

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

function tooLarge(limits: BodyLimits, compressed: boolean): CollectorHttpError {
  return compressed
    ? httpError('FAULTLINE_BODY_TOO_LARGE', `The compressed body exceeds ${mib(limits.compressedBytes)}`)
    : httpError('FAULTLINE_BODY_TOO_LARGE', `The body exceeds ${mib(limits.decodedBytes)}`);
}

/**
 * Reads a JSON body, inflating gzip as a stream with a byte cap: a gzip bomb is refused once the cap is passed,
 * without inflating the rest. Every failure is a `CollectorHttpError` (400, 413, 415).
 */
export async function readJsonBody(stream: Readable, headers: IncomingHttpHeaders, limits: BodyLimits): Promise<unknown> {
  return parseJson(await readJsonText(stream, headers, limits));
}

/** Reads a body as text (decompressed, within `limits`), refusing an empty one; the caller parses it. */
export async function readJsonText(stream: Readable, headers: IncomingHttpHeaders, limits: BodyLimits): Promise<string> {
  const body = await readBody(stream, headers, limits);
  if (body.length === 0) throw httpError('FAULTLINE_INVALID_JSON', 'The body is empty; expected JSON');
  return body.toString('utf8');
}

/** JSON.parse, failing with FAULTLINE_INVALID_JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw httpError('FAULTLINE_INVALID_JSON', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The one coding a Content-Encoding list applies, `identity` when none. The header is a comma-separated list
 * (RFC 9110) where empty members and `identity` add nothing: some proxies and clients send `""` or `identity, `.
 * Stacked codings (`gzip, gzip`) are kept whole, so they are refused as unsupported.
 */
function contentCoding(header: string | undefined): string {
  const codings = (header ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  return codings.length === 0 ? 'identity' : codings.join(', ');
}

/**
 * Reads a whole body as bytes (possibly empty) under `limits`, inflating `gzip` or `deflate` as a stream with a
 * byte cap. Every failure is a `CollectorHttpError` (400, 413, 415).
 */
export function readBody(stream: Readable, headers: IncomingHttpHeaders, limits: BodyLimits): Promise<Buffer> {
  const encoding = contentCoding(headers['content-encoding']);
  const gzip = encoding === 'gzip' || encoding === 'x-gzip';
  const compressed = gzip || encoding === 'deflate';
  if (!compressed && encoding !== 'identity') {
    return Promise.reject(httpError('FAULTLINE_UNSUPPORTED_ENCODING', `Content-Encoding ${encoding} is not supported; use gzip, deflate or none`));
  }
  const wireLimit = compressed ? limits.compressedBytes : limits.decodedBytes;
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > wireLimit) return Promise.reject(tooLarge(limits, compressed));

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let decodedBytes = 0;
    let settled = false;
    const inflate: Gunzip | Inflate | undefined = gzip ? createGunzip() : compressed ? createInflate() : undefined;

    const fail = (error: CollectorHttpError): void => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      if (inflate) {
        stream.unpipe(inflate);
        inflate.destroy();
      }
      stream.removeListener('data', onWire);
      stream.pause();
      reject(error);
    };
    const onWire = (chunk: Buffer): void => {
      wireBytes += chunk.length;
      if (wireBytes > wireLimit) fail(tooLarge(limits, compressed));
    };
    const onDecoded = (chunk: Buffer): void => {
      if (settled) return;
      decodedBytes += chunk.length;
      if (decodedBytes > limits.decodedBytes) {
        fail(
          compressed
            ? httpError('FAULTLINE_BODY_INFLATED_TOO_LARGE', `The body inflates to more than ${mib(limits.decodedBytes)}`)
            : tooLarge(limits, false),
        );
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, decodedBytes));
    };

    let wireEnded = false;
    stream.on('data', onWire);
    stream.on('end', () => (wireEnded = true));
    stream.on('error', () => fail(httpError('FAULTLINE_BAD_REQUEST', 'The request body could not be read')));
    // A client that goes away mid-body must not leave the request pending (it would hold up shutdown).
    stream.on('close', () => {
      if (!wireEnded) fail(httpError('FAULTLINE_BAD_REQUEST', 'The client closed the connection before the body ended'));
    });
    if (inflate) {
      inflate.on('data', onDecoded);
      inflate.on('end', onEnd);
      inflate.on('error', (error) =>
        fail(
          gzip
            ? httpError('FAULTLINE_INVALID_GZIP', `The body is not valid gzip: ${error.message}`)
            : httpError('FAULTLINE_INVALID_DEFLATE', `The body is not valid deflate (zlib): ${error.message}`),
        ),
      );
      stream.pipe(inflate);
    } else {
      stream.on('data', onDecoded);
      stream.on('end', onEnd);
    }
  });
}
