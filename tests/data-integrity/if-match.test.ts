import { fc, it } from '@fast-check/jest';
import { performance } from 'node:perf_hooks';
import { parseIfMatch } from '../../src/http/etag';

// `If-Match` is parsed by hand (no regex over client input); it must mean what the regex it
// replaced found, and take a linear scan whatever the header holds.

/** Every `"…"`, optionally `W/`-prefixed, the weak ones dropped: what the header meant before. */
const byRegex = (header: string) =>
  header.trim() === '*' ? '*' : (header.match(/(W\/)?"[^"]*"/g)?.filter((tag) => !tag.startsWith('W/')) ?? []);
const headerText = fc
  .array(fc.constantFrom('"', 'W', 'W/', '/', 'a', 'x"', ' ', ',', '*', '\t'), { maxLength: 16 })
  .map((parts) => parts.join(''));

/** Milliseconds of the fastest of three parses: a garbage collection may land on one of them. */
function fastestParse(header: string): number {
  const times = [0, 1, 2].map(() => {
    const started = performance.now();
    parseIfMatch(header);
    return performance.now() - started;
  });
  return Math.min(...times);
}

describe('If-Match parsing', () => {
  it.prop([headerText], { numRuns: 2000 })('finds the same tags as the regex it replaces', (header) => {
    expect(parseIfMatch(header)).toEqual(byRegex(header));
  });

  it('reads tags, weak tags and `*` as RFC 9110 writes them', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch(' * ')).toBe('*');
    expect(parseIfMatch('"a", W/"b",  "c"')).toEqual(['"a"', '"c"']);
    expect(parseIfMatch('W/"a"')).toEqual([]);
    expect(parseIfMatch('"unclosed')).toEqual([]);
  });

  it.each(['W/'.repeat(8000), '"'.repeat(16_000), 'W/"'.repeat(5000), `"${'a'.repeat(16_000)}`, `${'"a", '.repeat(3000)}*`])(
    'parses pathological header #%# (16 kB) in a few milliseconds',
    (header) => {
      expect(fastestParse(header)).toBeLessThan(50);
    },
  );
});
