import { describe, expect, it } from 'vitest';
import { safeHttpUrl } from '../../src/format/safe-url.js';

describe('safeHttpUrl', () => {
  it.each([
    ['https://shop.example.com/checkout?x=1', 'https://shop.example.com/checkout?x=1'],
    ['http://10.0.0.1:8080/', 'http://10.0.0.1:8080/'],
  ])('keeps the absolute http(s) URL %s', (input, out) => {
    expect(safeHttpUrl(input)).toBe(out);
  });

  it.each([
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '/relative/path',
    '//evil.example.com/x',
    'mailto:a@example.com',
    'not a url',
    '',
  ])('refuses %j', (input) => {
    expect(safeHttpUrl(input)).toBeUndefined();
  });

  it('refuses non-strings and overlong URLs', () => {
    expect(safeHttpUrl(42)).toBeUndefined();
    expect(safeHttpUrl({ href: 'https://x' })).toBeUndefined();
    expect(safeHttpUrl(`https://x.example/${'a'.repeat(3000)}`)).toBeUndefined();
  });
});
