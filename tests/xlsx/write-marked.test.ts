import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { getForm } from '../../shared/forms';
import { makeIssue, type Issue } from '../../shared/issues/issue';
import { ISSUE_LIST_TITLES, ISSUE_LIST_WIDTHS, sortIssues } from '../../shared/issues/list';
import { readWorkbook } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import { ISSUE_SHEET_NAME, MARK_PREFIX, MARKER_SHEET_NAME, writeMarkedCopy, writeMarkedCopy as writeMarked } from '../../shared/xlsx/marked';
import { readXlsx } from '../../shared/xlsx/read';
import { SEVERITY_ARGB, wrappedLines } from '../../shared/xlsx/style';
import { writeTemplate } from '../../shared/xlsx/template';

const SHEET = '低效工业调查表';
const form = getForm('industrial');
const col = (key: string) => String.fromCharCode(64 + form.fields.findIndex((f) => f.key === key) + 1);
const GREEN: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF00B050' } };

async function load(buf: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(buf) as unknown as ExcelJS.Buffer);
  return wb;
}

async function save(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

function noteText(cell: ExcelJS.Cell): string {
  const n = cell.note as unknown;
  if (!n) return '';
  if (typeof n === 'string') return n;
  return ((n as ExcelJS.Comment).texts ?? []).map((t) => t.text).join('');
}

function argb(cell: ExcelJS.Cell): string | undefined {
  const f = cell.fill as ExcelJS.FillPattern | undefined;
  return (f?.fgColor as { argb?: string } | undefined)?.argb;
}

/** A department's filled industrial form: the project's template, three records, mistakes in rows 4 and 5. */
async function filledWorkbook(): Promise<Buffer> {
  const wb = await load(await writeTemplate('industrial', { rows: 20 }));
  const ws = wb.getWorksheet(SHEET)!;
  const rows: Record<string, unknown>[] = [
    { parcelId: '120102001002GB00001', enterpriseName: '天津甲机械有限公司', uscc: '91110000600037341L', industryCode: '3411', landArea: 10000, floorArea: 6000, footprint: 3500, status: '正常生产', tax: 120 },
    { parcelId: '120102001002GB00002', enterpriseName: '=HYPERLINK("http://evil.example","点我")', uscc: '91110000600037341X', industryCode: '3411', landArea: 8000, floorArea: 4000, footprint: 9000, status: '停产' },
    { parcelId: '120102001002GB00003', enterpriseName: '天津丙科技有限公司', uscc: '91350100M000100Y43', industryCode: '3311', landArea: 'abc', floorArea: 100, footprint: 50, status: '正常生产' },
  ];
  rows.forEach((r, i) => {
    for (const [k, v] of Object.entries(r)) ws.getCell(`${col(k)}${3 + i}`).value = v as ExcelJS.CellValue;
  });
  // the user's own formatting: a green fill with a note on a cell that will be marked, and one elsewhere
  ws.getCell(`${col('uscc')}4`).fill = GREEN;
  ws.getCell(`${col('uscc')}4`).note = '信用代码待企业确认';
  ws.getCell(`${col('enterpriseName')}3`).fill = GREEN;
  ws.getCell(`${col('enterpriseName')}3`).note = '重点企业';
  ws.getCell(`${col('problemDesc')}3`).value = '厂房老旧';
  ws.getCell(`${col('problemDesc')}3`).font = { bold: true, color: { argb: 'FFFF0000' } };
  return save(wb);
}

async function issuesOf(buf: Uint8Array): Promise<Issue[]> {
  const grid = await readXlsx(new Uint8Array(buf), 'industrial.xlsx');
  return readWorkbook(grid, defaultRuleSet()).flatMap((r) => r.issues);
}

describe.each(['exceljs', 'patch'] as const)('marked copy of a checked workbook (%s)', (engine) => {
  const writeMarkedCopy = (o: Uint8Array, i: Issue[]) => writeMarked(o, i, { engine });
  let original: Buffer;
  let issues: Issue[];
  let marked: Buffer;
  beforeAll(async () => {
    original = await filledWorkbook();
    issues = await issuesOf(original);
    marked = await writeMarkedCopy(original, issues);
  });

  test('the reader found cell-level issues to mark (the fixture is meaningful)', () => {
    const cells = issues.filter((i) => i.row !== null && i.column);
    expect(cells.some((i) => i.code === 'invalid-uscc' && i.row === 4)).toBe(true);
    expect(cells.some((i) => i.row === 5 && i.column === col('landArea'))).toBe(true);
  });

  test('each offending cell is filled in its severity colour and carries a 【校验】 note with the message', async () => {
    const ws = (await load(marked)).getWorksheet(SHEET)!;
    const worst = new Map<string, Issue[]>();
    for (const is of issues.filter((i) => i.row !== null && i.column)) {
      const a = `${is.column}${is.row}`;
      worst.set(a, [...(worst.get(a) ?? []), is]);
    }
    expect(worst.size).toBeGreaterThan(0);
    for (const [addr, list] of worst) {
      const cell = ws.getCell(addr);
      const sev = list.some((i) => i.severity === 'error') ? 'error' : list.some((i) => i.severity === 'warning') ? 'warning' : 'info';
      expect(argb(cell)).toBe(SEVERITY_ARGB[sev]);
      const text = noteText(cell);
      expect(text.startsWith(MARK_PREFIX)).toBe(true);
      for (const is of list) expect(text).toContain(is.message);
    }
    // the user's note on a marked cell is kept inside the mark
    expect(noteText(ws.getCell(`${col('uscc')}4`))).toContain('信用代码待企业确认');
  });

  test("the user's data and formatting are otherwise unchanged", async () => {
    const before = (await readXlsx(new Uint8Array(original), 'a.xlsx')).sheets.find((s) => s.name === SHEET)!;
    const after = (await readXlsx(new Uint8Array(marked), 'b.xlsx')).sheets.find((s) => s.name === SHEET)!;
    expect(after.rows).toEqual(before.rows);
    const ws = (await load(marked)).getWorksheet(SHEET)!;
    expect(argb(ws.getCell(`${col('enterpriseName')}3`))).toBe('FF00B050');
    expect(noteText(ws.getCell(`${col('enterpriseName')}3`))).toBe('重点企业');
    expect(ws.getCell(`${col('problemDesc')}3`).font).toMatchObject({ bold: true, color: { argb: 'FFFF0000' } });
    // a formula-looking text stays text
    expect(ws.getCell(`${col('enterpriseName')}4`).type).toBe(ExcelJS.ValueType.String);
    // the template's drop-downs and header notes survive
    const xml = strFromU8(unzipSync(new Uint8Array(marked))['xl/worksheets/sheet1.xml']);
    expect(xml).toContain('<dataValidation');
    expect(noteText(ws.getCell('A2'))).toContain(form.fields[0].help);
  });

  test('the 问题清单 sheet lists every issue with an internal hyperlink to its cell', async () => {
    const wb = await load(marked);
    const list = wb.getWorksheet(ISSUE_SHEET_NAME)!;
    expect(list).toBeDefined();
    // the shared layout (the same as the add-in's), one row per issue in the shared order
    expect(ISSUE_LIST_TITLES.map((_, k) => list.getRow(3).getCell(k + 1).value)).toEqual([...ISSUE_LIST_TITLES]);
    const message = ISSUE_LIST_TITLES.indexOf('问题说明') + 1;
    const rows: string[] = [];
    list.eachRow((row, r) => {
      if (r >= 4) rows.push(String(row.getCell(message).value));
    });
    expect(rows).toEqual(sortIssues(issues).map((i) => i.message));
    // each link sits in 位置 of its own issue's row
    const location = ISSUE_LIST_TITLES.indexOf('位置') + 1;
    sortIssues(issues).forEach((is, k) => {
      const cell = list.getRow(4 + k).getCell(location);
      expect(list.getRow(4 + k).getCell(1).value).toBe(k + 1);
      if (is.row !== null && is.column) expect(cell.text).toBe(`${is.column}${is.row}`);
    });
    const files = unzipSync(new Uint8Array(marked));
    const sheetNo = wb.worksheets.findIndex((w) => w.name === ISSUE_SHEET_NAME) + 1;
    const xml = strFromU8(files[`xl/worksheets/sheet${sheetNo}.xml`]);
    const links = [...xml.matchAll(/<hyperlink ([^>]*)\/>/g)].map((m) => m[1]);
    const located = issues.filter((i) => i.row !== null && i.column);
    expect(links).toHaveLength(located.length);
    // the apostrophes of the sheet reference written either as &apos; or as is (both the same XML)
    for (const is of located) expect(xml.replace(/&apos;/g, "'")).toContain(`location="'${SHEET}'!${is.column}${is.row}"`);
    // purely internal: no relationship that a program could try to open as a file
    for (const l of links) expect(l).not.toMatch(/r:id=/);
    const rels = files[`xl/worksheets/_rels/sheet${sheetNo}.xml.rels`];
    if (rels) expect(strFromU8(rels)).not.toContain('hyperlink');
  });

  test('a 问题清单 row is tall enough for its wrapped message; a row whose texts fit keeps the default height', async () => {
    const list = (await load(marked)).getWorksheet(ISSUE_SHEET_NAME)!;
    const width = ISSUE_LIST_WIDTHS[ISSUE_LIST_TITLES.indexOf('问题说明')];
    let wrapped = 0;
    list.eachRow((row, r) => {
      if (r < 4) return;
      // one line of 10.5 pt text is 14 pt: the row holds every line its longest text wraps to
      const lines = Math.max(...ISSUE_LIST_TITLES.map((_, k) => {
        const v = row.getCell(k + 1).value;
        return typeof v === 'string' ? wrappedLines(v, ISSUE_LIST_WIDTHS[k]) : 1;
      }));
      if (lines > 1) {
        wrapped++;
        expect({ r, height: row.height }).toEqual({ r, height: expect.any(Number) });
        expect(row.height).toBeGreaterThanOrEqual(lines * 14);
      } else expect({ r, height: row.height ?? null }).toEqual({ r, height: null });
    });
    // the fixture's messages are longer than the column: the check above is not empty
    expect(width).toBeLessThan(40);
    expect(wrapped).toBeGreaterThan(0);
  });

  test('reading the marked copy finds the same form and the same issues', async () => {
    expect(await issuesOf(marked)).toEqual(issues);
  });

  test('checking the marked copy again does not pile marks up; fixed cells lose their marks', async () => {
    // the department fixed row 5: only the row-4 issues remain
    const remaining = issues.filter((i) => i.row === 4);
    const again = await writeMarkedCopy(marked, remaining);
    const wb = await load(again);
    expect(wb.worksheets.filter((w) => w.name.startsWith(ISSUE_SHEET_NAME))).toHaveLength(1);
    expect(wb.worksheets.filter((w) => w.name === MARKER_SHEET_NAME)).toHaveLength(1);
    const ws = wb.getWorksheet(SHEET)!;
    const fixed = ws.getCell(`${col('landArea')}5`);
    expect(noteText(fixed)).toBe('');
    expect(argb(fixed)).toBeUndefined();
    const still = ws.getCell(`${col('uscc')}4`);
    expect(argb(still)).toBe(SEVERITY_ARGB.error);
    // one mark, the user's note once
    expect(noteText(still).split(MARK_PREFIX)).toHaveLength(2);
    expect(noteText(still).split('信用代码待企业确认')).toHaveLength(2);
    // checking with no issues restores the user's own fill and note exactly
    const clean = await load(await writeMarkedCopy(again, []));
    const c = clean.getWorksheet(SHEET)!.getCell(`${col('uscc')}4`);
    expect(argb(c)).toBe('FF00B050');
    expect(noteText(c)).toBe('信用代码待企业确认');
    const listed: number[] = [];
    clean.getWorksheet(ISSUE_SHEET_NAME)!.eachRow((_, r) => listed.push(r));
    expect(Math.max(...listed)).toBe(3); // title, summary, header: no issue rows
  });

  test('old marks are recognised even when the bookkeeping sheet is gone', async () => {
    const wb = await load(marked);
    wb.removeWorksheet(wb.getWorksheet(MARKER_SHEET_NAME)!.id);
    // a user's own cell that happens to use a severity colour but has no 【校验】 note is not ours
    const ws = wb.getWorksheet(SHEET)!;
    ws.getCell(`${col('employees')}3`).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: SEVERITY_ARGB.warning } };
    const again = await load(await writeMarkedCopy(await save(wb), []));
    const s = again.getWorksheet(SHEET)!;
    for (const is of issues.filter((i) => i.row !== null && i.column)) {
      expect(noteText(s.getCell(`${is.column}${is.row}`)).startsWith(MARK_PREFIX)).toBe(false);
    }
    expect(argb(s.getCell(`${col('landArea')}5`))).toBeUndefined();
    expect(argb(s.getCell(`${col('employees')}3`))).toBe(SEVERITY_ARGB.warning);
    expect(again.worksheets.filter((w) => w.name.startsWith(ISSUE_SHEET_NAME))).toHaveLength(1);
  });
});

