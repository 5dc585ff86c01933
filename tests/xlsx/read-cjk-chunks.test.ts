/**
 * Regression: exceljs 4.4's streaming reader corrupts Chinese text where a UTF-8 character straddles
 * a 16 KiB chunk (exceljs issues #2063, #2084, #2316). The project's reader decodes with a streaming
 * TextDecoder; this reads a CJK-heavy sheet many chunks long, with characters landing on every byte
 * offset, and compares every cell with exceljs's buffered reader.
 */
import { unzipSync } from 'fflate';
import { readXlsx } from '../../shared/xlsx/read';
import { exceljsRead, gridDiff, miniPackage, SHEET_NS, sheetXml } from './read-helpers';

/** Text whose UTF-8 length varies by 1–4 bytes per character, so boundaries fall everywhere. */
function cjkText(i: number): string {
  const pad = 'x'.repeat(i % 5); // shifts the following characters by 0–4 bytes
  const names = ['天津市河东区', '大王庄街道', '𠀀𠮷𡈽', '富民路街道', '（全角括号）', '鲁山道街道', 'é', '向阳楼街道'];
  return `${pad}${names[i % names.length]}${i}号${'低效用地再开发试点'.slice(0, 1 + (i % 9))}`;
}

/**
 * The workbook is written by hand, not by exceljs: exceljs 4.4's own writer was seen to put a U+FFFD
 * into a large shared-strings part where a 4-byte character (𠮷) fell (the bytes EF BF BD are in the
 * file), so it cannot be the source of truth for this test.
 */
function cjkPackage(rows: number, inline: boolean, level: 0 | 6): { data: Uint8Array; expected: (string | number)[][] } {
  const expected: (string | number)[][] = [];
  const sst: string[] = [];
  const cell = (ref: string, text: string) => {
    if (inline) return `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    sst.push(text);
    return `<c r="${ref}" t="s"><v>${sst.length - 1}</v></c>`;
  };
  let xml = '';
  for (let i = 0; i < rows; i++) {
    const r = i + 1;
    const vals = [cjkText(i), cjkText(i + 1) + cjkText(i + 2), i, cjkText(i * 7)];
    expected.push(vals);
    xml += `<row r="${r}">${cell(`A${r}`, vals[0] as string)}${cell(`B${r}`, vals[1] as string)}<c r="C${r}"><v>${i}</v></c>${cell(`D${r}`, vals[3] as string)}</row>`;
  }
  const data = miniPackage({
    sheets: [{ name: '中文', xml: sheetXml(xml) }],
    sharedStrings: inline ? undefined : `<?xml version="1.0" encoding="UTF-8"?><sst ${SHEET_NS} count="${sst.length}" uniqueCount="${sst.length}">${sst.map((t) => `<si><t>${t}</t></si>`).join('')}</sst>`,
    level,
  });
  return { data, expected };
}

// The stored (level 0) packages are the sharp edge: the reader hands the decoder 16 KiB slices, so
// characters are cut at fixed offsets; decoding each slice on its own makes those cases fail.
describe('CJK text across chunk boundaries', () => {
  test.each([
    ['shared strings, deflated', false, 6],
    ['shared strings, stored', false, 0],
    ['inline strings, deflated', true, 6],
    ['inline strings, stored', true, 0],
  ] as const)('%s: every cell equals the source and the exceljs buffered read, no U+FFFD', async (_label, inline, level) => {
    const { data, expected } = cjkPackage(3000, inline, level);
    const parts = unzipSync(data);
    // many 16 KiB chunks in the part that holds the text
    expect(parts[inline ? 'xl/worksheets/sheet1.xml' : 'xl/sharedStrings.xml'].length).toBeGreaterThan(8 * 16 * 1024);
    const ours = await readXlsx(data, 'cjk.xlsx');
    expect(ours.sheets[0].rows).toEqual(expected);
    const ref = await exceljsRead(data);
    expect(gridDiff(ours, ref)).toEqual([]);
    expect(ours.sheets[0].rows.flat().some((v) => typeof v === 'string' && v.includes('\uFFFD'))).toBe(false);
  });
});
