// Order matters: wider patterns (urls, emails, uuids) are replaced before the numbers inside them.
// Patterns are anchored at word boundaries without ambiguous nesting, and run on at most MAX_CHARS.
const MAX_CHARS = 1024;
const PATTERNS: [RegExp, string][] = [
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`<>]+/gi, '<url>'],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<email>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, '<date>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, '<ip>'],
  [/\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b/gi, '<ip>'],
  [/\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?|(?<![\w:])::[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*\b/gi, '<ip>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Hex ids: at least 8 characters with a digit and a letter, so plain words and numbers stay as they are.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  [/'[^'\n]{0,200}'|"[^"\n]{0,200}"|`[^`\n]{0,200}`/g, '<quoted>'],
  [/(?<![\w.])[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?:ms|s|m|h|kb|mb|gb|b)?\b/gi, '<num>'],
];

/**
 * The message with the values that change between occurrences of one error replaced by placeholders:
 * urls, emails, uuids, dates, ips, hex, quoted values and numbers. Only the first two non-empty lines count.
 */
export function parameterizeMessage(message: string): string {
  let text = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(0, 2)
    .join('\n')
    .slice(0, MAX_CHARS);
  for (const [pattern, placeholder] of PATTERNS) text = text.replace(pattern, placeholder);
  return text;
}