describe('a copy marked by the exceljs path, checked again with the patch engine', () => {
  test("its marks are cleared and the user's own fill and note come back", async () => {
    const original = await filledWorkbook();
    const issues = await issuesOf(original);
    const byExceljs = await writeMarkedCopy(original, issues);
    const wb = await load(await writeMarked(byExceljs, [], { engine: 'patch' }));
    const ws = wb.getWorksheet(SHEET)!;
    const c = ws.getCell(`${col('uscc')}4`);
    expect(argb(c)).toBe('FF00B050');
    expect(noteText(c)).toBe('信用代码待企业确认');
    expect(argb(ws.getCell(`${col('landArea')}5`))).toBeUndefined();
    expect(noteText(ws.getCell(`${col('landArea')}5`))).toBe('');
    expect(wb.worksheets.filter((w) => w.name.startsWith(ISSUE_SHEET_NAME))).toHaveLength(1);
    expect(wb.worksheets.filter((w) => w.name === MARKER_SHEET_NAME)).toHaveLength(1);
  });
});

describe('issues without a cell, sheet names, formula-looking values', () => {
  test('a column-level issue marks the header cell; parcel-level and missing-column issues are only listed', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(SHEET);
    ws.addRow([SHEET]);
    ws.addRow(['宗地代码', '企业名称', '备注X']);
    ws.addRow(['120102001002GB00001', '甲', 'x']);
    const issues = [
      makeIssue('unknown-column', { form: 'industrial', sheet: SHEET, column: 'C', value: '备注X' }),
      makeIssue('missing-column', { form: 'industrial', sheet: SHEET, field: '统一社会信用代码' }),
      makeIssue('area-mismatch', { form: 'industrial', sheet: SHEET, parcelId: '120102001002GB00001', value: 1, expected: 2, detail: '5%' }),
    ];
    const out = await load(await writeMarkedCopy(await save(wb), issues));
    const s = out.getWorksheet(SHEET)!;
    expect(argb(s.getCell('C2'))).toBe(SEVERITY_ARGB.warning);
    expect(noteText(s.getCell('C2'))).toContain('备注X');
    expect(noteText(s.getCell('C3'))).toBe('');
    const list = out.getWorksheet(ISSUE_SHEET_NAME)!;
    const at = (r: number, title: string) => list.getRow(r).getCell(ISSUE_LIST_TITLES.indexOf(title) + 1);
    const rowOf = (code: string) => [4, 5, 6].find((r) => at(r, '问题代码').value === code)!;
    expect(at(rowOf('unknown-column'), '位置').text).toBe('C2');
    expect(at(rowOf('missing-column'), '问题说明').value).toBe(issues[1].message);
    expect(at(rowOf('missing-column'), '位置').value).toBe('（整表）');
    expect(at(rowOf('area-mismatch'), '宗地代码').value).toBe('120102001002GB00001');
    expect(at(rowOf('area-mismatch'), '位置').value).toBe('（宗地）');
  });

  test("a user's own sheet called 问题清单 is kept; the list gets another name", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet(SHEET).addRow(['宗地代码']);
    wb.addWorksheet(ISSUE_SHEET_NAME).addRow(['我们自己的问题记录']);
    const out = await load(await writeMarkedCopy(await save(wb), []));
    expect(out.getWorksheet(ISSUE_SHEET_NAME)!.getCell('A1').value).toBe('我们自己的问题记录');
    expect(out.getWorksheet(`${ISSUE_SHEET_NAME} (2)`)).toBeDefined();
  });

  test('values that look like formulas are written into the list as text', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet(SHEET).addRow(['宗地代码']);
    const values = ['=HYPERLINK("http://evil.example","x")', '+1', '-2', '@SUM(A1:A2)'];
    const issues = values.map((v, i) => makeIssue('type-error', { form: 'industrial', sheet: SHEET, row: 3 + i, column: 'A', field: '宗地代码', value: v, expected: '文字' }));
    const out = await writeMarkedCopy(await save(wb), issues);
    const wbOut = await load(out);
    const list = wbOut.getWorksheet(ISSUE_SHEET_NAME)!;
    values.forEach((v, i) => {
      const cell = list.getRow(4 + i).getCell(ISSUE_LIST_TITLES.indexOf('填报值') + 1);
      expect(cell.value).toBe(v);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
    });
    const files = unzipSync(new Uint8Array(out));
    for (const [name, data] of Object.entries(files)) {
      if (name.startsWith('xl/worksheets/sheet')) expect(strFromU8(data)).not.toContain('<f>');
    }
  });
});

