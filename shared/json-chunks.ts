/**
 * `JSON.stringify(value, null, 2)` as a sequence of pieces, so that a large result (100,000 rows:
 * about 100 MB of JSON) is written to a file piece by piece instead of being held as one string and
 * its encoded copy. The concatenated pieces equal `JSON.stringify(value, null, 2)` exactly: the
 * top levels are walked here; below them an array's elements are stringified a slice at a time,
 * wrapped so that they come out indented as in the whole text, and any other value is stringified
 * whole and re-indented (a JSON text holds no raw line break inside a string, so indenting after
 * each `\n` is exact).
 */

/** Array elements stringified together where they are stringified whole. */
const SLICE = 256;

/** Yields the pieces of `JSON.stringify(value, null, 2)`; walks `depth` levels of arrays and objects. */
export function* jsonChunks(value: unknown, depth = 2, indent = ''): Generator<string> {
  if (depth <= 0 || value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const s = JSON.stringify(value, null, 2);
    yield indent ? s.replace(/\n/g, `\n${indent}`) : s;
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    if (depth === 1) {
      // the elements are stringified a slice at a time (the same text in far fewer, larger
      // pieces), each slice wrapped in as many arrays as `indent` has levels, so that its
      // elements come out indented as in the whole text (no re-indenting pass over the text)
      const levels = indent.length / 2;
      // what the wrapping adds before the first element's line break: `[`, then `\n`, 2k spaces
      // and `[` for each level k; after the last element, the same closings and `\n]`
      const head = 1 + levels * levels + 3 * levels;
      for (let i = 0; i < value.length; i += SLICE) {
        let wrapped: unknown = value.slice(i, i + SLICE);
        for (let k = 0; k < levels; k++) wrapped = [wrapped];
        const s = JSON.stringify(wrapped, null, 2);
        yield `${i ? ',' : '['}${s.slice(head, s.length - head - 1)}`;
      }
      yield `\n${indent}]`;
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i ? ',' : ''}\n${inner}`;
      const v = value[i];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') yield 'null';
      else yield* jsonChunks(v, depth - 1, inner);
    }
    yield `\n${indent}]`;
    return;
  }
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(k)}: `;
    first = false;
    yield* jsonChunks(v, depth - 1, inner);
  }
  yield first ? '{}' : `\n${indent}}`;
}
