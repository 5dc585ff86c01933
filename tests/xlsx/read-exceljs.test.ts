/**
 * The project's reader must see exactly what exceljs's buffered reader sees, cell by cell, on messy
 * workbooks: that is the behaviour the rest of the project was designed against.
 */
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORM_IDS, getForm, TEMPLATE_VERSION } from '../../shared/forms';
import { readXlsx } from '../../shared/xlsx/read';
import { writeTemplate } from '../../shared/xlsx/template';
import { exceljsRead, gridDiff, writeBuffer } from './read-helpers';

function messyWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.title = '低效工业调查表';
  wb.keywords = 'formId=industrial;templateVersion=2022.1';
  const ws = wb.addWorksheet('低效工业调查表');
  ws.mergeCells('A1:H1');
  ws.getCell('A1').value = { richText: [{ text: '河东区', font: { bold: true } }, { text: '低效工业调查表（2022年度）' }] };
  ws.addRow([]);
  ws.getRow(3).values = ['宗地代码', '企业名称', '统一社会信用代码', '用地面积(㎡)', '停产起始日期', '年税收(万元)', '备注', '链接'];
  const d1 = new Date(Date.UTC(2020, 5, 1));
  const d2 = new Date(Date.UTC(2019, 11, 31, 13, 30, 0));
  ws.getRow(4).values = [
    '120102001002GB00001', '天津市河东区某某机械制造有限公司', '91120102MA05KXXX1X', 12000.5, d1, 3.2,
    '  前后有空格  ', { text: '政策链接', hyperlink: 'https://www.tjhd.gov.cn/' },
  ];
  ws.getCell('E4').numFmt = 'yyyy-mm-dd';
  ws.getRow(5).values = [
    '１２０１０２００１００２ＧＢ００００２', '（全角）天津ＡＢＣ有限公司', '00123', '12,000', d2, { formula: 'D4/15', result: 800.0333333 },
    '第一行\r\n第二行', { formula: 'A4&"-"&B4', result: '120102001002GB00001-天津市河东区某某机械制造有限公司' },
  ];
  ws.getCell('E5').numFmt = 'yyyy"年"m"月"d"日" h:mm';
  ws.getRow(6).values = [
    '<&>"\'', true, false, { error: '#N/A' }, { formula: '1/0', result: { error: '#DIV/0!' } }, { formula: 'SUM(D4:D5)' }, 0, -1.5e-7,
  ];
  ws.getRow(7).hidden = true;
  ws.getRow(7).values = ['隐藏行', '𠀀𠮷 扩展B区汉字', 42, 0.125];
  ws.getCell('D7').numFmt = '0.00%';
  ws.getCell('C7').numFmt = '#,##0"万元"';
  // blank rows 8-9, then a value far right on row 10
  ws.getCell('L10').value = '最右';
  ws.getCell('A12').value = { richText: [{ text: '富文本' }, { text: '第二段', font: { color: { argb: 'FFFF0000' } } }] };
  ws.getCell('B12').value = new Date(Date.UTC(1999, 0, 1));
  ws.getCell('B12').numFmt = 'm/d/yy';
  ws.getCell('C12').value = 45000;
  ws.getCell('C12').numFmt = '[h]:mm:ss';
  ws.getCell('D12').value = 45000;
  ws.getCell('D12').numFmt = '"yyyy"0.00';
  ws.getCell('E12').value = { formula: 'DATE(2021,3,4)', result: new Date(Date.UTC(2021, 2, 4)) };
  ws.getCell('E12').numFmt = 'yyyy-mm-dd';
  ws.mergeCells('F12:G13');
  ws.getCell('F12').value = '合并单元格';

  const hidden = wb.addWorksheet('隐藏表', { state: 'hidden' });
  hidden.getCell('A1').value = '代码表';
  hidden.getCell('B2').value = 7;
  const vh = wb.addWorksheet('深度隐藏', { state: 'veryHidden' });
  vh.getCell('C3').value = '看不见';
  wb.addWorksheet('空表');
  const wide = wb.addWorksheet('大表');
  for (let r = 1; r <= 300; r++) {
    wide.addRow([r, `第${r}行的企业名称有限责任公司`, r * 1.5, r % 3 === 0 ? null : `备注${'中'.repeat(r % 40)}`]);
  }
  return wb;
}