describe('nothing active from the input is carried over', () => {
  test.each(['exceljs', 'patch'] as const)('macros, external links and defined names are dropped; formulas on them keep their cached value (%s)', async (engine) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(SHEET);
    ws.addRow(['宗地代码', '数值']);
    ws.addRow(['120102001002GB00001', 5]);
    ws.addRow(['120102001002GB00002', 6]);
    ws.getCell('C2').value = { formula: '[1]Sheet1!$A$1', result: 42 } as ExcelJS.CellFormulaValue;
    ws.getCell('C3').value = { formula: 'SUM(myRange)', result: 11 } as ExcelJS.CellFormulaValue;
    ws.getCell('C4').value = { formula: 'SUM(B2:B3)', result: 11 } as ExcelJS.CellFormulaValue;
    wb.definedNames.add(`'${SHEET}'!$B$2:$B$3`, 'myRange');
    ws.pageSetup.printArea = 'A1:C4';
    const plain = new Uint8Array(await save(wb));
    // add a macro part and an external link the way Excel stores them
    const files = unzipSync(plain);
    files['xl/vbaProject.bin'] = strToU8('fake macro');
    files['xl/externalLinks/externalLink1.xml'] = strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>',
    );
    files['xl/externalLinks/_rels/externalLink1.xml.rels'] = strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="file:///C:/secret/other.xlsx" TargetMode="External"/></Relationships>',
    );
    let rels = strFromU8(files['xl/_rels/workbook.xml.rels']);
    rels = rels.replace('</Relationships>', '<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink" Target="externalLinks/externalLink1.xml"/><Relationship Id="rIdV1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>');
    files['xl/_rels/workbook.xml.rels'] = strToU8(rels);
    let book = strFromU8(files['xl/workbook.xml']);
    book = book.replace('</sheets>', '</sheets><externalReferences><externalReference r:id="rIdX1"/></externalReferences>');
    files['xl/workbook.xml'] = strToU8(book);
    const input = zipSync(files);

    // the patcher leaves such a workbook to the exceljs path
    const out = await writeMarkedCopy(input, [], { engine });
    const outFiles = unzipSync(new Uint8Array(out));
    const names = Object.keys(outFiles);
    expect(names.filter((n) => /vba|externalLink/i.test(n))).toEqual([]);
    const outBook = strFromU8(outFiles['xl/workbook.xml']);
    expect(outBook).not.toContain('myRange');
    expect(outBook).not.toContain('externalReference');
    // the print area is page setup, not a user name: kept
    expect(outBook).toContain('_xlnm.Print_Area');
    expect(strFromU8(outFiles['[Content_Types].xml'])).not.toMatch(/vba|macroEnabled/i);
    const s = (await load(out)).getWorksheet(SHEET)!;
    expect(s.getCell('C2').value).toBe(42);
    expect(s.getCell('C3').value).toBe(11);
    expect(s.getCell('C4').value).toMatchObject({ formula: 'SUM(B2:B3)' });
  });

  test('an input that is no zip is an unusable input with the reader’s Chinese and English reason', async () => {
    await expect(writeMarkedCopy(strToU8('not a zip'), [], { file: 'x.xlsx' })).rejects.toMatchObject({
      name: 'UnusableInputError',
      file: 'x.xlsx',
      reasonZh: expect.stringContaining('文件已损坏'),
      reasonEn: expect.stringContaining('corrupt'),
    });
  });
});

