import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { MAX_CELL_TEXT, safeNumber, safeSheetName, safeText, sheetRef } from '../../shared/xlsx/safe';

describe('safeText', () => {
  test('keeps formula-looking text as it is (it is written as a string, not turned into a formula)', () => {
    for (const v of ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)', '=厂房闲置']) expect(safeText(v)).toBe(v);
  });

  test('objects read from a workbook become their visible text, never a formula object', () => {
    expect(safeText({ formula: 'HYPERLINK("http://x")', result: '点我' })).toBe('点我');
    expect(safeText({ richText: [{ text: '纳税总额' }, { text: '(万元)' }] })).toBe('纳税总额(万元)');
    expect(safeText({ text: '链接', hyperlink: 'http://x' })).toBe('链接');
    expect(safeText({ error: '#N/A' })).toBe('#N/A');
    expect(safeText(null)).toBe('');
    expect(safeText(new Date(Date.UTC(2022, 11, 31)))).toBe('2022-12-31');
  });

  test('drops characters XML cannot carry and cuts to the Excel cell limit', () => {
    expect(safeText('a\u0000b\u0007c\td\ne')).toBe('abc\td\ne');
    expect(safeText('x\uD800y')).toBe('xy');
    expect(safeText('😀')).toBe('😀');
    expect(safeText('字'.repeat(MAX_CELL_TEXT + 10))).toHaveLength(MAX_CELL_TEXT);
  });

  test('safeNumber refuses NaN and Infinity', () => {
    expect(safeNumber(1.5)).toBe(1.5);
    expect(safeNumber(NaN)).toBeNull();
    expect(safeNumber(Infinity)).toBeNull();
    expect(safeNumber('3')).toBeNull();
  });
});

describe('safeSheetName', () => {
  test('removes characters Excel forbids and cuts to 31 characters', () => {
    expect(safeSheetName('a[b]c:d*e?f/g\\h')).toBe('a_b_c_d_e_f_g_h');
    expect(safeSheetName("'引号'")).toBe('引号');
    expect(safeSheetName('   ')).toBe('Sheet');
    expect(safeSheetName('History')).toBe('History_');
    expect(Array.from(safeSheetName('河'.repeat(40)))).toHaveLength(31);
  });

  test('makes names unique, case-insensitively, within 31 characters', () => {
    const taken = new Set(['问题清单', 'Data']);
    expect(safeSheetName('问题清单', taken)).toBe('问题清单 (2)');
    expect(safeSheetName('问题清单', taken)).toBe('问题清单 (3)');
    expect(safeSheetName('data', taken)).toBe('data (2)');
    const long = 'x'.repeat(31);
    taken.add(long);
    const u = safeSheetName(long, taken);
    expect(u).toHaveLength(31);
    expect(u.endsWith(' (2)')).toBe(true);
  });

  test('sheetRef quotes and doubles apostrophes', () => {
    expect(sheetRef("张三's 表", 'C7')).toBe("'张三''s 表'!C7");
  });
});

describe('both exceljs writers store formula-looking strings as strings', () => {
  const values = ['=HYPERLINK("http://evil.example","x")', '+1', '-2', '@SUM(A1:A2)'];

  function cellsOf(xml: string): string[] {
    return [...xml.matchAll(/<c r="A\d+"[^>]*?(?:\/>|>.*?<\/c>)/g)].map((m) => m[0]);
  }

  test('buffered writer', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    values.forEach((v, i) => (ws.getCell(i + 1, 1).value = safeText(v)));
    const files = unzipSync(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
    const cells = cellsOf(strFromU8(files['xl/worksheets/sheet1.xml']));
    expect(cells).toHaveLength(values.length);
    for (const c of cells) {
      expect(c).toMatch(/t="s"/);
      expect(c).not.toContain('<f>');
    }
  });

  test('streaming writer', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (d: Buffer) => chunks.push(d));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true, useStyles: true });
    const ws = wb.addWorksheet('s');
    values.forEach((v) => ws.addRow([safeText(v)]).commit());
    ws.commit();
    await wb.commit();
    const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
    const cells = cellsOf(strFromU8(files['xl/worksheets/sheet1.xml']));
    expect(cells).toHaveLength(values.length);
    for (const c of cells) {
      expect(c).toMatch(/t="s"/);
      expect(c).not.toContain('<f>');
    }
    const shared = strFromU8(files['xl/sharedStrings.xml']);
    expect(shared).toContain('=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)');
  });
});
