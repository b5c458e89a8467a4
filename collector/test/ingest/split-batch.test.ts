import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitBatch } from '../../src/ingest/split-batch.js';

/** What the route does with a split: each report parsed on its own. */
function rebuild(text: string): unknown {
  const split = splitBatch(text);
  if (split === undefined) return undefined;
  return { ...split.rest, reports: split.reports.map((r) => JSON.parse(r) as unknown) };
}

describe('splitBatch', () => {
  it('finds the text of each report, as sent', () => {
    const text = ' { "dropped" : {"queue_full": 2},\n "reports":[ {"a": "x,]}\\"" } , [1,2] ,"s", 3.5e2 , null ] } ';
    expect(splitBatch(text)).toEqual({ reports: ['{"a": "x,]}\\"" }', '[1,2]', '"s"', '3.5e2', 'null'], rest: { dropped: { queue_full: 2 } } });
  });

  it('agrees with JSON.parse on any batch, however it is formatted', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.dictionary(fc.string().filter((k) => k !== 'reports' && k !== '__proto__'), fc.jsonValue(), { maxKeys: 3 }),
        fc.constantFrom(undefined, 0, 2, '\t', ' \n '),
        (reports, rest, space) => {
          const text = JSON.stringify({ ...rest, reports }, null, space);
          expect(rebuild(text)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('never accepts a body that JSON.parse refuses, and never disagrees with it', () => {
    const fragments = fc.constantFrom('{', '}', '[', ']', ',', ':', '"reports"', '"a"', '"', '\\', '1', 'null', ' ', '"x\\"y"', '{"reports":[', 'tru', '"\\x"', '"dropped":');
    fc.assert(
      fc.property(fc.array(fragments, { maxLength: 30 }).map((parts) => parts.join('')), (text) => {
        const split = splitBatch(text);
        if (split === undefined) return;
        // The route parses each report on its own; a report that does not parse makes the body invalid JSON.
        let rebuilt: unknown;
        try {
          rebuilt = rebuild(text);
        } catch {
          rebuilt = 'threw';
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = 'threw';
        }
        expect(rebuilt).toEqual(parsed);
      }),
      { numRuns: 20_000, seed: 11 },
    );
  });

  it.each([
    ['an invalid member value', '{"dropped": tru, "reports": []}'],
    ['an invalid member name', '{"\\x": 1, "reports": []}'],
    ['a broken array after the reports', '{"reports": [], "a": [1,}'],
    ['not an object', '[1]'],
    ['reports not an array', '{"reports": 1}'],
    ['a repeated reports member', '{"reports": [], "reports": [1]}'],
    ['a __proto__ member', '{"__proto__": {}, "reports": []}'],
    ['trailing text', '{"reports": []} x'],
    ['no reports', '{"dropped": {}}'],
  ])('leaves %s to JSON.parse, without throwing', (_name, text) => {
    expect(splitBatch(text)).toBeUndefined();
  });
});