describe('patched marks on rows the sheet does not hold yet', () => {
  test('blank rows between data rows and after the last one get their marked cells, rows staying in order', async () => {
    // rows 1..2 (title, header) and 3 written; 6 written; marks on rows 4 and 5 (before row 6), 3 and 6
    // (existing rows), and 8 and 9 (after the last row)
    const wb = await load(await writeTemplate('industrial', { rows: 0 }));
    const ws = wb.getWorksheet(SHEET)!;
    ws.getCell('A3').value = '120102001002GB00001';
    ws.getCell('A6').value = '120102001002GB00006';
    const input = await save(wb);
    const at = (row: number, column: string) =>
      makeIssue('missing-value', { form: 'industrial', sheet: SHEET, row, column, field: form.fields[column.charCodeAt(0) - 65].title });
    const issues = [at(8, 'C'), at(4, 'C'), at(6, 'B'), at(5, 'D'), at(3, 'B'), at(9, 'B'), at(4, 'E')];
    const out = await writeMarked(input, issues, { engine: 'patch' });
    const sheetXml = strFromU8(unzipSync(new Uint8Array(out))['xl/worksheets/sheet1.xml']);
    const rowNumbers = [...sheetXml.matchAll(/<row\b[^>]*\br="(\d+)"/g)].map((m) => Number(m[1]));
    expect(rowNumbers).toEqual([...rowNumbers].sort((a, b) => a - b));
    expect(new Set(rowNumbers).size).toBe(rowNumbers.length);
    expect(rowNumbers).toEqual(expect.arrayContaining([3, 4, 5, 6, 8, 9]));
    const s = (await load(out)).getWorksheet(SHEET)!;
    for (const i of issues) expect([i.row, i.column, argb(s.getCell(`${i.column}${i.row}`))]).toEqual([i.row, i.column, SEVERITY_ARGB[i.severity]]);
    expect(s.getCell('A3').value).toBe('120102001002GB00001');
    expect(s.getCell('A6').value).toBe('120102001002GB00006');
  });
});

