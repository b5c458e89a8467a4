import { describe, expect, it } from 'vitest';
import { parameterizeMessage } from '../../src/grouping/parameterize-message.js';

describe('parameterizeMessage', () => {
  it.each([
    ['numbers', 'order 12345 failed after 3 retries', 'order <num> failed after <num> retries'],
    ['floats and durations', 'took 12.5ms (limit 10ms)', 'took <num> (limit <num>)'],
    ['uuids', 'user 3f2b8c1e-9d4a-4f6b-8e2a-1c3d5e7f9a0b not found', 'user <uuid> not found'],
    ['hex literals', 'bad pointer 0xdeadbeef', 'bad pointer <hex>'],
    ['hex ids', 'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 missing', 'commit <hex> missing'],
    ['ipv4 with port', 'connect ECONNREFUSED 10.0.0.12:5432', 'connect ECONNREFUSED <ip>'],
    ['ipv6', 'connect ECONNREFUSED ::1 and fe80::1ff:fe23:4567:890a', 'connect ECONNREFUSED <ip> and <ip>'],
    ['urls', 'GET https://api.example.com/v1/orders/77?x=1 returned 502', 'GET <url> returned <num>'],
    ['emails', 'no account for ada@example.com', 'no account for <email>'],
    ['quoted values', `Unknown column "total_cents" in 'orders'`, 'Unknown column <quoted> in <quoted>'],
    ['dates', 'expired at 2024-05-01T10:20:30.123Z', 'expired at <date>'],
  ])('replaces %s', (_name, message, expected) => {
    expect(parameterizeMessage(message)).toBe(expected);
  });

  it('keeps words, identifiers with digits and versions', () => {
    expect(parameterizeMessage('user42 cannot use v1.2.3 of decoder')).toBe('user42 cannot use v1.2.3 of decoder');
  });

  it('uses only the first two non-empty lines', () => {
    expect(parameterizeMessage('first\n\n second \nthird 1')).toBe('first\nsecond');
  });

  it('cuts long input to 1,024 characters before matching (bounded work on adversarial text)', () => {
    const message = `${'a.'.repeat(4000)}${'1@'.repeat(2000)}`;
    expect(parameterizeMessage(message).length).toBeLessThanOrEqual(1024);
  });
});
