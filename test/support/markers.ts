import { readFileSync } from 'node:fs';

/** The 1-based line of `file` holding `text`; exactly one line must hold it. */
export function lineContaining(file: string, text: string | RegExp): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found = lines.flatMap((line, i) => ((typeof text === 'string' ? line.includes(text) : text.test(line)) ? [i + 1] : []));
  if (found.length !== 1) throw new Error(`expected one line of ${file} to hold ${String(text)}, found ${found.length}`);
  return found[0]!;
}

/**
 * The line of `file` that carries the comment `@mark <name>`: tests assert reported line numbers against the
 * fixture's actual source, so editing a fixture cannot silently break what they check.
 */
export function markerLine(file: string, name: string): number {
  return lineContaining(file, new RegExp(`@mark ${name}(\\s|$)`));
}