describe('patched marks on rows as other programs write them', () => {
  test('r after other attributes, rows out of order and self-closing rows are all found and marked', async () => {
    const files = unzipSync(new Uint8Array(await filledWorkbook()));
    let x = strFromU8(files['xl/worksheets/sheet1.xml']);
    // row 4 with its r attribute last (as some exporters write it)
    x = x.replace(/<row r="4"([^>]*)>/, '<row$1 r="4">');
    expect(x).toMatch(/<row [^>]+ r="4">/);
    // row 5 moved after row 6 (out of order, which Excel repairs and other programs tolerate)
    const row5 = /<row r="5"[\s\S]*?<\/row>/.exec(x)![0];
    x = x.replace(row5, '');
    const row6 = /<row r="6"[^>]*(\/>|>[\s\S]*?<\/row>)/.exec(x);
    x = row6 ? x.replace(row6[0], row6[0] + row5) : x.replace('</sheetData>', `${row5}</sheetData>`);
    // an empty self-closing row at 30
    x = x.replace('</sheetData>', '<row r="30" spans="1:3"/></sheetData>');
    files['xl/worksheets/sheet1.xml'] = strToU8(x);
    const input = Buffer.from(zipSync(files));
    const found = await issuesOf(input);
    const at = (row: number, column: string) =>
      makeIssue('missing-value', { form: 'industrial', sheet: SHEET, row, column, field: form.fields[column.charCodeAt(0) - 65].title });
    const issues = [...found, at(30, 'B'), at(4, 'A'), at(5, 'A')];
    expect(found.some((i) => i.row === 4 && i.column)).toBe(true);
    expect(found.some((i) => i.row === 5 && i.column)).toBe(true);
    const out = await writeMarked(input, issues, { engine: 'patch' });
    const s = (await load(out)).getWorksheet(SHEET)!;
    for (const i of issues.filter((y) => y.row !== null && y.column && y.code !== 'duplicate-key')) {
      expect([i.row, i.column, argb(s.getCell(`${i.column}${i.row}`))]).toEqual([i.row, i.column, SEVERITY_ARGB[i.severity]]);
    }
    // the values of the rows stay where they were
    expect(s.getCell('A4').value).toBe('120102001002GB00002');
    expect(s.getCell('A5').value).toBe('120102001002GB00003');
    const xml = strFromU8(unzipSync(new Uint8Array(out))['xl/worksheets/sheet1.xml']);
    expect(xml.match(/<row\b[^>]*\br="30"/g)).toHaveLength(1);
    expect(/<row\b[^>]*\br="30"[^>]*>(?:(?!<\/row>)[\s\S])*<c r="B30" s="\d+"/.test(xml)).toBe(true);
  });
});

