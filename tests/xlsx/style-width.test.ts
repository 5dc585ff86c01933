import { displayWidth, isWideCodePoint, wrappedLines } from '../../shared/xlsx/style';

/** The width by code points, iterated the obvious way (the fast char-code loop must agree with it). */
function byCodePoints(text: string): number {
  let w = 0;
  for (const ch of text) w += isWideCodePoint(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

test('display width: CJK and full-width count two, ASCII one, a supplementary CJK character (𠮷) two, a lone surrogate one', () => {
  expect(displayWidth('IND-PLOT')).toBe(8);
  expect(displayWidth('河东区（大王庄）')).toBe(16);
  expect(displayWidth('𠮷野家')).toBe(6);
  expect(displayWidth('a\uD842b')).toBe(3);
  expect(displayWidth('😀')).toBe(1); // outside the wide ranges: one column, as one character
});

test('display width agrees with a code-point count over mixed random text', () => {
  const pool = ['a', '1', ' ', '河', '東', '，', 'Ａ', '한', '𠮷', '😀', '\uD800', '\uDC00', 'é', '\u3000'];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % pool.length);
  for (let k = 0; k < 300; k++) {
    let s = '';
    for (let i = 0; i < k % 40; i++) s += pool[rnd()];
    expect([s, displayWidth(s)]).toEqual([s, byCodePoints(s)]);
  }
});

test('wrapped lines: each line of the text wraps on its own in the column width', () => {
  expect(wrappedLines('', 10)).toBe(1);
  expect(wrappedLines('河东区大王庄街道', 9)).toBe(2); // 16 columns in 8 usable
  expect(wrappedLines('ab\n河东区大王庄街道\n', 9)).toBe(4);
});
