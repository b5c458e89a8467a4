import { readFileSync } from 'node:fs';

/**
 * The 1-based line of `file` that carries the comment `@mark <name>`: tests assert reported line numbers
 * against the fixture's actual source, so editing a fixture cannot silently break what they check.
 */
export function markerLine(file: string, name: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found = lines.flatMap((line, i) => (new RegExp(`@mark ${name}(\\s|$)`).test(line) ? [i + 1] : []));
  if (found.length !== 1) throw new Error(`expected one line marked @mark ${name} in ${file}, found ${found.length}`);
  return found[0]!;
}