describe('a workbook with an Excel 365 threaded comment', () => {
  const THREAD_NS = 'http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments';
  const UID = '{6A1E3C9B-2F40-4B7A-9C1D-0E5F7A8B9C01}';
  const PERSON = '{0B6C2A51-7D3E-4F18-A2B9-3C4D5E6F7A80}';
  /** filledWorkbook() with the note on the marked uscc cell of row 4 turned into a thread, as Excel 365 saves one. */
  async function threadedWorkbook(): Promise<{ input: Buffer; address: string; legacy: string; parts: Record<string, string> }> {
    const files = unzipSync(new Uint8Array(await filledWorkbook()));
    const address = `${col('uscc')}4`;
    const rels = 'xl/worksheets/_rels/sheet1.xml.rels';
    const commentsPart = /Target="\.\.\/(comments\d*\.xml)"/.exec(strFromU8(files[rels]))![1];
    let comments = strFromU8(files[`xl/${commentsPart}`]);
    const legacy =
      `<comment ref="${address}" authorId="0" shapeId="0" xr:uid="${UID}"><text><t>[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment; however, any edits to it will get removed if the file is opened in a newer version of Excel. Learn more: https://go.microsoft.com/fwlink/?linkid=870924\n\nComment:\n    信用代码待企业确认，请勿改动</t></text></comment>`;
    comments = comments.replace(new RegExp(`<comment ref="${address}"[\\s\\S]*?</comment>`), legacy);
    comments = comments.replace(/<comments\b([^>]*)>/, `<comments$1 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="xr" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision">`);
    expect(comments).toContain(legacy);
    files[`xl/${commentsPart}`] = strToU8(comments);
    const parts: Record<string, string> = {
      'xl/threadedComments/threadedComment1.xml':
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns="${THREAD_NS}" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
        `<threadedComment ref="${address}" dT="2026-11-30T09:15:00.00" personId="${PERSON}" id="${UID}"><text>信用代码待企业确认，请勿改动</text></threadedComment></ThreadedComments>`,
      'xl/persons/person.xml':
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<personList xmlns="${THREAD_NS}" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
        `<person displayName="王科长" id="${PERSON}" userId="wang@example.cn" providerId="AD"/></personList>`,
    };
    for (const [k, v] of Object.entries(parts)) files[k] = strToU8(v);
    files[rels] = strToU8(strFromU8(files[rels]).replace('</Relationships>', '<Relationship Id="rIdT1" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" Target="../threadedComments/threadedComment1.xml"/></Relationships>'));
    files['xl/_rels/workbook.xml.rels'] = strToU8(strFromU8(files['xl/_rels/workbook.xml.rels']).replace('</Relationships>', '<Relationship Id="rIdP1" Type="http://schemas.microsoft.com/office/2017/10/relationships/person" Target="persons/person.xml"/></Relationships>'));
    files['[Content_Types].xml'] = strToU8(strFromU8(files['[Content_Types].xml']).replace('</Types>',
      '<Override PartName="/xl/threadedComments/threadedComment1.xml" ContentType="application/vnd.ms-excel.threadedcomments+xml"/>' +
      '<Override PartName="/xl/persons/person.xml" ContentType="application/vnd.ms-excel.person+xml"/></Types>'));
    return { input: Buffer.from(zipSync(files)), address, legacy, parts };
  }

  test('the thread and its fallback note stay as they were; the cell is filled and listed, other cells get notes; re-marking keeps it so', async () => {
    const { input, address, legacy, parts } = await threadedWorkbook();
    const issues = await issuesOf(input);
    const here = issues.filter((i) => `${i.column}${i.row}` === address);
    expect(here.length).toBeGreaterThan(0); // the threaded cell is one that gets marked
    const elsewhere = issues.find((i) => i.row !== null && i.column && `${i.column}${i.row}` !== address && i.code !== 'duplicate-key')!;
    expect(elsewhere).toBeDefined();
    let copy = input;
    for (let round = 1; round <= 2; round++) {
      copy = await writeMarked(copy, await issuesOf(copy), { engine: 'patch' });
      const files = unzipSync(new Uint8Array(copy));
      for (const [k, v] of Object.entries(parts)) expect([round, k, strFromU8(files[k])]).toEqual([round, k, v]);
      const rels = strFromU8(files['xl/worksheets/_rels/sheet1.xml.rels']);
      expect(rels).toContain('Target="../threadedComments/threadedComment1.xml"');
      const commentsPart = /Target="\.\.\/(comments\d*\.xml)"/.exec(rels)![1];
      const comments = strFromU8(files[`xl/${commentsPart}`]);
      expect(comments).toContain(legacy); // byte for byte, uid and all: Excel pairs it with the thread
      expect(comments.match(new RegExp(`<comment ref="${address}"`, 'g'))).toHaveLength(1);
      expect(comments).toContain('xmlns:xr=');
      const wb = await load(copy);
      const ws = wb.getWorksheet(SHEET)!;
      expect(argb(ws.getCell(address))).toBe(SEVERITY_ARGB[here[0].severity]);
      expect(noteText(ws.getCell(`${elsewhere.column}${elsewhere.row}`))).toContain(MARK_PREFIX);
      const list = wb.getWorksheet(ISSUE_SHEET_NAME)!;
      const texts: string[] = [];
      list.eachRow((r) => texts.push(r.values!.toString()));
      expect(texts.some((t) => t.includes(here[0].message))).toBe(true);
    }
  });
});

