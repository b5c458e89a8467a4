import { describe, expect, it } from 'vitest';
import { MAX_ENVELOPE_ITEMS, parseEnvelope } from '../../../src/interop/sentry/parse-envelope.js';

const line = (value: unknown) => JSON.stringify(value);
const envelope = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

describe('parseEnvelope', () => {
  it('reads the header and items whose headers have no length (payload up to the newline)', () => {
    const body = envelope(line({ event_id: 'abc' }), '\n', line({ type: 'event' }), '\n', line({ message: 'hi' }), '\n', line({ type: 'session' }), '\n', '{}');
    const parsed = parseEnvelope(body);
    expect(parsed.header).toEqual({ event_id: 'abc' });
    expect(parsed.items.map((i) => [i.type, i.payload.toString()])).toEqual([
      ['event', '{"message":"hi"}'],
      ['session', '{}'],
    ]);
  });

  it('reads a payload of exactly `length` bytes, newlines and multi-byte characters included', () => {
    const binary = Buffer.from([0x0a, 0x00, 0xff, 0x0a, 0x41]);
    const text = Buffer.from('{"message":"héllo\\n"}');
    const body = envelope(
      line({}),
      '\n',
      line({ type: 'attachment', length: binary.length, filename: 'a.bin' }),
      '\n',
      binary,
      '\n',
      line({ type: 'event', length: text.length }),
      '\n',
      text,
    );
    const { items } = parseEnvelope(body);
    expect(items[0]!.payload.equals(binary)).toBe(true);
    expect(items[1]!.payload.equals(text)).toBe(true);
  });

  it('tolerates CRLF line endings, blank lines between items and a trailing newline', () => {
    const body = envelope(line({}), '\r\n', line({ type: 'event' }), '\r\n', line({ a: 1 }), '\r\n\n', line({ type: 'client_report' }), '\n', '{}', '\n');
    expect(parseEnvelope(body).items.map((i) => [i.type, JSON.parse(i.payload.toString())])).toEqual([
      ['event', { a: 1 }],
      ['client_report', {}],
    ]);
  });

  it('accepts an envelope with a header only', () => {
    expect(parseEnvelope(Buffer.from(line({ sent_at: 'now' }))).items).toEqual([]);
  });

  it.each([
    ['an empty body', Buffer.alloc(0), /the body is empty/],
    ['a header that is not JSON', envelope('{nope\n'), /the envelope header \(line 1\) is not valid JSON/],
    ['a header that is not an object', envelope('[1]\n'), /the envelope header \(line 1\) must be a JSON object/],
    ['an item header that is not JSON', envelope(line({}), '\n', 'event\n{}'), /the header of item 1 is not valid JSON/],
    ['an item without a type', envelope(line({}), '\n', line({ length: 2 }), '\n{}'), /item 1 has no "type"/],
    ['a negative length', envelope(line({}), '\n', line({ type: 'event', length: -1 }), '\n{}'), /item 1 \("event"\) has a "length" that is not a non-negative integer/],
    ['a length past the end', envelope(line({}), '\n', line({ type: 'event', length: 50 }), '\n{}'), /item 1 \("event"\) declares 50 bytes but 2 follow/],
    ['no newline after a sized payload', envelope(line({}), '\n', line({ type: 'event', length: 2 }), '\n{}x'), /item 1 \("event"\) is not followed by a newline/],
  ])('refuses %s with FAULTLINE_INVALID_ENVELOPE naming the fault', (_name, body, message) => {
    let caught: unknown;
    try {
      parseEnvelope(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'FAULTLINE_INVALID_ENVELOPE', statusCode: 400 });
    expect((caught as Error).message).toMatch(message);
  });

  it(`refuses more than ${MAX_ENVELOPE_ITEMS} items`, () => {
    const items = Array.from({ length: MAX_ENVELOPE_ITEMS + 1 }, () => `${line({ type: 'session' })}\n{}`).join('\n');
    expect(() => parseEnvelope(Buffer.from(`${line({})}\n${items}`))).toThrow(/more than 1000 items/);
  });
});