describe('readXlsx equals exceljs buffered reader', () => {
  test('messy workbook written by exceljs (shared strings)', async () => {
    const data = await writeBuffer(messyWorkbook());
    const ours = await readXlsx(data, 'messy.xlsx');
    const ref = await exceljsRead(data, 'messy.xlsx');
    expect(gridDiff(ours, ref)).toEqual([]);
    // what a user relies on, spelled out
    const s = ours.sheets[0];
    expect(s.rows[0][0]).toBe('河东区低效工业调查表（2022年度）');
    expect(s.rows[3][4]).toEqual(new Date(Date.UTC(2020, 5, 1)));
    expect(s.rows[4][2]).toBe('00123');
    // exceljs writes the CR LF raw; XML end-of-line handling makes it a line feed
    expect(s.rows[4][6]).toBe('第一行\n第二行');
    expect(s.rows[5][3]).toEqual({ error: '#N/A' });
    expect(s.rows[5][5]).toBeNull(); // formula without cached result
    expect(s.rows[6][1]).toBe('𠀀𠮷 扩展B区汉字'); // hidden row still read
    expect(s.rows[11][6]).toBeNull(); // merged, not the top-left cell
    expect(s.rows[11][2]).toBeInstanceOf(Date); // [h]:mm:ss is a time format
    expect(s.rows[11][3]).toBe(45000); // "yyyy" in quotes is not a date
    expect(ours.sheets.map((x) => [x.name, !!x.hidden])).toEqual([
      ['低效工业调查表', false], ['隐藏表', true], ['深度隐藏', true], ['空表', false], ['大表', false],
    ]);
    expect(ours.sheets[3].rows).toEqual([]);
    expect(ours.properties).toMatchObject({ title: '低效工业调查表', formId: 'industrial', templateVersion: '2022.1' });
    expect(ref.properties).toEqual(ours.properties);
  });

  test('workbook written by the exceljs streaming writer with inline strings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsxread-'));
    try {
      const file = join(dir, 'stream.xlsx');
      const w = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
      const ws = w.addWorksheet('商办');
      ws.addRow(['楼宇名称', '建成日期', '面积']).commit();
      for (let i = 0; i < 50; i++) {
        const row = ws.addRow([{ richText: [{ text: `楼宇` }, { text: `${i}号` }] }, new Date(Date.UTC(2000 + (i % 20), i % 12, 1 + i)), i * 10.25]);
        row.getCell(2).numFmt = 'yyyy-mm-dd';
        row.commit();
      }
      ws.commit();
      await w.commit();
      const data = readFileSync(file);
      // the point of this case: the strings really are inline (t="inlineStr"), not shared
      expect(strFromU8(unzipSync(data)['xl/worksheets/sheet1.xml'])).toContain('t="inlineStr"');
      const ours = await readXlsx(data, file);
      const ref = await exceljsRead(data, file);
      expect(gridDiff(ours, ref)).toEqual([]);
      expect(ours.sheets[0].rows[1]).toEqual(['楼宇0号', new Date(Date.UTC(2000, 0, 1)), 0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('date1904 workbook: dates come out the same as in a 1900 workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('日期');
    ws.getCell('A1').value = new Date(Date.UTC(2022, 11, 31));
    ws.getCell('A1').numFmt = 'yyyy-mm-dd';
    const data = await writeBuffer(wb);
    const parts = unzipSync(data);
    expect(strFromU8(parts['xl/workbook.xml'])).toMatch(/date1904="(1|true)"/);
    expect(strFromU8(parts['xl/worksheets/sheet1.xml'])).toContain('<v>43464</v>'); // 1904 serial of 2022-12-31
    const ours = await readXlsx(data, 'd1904.xlsx');
    expect(ours.sheets[0].rows[0][0]).toEqual(new Date(Date.UTC(2022, 11, 31)));
    expect(gridDiff(ours, await exceljsRead(data))).toEqual([]);
  });
});

describe('templates written by the project', () => {
  test.each(FORM_IDS)('%s template: same grid as exceljs, form id and version from the properties', async (id) => {
    const data = new Uint8Array(await writeTemplate(id, { rows: 20 }));
    const ours = await readXlsx(data, `${id}.xlsx`);
    expect(gridDiff(ours, await exceljsRead(data))).toEqual([]);
    expect(ours.properties).toMatchObject({ formId: id, templateVersion: TEMPLATE_VERSION });
    // the header row holds the catalogue's titles, in order
    const titles = getForm(id).fields.map((f) => f.title);
    expect(ours.sheets.some((s) => s.rows.some((r) => titles.every((t, i) => r[i] === t)))).toBe(true);
  });
});

function hasSoffice(): boolean {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore', timeout: 30000 });
    return true;
  } catch {
    return false;
  }
}

const soffice = hasSoffice();
(soffice ? describe : describe.skip)('workbook saved by LibreOffice', () => {
  test('exceljs-written workbook converted by soffice reads the same as exceljs reads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsxread-lo-'));
    try {
      const src = join(dir, 'src.xlsx');
      writeFileSync(src, await writeBuffer(messyWorkbook()));
      const out = join(dir, 'out');
      execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'xlsx', '--outdir', out, src], {
        stdio: 'ignore',
        timeout: 120000,
      });
      const data = readFileSync(join(out, 'src.xlsx'));
      const ours = await readXlsx(data, 'lo.xlsx');
      const ref = await exceljsRead(data, 'lo.xlsx');
      expect(gridDiff(ours, ref)).toEqual([]);
      expect(ours.sheets[0].rows[3][1]).toBe('天津市河东区某某机械制造有限公司');
      expect(ours.sheets[0].rows[3][4]).toEqual(new Date(Date.UTC(2020, 5, 1)));
      expect(ours.sheets[0].rows[5][2]).toBe(false); // LibreOffice writes FALSE as a formula with cached 0
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180000);

  test('a real legacy .xls saved by LibreOffice is refused with “save as .xlsx”', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsxread-xls-'));
    try {
      const src = join(dir, 'src.xlsx');
      writeFileSync(src, await writeBuffer(messyWorkbook()));
      execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'xls', '--outdir', dir, src], { stdio: 'ignore', timeout: 120000 });
      const data = readFileSync(join(dir, 'src.xls'));
      await expect(readXlsx(data, 'old.xls')).rejects.toMatchObject({ name: 'UnusableInputError', reasonZh: expect.stringContaining('另存为') });
      await expect(readXlsx(data, 'old.xls')).rejects.toMatchObject({ reasonEn: expect.stringContaining('legacy') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180000);
});
if (!soffice) {
  test.skip('LibreOffice round trip skipped: soffice is not installed on this machine', () => undefined);
}