describe("the document's list of sheet names (docProps/app.xml)", () => {
  const titles = (buf: Uint8Array) => {
    const x = strFromU8(unzipSync(new Uint8Array(buf))['docProps/app.xml']);
    const counts = [...x.matchAll(/<vt:lpstr>([^<]*)<\/vt:lpstr><\/vt:variant><vt:variant><vt:i4>(\d+)<\/vt:i4>/g)].map((m) => [m[1], Number(m[2])]);
    const tv = /<TitlesOfParts><vt:vector size="(\d+)" baseType="lpstr">([\s\S]*?)<\/vt:vector>/.exec(x)!;
    return { counts, size: Number(tv[1]), names: [...tv[2].matchAll(/<vt:lpstr>([^<]*)<\/vt:lpstr>/g)].map((m) => m[1]) };
  };
  const sheetNames = async (buf: Uint8Array) => (await load(buf)).worksheets.map((w) => w.name);

  test('lists the copy\'s sheets, the added ones included, with the other headings\' titles kept; re-marking does not pile them up', async () => {
    const files = unzipSync(new Uint8Array(await filledWorkbook()));
    // as Excel writes it for a workbook with a named range: a second heading after the worksheets
    files['docProps/app.xml'] = strToU8(strFromU8(files['docProps/app.xml'])
      .replace('<vt:vector size="2" baseType="variant">', '<vt:vector size="4" baseType="variant">')
      .replace('</vt:variant></vt:vector></HeadingPairs>', '</vt:variant><vt:variant><vt:lpstr>命名范围</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>')
      .replace(/<vt:vector size="1" baseType="lpstr">(.*?)<\/vt:vector>/, '<vt:vector size="2" baseType="lpstr">$1<vt:lpstr>地块清单</vt:lpstr></vt:vector>'));
    const input = zipSync(files);
    expect(titles(input)).toEqual({ counts: [['Worksheets', 1], ['命名范围', 1]], size: 2, names: [SHEET, '地块清单'] });
    let copy: Uint8Array = input;
    for (let round = 1; round <= 2; round++) {
      copy = await writeMarked(copy, await issuesOf(copy), { engine: 'patch' });
      const names = await sheetNames(copy);
      expect(names).toEqual([SHEET, ISSUE_SHEET_NAME, MARKER_SHEET_NAME]);
      expect([round, titles(copy)]).toEqual([round, { counts: [['Worksheets', 3], ['命名范围', 1]], size: 4, names: [...names, '地块清单'] }]);
    }
  });

  test('a list that is not the sheets as one run is left as it was', async () => {
    const files = unzipSync(new Uint8Array(await filledWorkbook()));
    const odd = strFromU8(files['docProps/app.xml']).replace(`<vt:lpstr>${SHEET}</vt:lpstr>`, '<vt:lpstr>别的表</vt:lpstr>');
    files['docProps/app.xml'] = strToU8(odd);
    const copy = await writeMarked(zipSync(files), await issuesOf(zipSync(files)), { engine: 'patch' });
    expect(strFromU8(unzipSync(new Uint8Array(copy))['docProps/app.xml'])).toBe(odd);
  });
});

describe('a copy made from the parts the read already inflated (validate -o)', () => {
  /**
   * The filled workbook: its sheet XML holds Chinese text after the cells (drop-down lists, the
   * footer); with formulas holding Chinese text among the cells too, or (`ascii`) none of it.
   */
  async function input(kind: 'ascii' | 'lists' | 'cells'): Promise<Buffer> {
    const original = await filledWorkbook();
    if (kind === 'lists') return original;
    if (kind === 'ascii') {
      const files = unzipSync(new Uint8Array(original));
      const x = strFromU8(files['xl/worksheets/sheet1.xml']);
      files['xl/worksheets/sheet1.xml'] = strToU8(x.replace(/<dataValidations\b[\s\S]*?<\/dataValidations>|<headerFooter\b[\s\S]*?<\/headerFooter>/g, ''));
      return Buffer.from(zipSync(files));
    }
    const wb = await load(original);
    wb.getWorksheet(SHEET)!.getCell('T3').value = { formula: 'LEN("河东区")', result: 3 };
    wb.getWorksheet(SHEET)!.getCell('T5').value = { formula: 'LEN("东丽区")&"个字"', result: '3个字' };
    return save(wb);
  }
  const parts = (b: Uint8Array) => unzipSync(new Uint8Array(b));

  test.each([
    ['all ASCII (strings shared, no drop-downs)', 'ascii'],
    ['with Chinese text in its drop-down lists', 'lists'],
    ['with Chinese text among the cells and in the lists', 'cells'],
  ] as const)('sheet XML %s: the same copy, part for part, as one that inflates everything itself', async (_label, kind) => {
    const original = await input(kind);
    const sheetXml = parts(original)['xl/worksheets/sheet1.xml'];
    expect(sheetXml.some((b) => b > 0x7f)).toBe(kind !== 'ascii');
    const inflated = new Map<string, Uint8Array>();
    const grid = await readXlsx(new Uint8Array(original), 'industrial.xlsx', undefined, { parts: inflated });
    const issues = readWorkbook(grid, defaultRuleSet()).flatMap((r) => r.issues);
    // the read hands over what it inflated, as the zip holds it
    expect(Buffer.from(inflated.get('xl/worksheets/sheet1.xml')!).equals(Buffer.from(sheetXml))).toBe(true);
    const own = parts(await writeMarked(original, issues, { engine: 'patch' }));
    const reused = parts(await writeMarked(original, issues, { engine: 'patch', inflated }));
    expect(Object.keys(reused)).toEqual(Object.keys(own));
    for (const name of Object.keys(own)) expect([name, strFromU8(reused[name])]).toEqual([name, strFromU8(own[name])]);
    // and it is a marked copy (both could be wrong alike): every marked cell in its severity's
    // colour, the data read back as before, the formulas with their Chinese text kept
    const copy = Buffer.from(zipSync(reused));
    const ws = (await load(copy)).getWorksheet(SHEET)!;
    const order = ['error', 'warning', 'info'] as const;
    const worst = new Map<string, (typeof order)[number]>();
    for (const is of issues.filter((i) => i.row !== null && i.column)) {
      const a = `${is.column}${is.row}`;
      const w = worst.get(a);
      if (w === undefined || order.indexOf(is.severity) < order.indexOf(w)) worst.set(a, is.severity);
    }
    expect(worst.size).toBeGreaterThan(2);
    for (const [a, sev] of worst) expect([a, argb(ws.getCell(a))]).toEqual([a, SEVERITY_ARGB[sev]]);
    const rowsOf = async (b: Uint8Array) => (await readXlsx(new Uint8Array(b), 'x.xlsx')).sheets.find((x) => x.name === SHEET)!.rows;
    expect(await rowsOf(copy)).toEqual(await rowsOf(original));
    if (kind === 'cells') expect([ws.getCell('T3').formula, ws.getCell('T5').formula]).toEqual(['LEN("河东区")', 'LEN("东丽区")&"个字"']);
    if (kind !== 'ascii') expect(strFromU8(reused['xl/worksheets/sheet1.xml'])).toContain('请从下拉列表中选择');
  });

  test('a handed-over part that does not match its zip entry is inflated again', async () => {
    const original = await input('lists');
    const issues = await issuesOf(original);
    const sheetXml = parts(original)['xl/worksheets/sheet1.xml'];
    const stale = new Map([['xl/worksheets/sheet1.xml', sheetXml.subarray(0, sheetXml.length - 100)]]);
    const own = parts(await writeMarked(original, issues, { engine: 'patch' }));
    const reused = parts(await writeMarked(original, issues, { engine: 'patch', inflated: stale }));
    expect(strFromU8(reused['xl/worksheets/sheet1.xml'])).toBe(strFromU8(own['xl/worksheets/sheet1.xml']));
  });
});
