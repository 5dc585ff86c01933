/**
 * The patched marked copy (issue 10 item 2) of a workbook LibreOffice wrote, holding a picture, a
 * chart, a conditional format, data validations, defined names, notes and a second sheet: every part
 * the marks do not need is byte for byte the user's; the marks are there; marking again gives the
 * same package; LibreOffice opens the result.
 */
import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { getForm } from '../../shared/forms';
import { makeIssue, type Issue } from '../../shared/issues/issue';
import { readWorkbook } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import { ISSUE_SHEET_NAME, MARK_PREFIX, MARKER_SHEET_NAME, writeMarkedCopy } from '../../shared/xlsx/marked';
import { readXlsx } from '../../shared/xlsx/read';
import { readZipDirectory, storedBytes } from '../../shared/xlsx/read-zip';
import { PAGE_FOOTER, SEVERITY_ARGB } from '../../shared/xlsx/style';
import { writeTemplate } from '../../shared/xlsx/template';
import { buildCli, runCli } from '../cli/helpers';
import { CSV_ALL_SHEETS, libreOfficeMissing, readSheetCsv, sofficeConvert } from '../helpers/libreoffice';

const SHEET = '低效工业调查表';
const SECOND = '汇总';
const form = getForm('industrial');
const col = (key: string) => String.fromCharCode(64 + form.fields.findIndex((f) => f.key === key) + 1);
const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const CHART =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  `<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="${REL}">` +
  '<c:chart><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>' +
  `<c:ser><c:idx val="0"/><c:order val="0"/><c:val><c:numRef><c:f>'${SHEET}'!$${col('landArea')}$3:$${col('landArea')}$5</c:f></c:numRef></c:val></c:ser>` +
  '<c:axId val="1"/><c:axId val="2"/></c:barChart>' +
  '<c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:crossAx val="2"/></c:catAx>' +
  '<c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:crossAx val="1"/></c:valAx>' +
  '</c:plotArea></c:chart></c:chartSpace>';

const CHART_ANCHOR =
  '<xdr:twoCellAnchor><xdr:from><xdr:col>12</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>6</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>' +
  '<xdr:to><xdr:col>18</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>16</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>' +
  '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="3" name="面积图"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>' +
  '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">' +
  `<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="${REL}" r:id="rIdChart"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`;

/** A department's form with a picture, a chart, a conditional format, a defined name and a second sheet (exceljs + a chart added by hand). */
async function authored(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await writeTemplate('industrial', { rows: 20 })) as unknown as ExcelJS.Buffer);
  const ws = wb.getWorksheet(SHEET)!;
  const rows: Record<string, unknown>[] = [
    { parcelId: '120102001002GB00001', enterpriseName: '天津甲机械有限公司', uscc: '91110000600037341L', industryCode: '3411', landArea: 10000, floorArea: 6000, footprint: 3500, status: '正常生产', tax: 120 },
    { parcelId: '120102001002GB00002', enterpriseName: '天津乙机械有限公司', uscc: '91110000600037341X', industryCode: '3411', landArea: 8000, floorArea: 4000, footprint: 9000, status: '停产' },
  ];
  rows.forEach((r, i) => {
    for (const [k, v] of Object.entries(r)) ws.getCell(`${col(k)}${3 + i}`).value = v as ExcelJS.CellValue;
  });
  ws.addImage(wb.addImage({ base64: PNG_1x1, extension: 'png' }), 'M2:N4');
  ws.addConditionalFormatting({
    ref: `${col('landArea')}3:${col('landArea')}20`,
    rules: [{ type: 'cellIs', operator: 'greaterThan', formulae: [9000], priority: 1, style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FF00FF00' } } } }],
  });
  const s2 = wb.addWorksheet(SECOND);
  s2.getCell('A1').value = '合计';
  s2.getCell('B1').value = { formula: 'SUM(面积)', result: 18000 } as ExcelJS.CellFormulaValue;
  wb.definedNames.add(`'${SHEET}'!$${col('landArea')}$3:$${col('landArea')}$20`, '面积');
  const files = unzipSync(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
  files['xl/charts/chart1.xml'] = strToU8(CHART);
  const drawing = strFromU8(files['xl/drawings/drawing1.xml']);
  files['xl/drawings/drawing1.xml'] = strToU8(drawing.replace('</xdr:wsDr>', `${CHART_ANCHOR}</xdr:wsDr>`));
  const rels = strFromU8(files['xl/drawings/_rels/drawing1.xml.rels']);
  files['xl/drawings/_rels/drawing1.xml.rels'] = strToU8(rels.replace('</Relationships>', `<Relationship Id="rIdChart" Type="${REL}/chart" Target="../charts/chart1.xml"/></Relationships>`));
  const ct = strFromU8(files['[Content_Types].xml']);
  files['[Content_Types].xml'] = strToU8(ct.replace('</Types>', '<Override PartName="/xl/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>'));
  return zipSync(files);
}

const skip = libreOfficeMissing();
const run = skip ? describe.skip : describe;

function parts(buf: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(new Uint8Array(buf));
}

function same(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return !!a && !!b && Buffer.from(a).equals(Buffer.from(b));
}

function noteText(cell: ExcelJS.Cell): string {
  const n = cell.note as unknown;
  if (!n) return '';
  if (typeof n === 'string') return n;
  return ((n as ExcelJS.Comment).texts ?? []).map((t) => t.text).join('');
}

function argb(cell: ExcelJS.Cell): string | undefined {
  return ((cell.fill as ExcelJS.FillPattern | undefined)?.fgColor as { argb?: string } | undefined)?.argb;
}

async function load(buf: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(buf) as unknown as ExcelJS.Buffer);
  return wb;
}

const withoutSheetData = (x: string) => x.replace(/<sheetData>[\s\S]*<\/sheetData>/, '');

run('patched marked copy of a LibreOffice workbook', () => {
  let dir: string;
  let original: Uint8Array;
  let issues: Issue[];
  let marked: Buffer;
  let again: Buffer;
  let clean: Buffer;
  beforeAll(async () => {
    buildCli();
    dir = mkdtempSync(join(tmpdir(), 'marked-patch-'));
    writeFileSync(join(dir, 'authored.xlsx'), await authored());
    original = new Uint8Array(readFileSync(join(sofficeConvert([join(dir, 'authored.xlsx')], 'xlsx'), 'authored.xlsx')));
    const grid = await readXlsx(original, 'authored.xlsx');
    issues = [
      ...readWorkbook(grid, defaultRuleSet()).flatMap((r) => r.issues),
      // cells not written in the second sheet: one in an existing row (after B1), one in a row that does not exist
      makeIssue('missing-value', { form: 'industrial', sheet: SECOND, row: 1, column: 'D', field: '备注' }),
      makeIssue('missing-value', { form: 'industrial', sheet: SECOND, row: 5, column: 'C', field: '说明' }),
    ];
    marked = await writeMarkedCopy(original, issues, { engine: 'patch' });
    again = await writeMarkedCopy(marked, issues, { engine: 'patch' });
    clean = await writeMarkedCopy(marked, [], { engine: 'patch' });
    writeFileSync(join(dir, 'marked.xlsx'), marked);
    writeFileSync(join(dir, 'again.xlsx'), again);
  }, 240000);

  test('the fixture holds what LibreOffice writes: picture, chart, conditional format, validations, names, notes, two sheets', () => {
    const p = parts(original);
    const names = Object.keys(p);
    expect(names.some((n) => /^xl\/media\/image\d+\.png$/.test(n))).toBe(true);
    expect(names.some((n) => /^xl\/charts\/chart\d+\.xml$/.test(n))).toBe(true);
    const s1 = strFromU8(p['xl/worksheets/sheet1.xml']);
    expect(s1).toContain('<conditionalFormatting');
    expect(s1).toContain('<dataValidation');
    expect(s1).toContain('<legacyDrawing');
    expect(strFromU8(p['xl/workbook.xml'])).toContain('name="面积"');
    expect(strFromU8(p['xl/workbook.xml'])).toContain('<fileVersion appName="Calc"/>');
    expect(issues.some((i) => i.sheet === SHEET && i.row === 4 && i.code === 'invalid-uscc')).toBe(true);
  });

  test('every part other than the patched ones is byte for byte the original', () => {
    const a = parts(original);
    const b = parts(marked);
    const changed = Object.keys(a).filter((n) => !same(a[n], b[n])).sort();
    expect(changed).toEqual(
      ['[Content_Types].xml', 'xl/_rels/workbook.xml.rels', 'xl/comments1.xml', 'xl/drawings/vmlDrawing1.vml', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml'].sort(),
    );
    // nothing removed; the new parts are the list, the bookkeeping sheet and the second sheet's notes
    const added = Object.keys(b).filter((n) => !(n in a)).sort();
    expect(added).toEqual(
      ['xl/comments2.xml', 'xl/drawings/vmlDrawing2.vml', 'xl/worksheets/_rels/sheet2.xml.rels', 'xl/worksheets/sheet3.xml', 'xl/worksheets/sheet4.xml'].sort(),
    );
    // and they are copied as the original stored them: the same compressed bytes, the same CRC
    // (nothing inflated and deflated again, so a 20 MB picture costs nothing to keep)
    const dirA = readZipDirectory(original);
    const dirB = readZipDirectory(marked);
    for (const n of Object.keys(a).filter((x) => !changed.includes(x))) {
      const ea = dirA.get(n.toLowerCase())!;
      const eb = dirB.get(n.toLowerCase())!;
      expect([n, eb.method, eb.crc, eb.compressedSize]).toEqual([n, ea.method, ea.crc, ea.compressedSize]);
      expect([n, same(storedBytes(marked, eb), storedBytes(original, ea))]).toEqual([n, true]);
    }
    // in the patched parts, what marking does not need is untouched
    const wbA = strFromU8(a['xl/workbook.xml']);
    const wbB = strFromU8(b['xl/workbook.xml']);
    // the user's names are all there as written, ahead of the list's own filter and print titles
    const userNames = /<definedNames>([\s\S]*)<\/definedNames>/.exec(wbA)![1];
    expect(wbB).toContain(`<definedNames>${userNames}`);
    expect(wbB).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="2">&apos;${ISSUE_SHEET_NAME}&apos;!$1:$3</definedName>`);
    expect(withoutSheetData(strFromU8(b['xl/worksheets/sheet1.xml']))).toBe(withoutSheetData(strFromU8(a['xl/worksheets/sheet1.xml'])));
    expect(strFromU8(b['xl/styles.xml'])).toContain(/<dxfs[\s\S]*<\/dxfs>|<dxfs[^>]*\/>/.exec(strFromU8(a['xl/styles.xml']))![0]);
  });

  test('the marks are there: severity fill and a 【校验】 note on each cell, blank cells of the second sheet included; the list and the bookkeeping sheet', async () => {
    const wb = await load(marked);
    let n = 0;
    for (const is of issues.filter((i) => i.row !== null && i.column)) {
      const cell = wb.getWorksheet(is.sheet)!.getCell(`${is.column}${is.row}`);
      expect(argb(cell)).toBe(SEVERITY_ARGB[is.severity]);
      expect(noteText(cell).startsWith(MARK_PREFIX)).toBe(true);
      expect(noteText(cell)).toContain(is.message);
      n++;
    }
    expect(n).toBeGreaterThanOrEqual(4);
    // the template's header notes are kept as they were
    expect(noteText(wb.getWorksheet(SHEET)!.getCell('A2'))).toContain(form.fields[0].help);
    const list = wb.getWorksheet(ISSUE_SHEET_NAME)!;
    expect(list.pageSetup.orientation).toBe('landscape');
    expect(list.pageSetup.paperSize).toBe(9);
    expect(list.pageSetup.printTitlesRow).toBe('1:3');
    expect(list.headerFooter.oddFooter).toBe(PAGE_FOOTER);
    expect(wb.getWorksheet(MARKER_SHEET_NAME)?.state).toBe('veryHidden');
    // the user's data read back as before
    const rows = async (buf: Uint8Array) => (await readXlsx(buf, 'x.xlsx')).sheets.find((s) => s.name === SHEET)!.rows;
    expect(await rows(new Uint8Array(marked))).toEqual(await rows(original));
    // the inserted cells are in column order in their rows
    const s2 = strFromU8(parts(marked)['xl/worksheets/sheet2.xml']);
    expect(s2).toMatch(/<row r="1"[^>]*>.*<c r="A1".*<c r="B1".*<c r="D1" s="\d+"\/><\/row>/);
    expect(s2).toMatch(/<row r="5"><c r="C5" s="\d+"\/><\/row>/);
  });

  test('marking the marked copy again gives the same package, not doubled marks; marking with no issues restores the cells', () => {
    const a = parts(marked);
    const b = parts(again);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const n of Object.keys(a)) expect([n, same(a[n], b[n])]).toEqual([n, true]);
    const c = parts(clean);
    const o = parts(original);
    expect(strFromU8(c['xl/worksheets/sheet1.xml'])).toBe(strFromU8(o['xl/worksheets/sheet1.xml']));
    for (const n of ['xl/charts/chart1.xml', 'xl/drawings/drawing1.xml', 'xl/sharedStrings.xml']) expect(same(c[n], o[n])).toBe(true);
    expect(strFromU8(c['xl/comments1.xml'])).not.toContain(MARK_PREFIX);
    // the second sheet had no notes: its comments part is gone again
    expect(Object.keys(c).filter((n) => /comments/.test(n))).toEqual(['xl/comments1.xml']);
  });

  test('land-survey validate -o writes the marked copy with the picture, the chart and the names, also when the drawing uses another namespace prefix (exceljs stopped on "anchors")', () => {
    // the same drawing with its namespace bound to another prefix, as some programs write it
    const files = parts(original);
    const drawing = Object.keys(files).find((n) => /^xl\/drawings\/drawing\d+\.xml$/.test(n))!;
    files[drawing] = strToU8(strFromU8(files[drawing]).replace(/xdr:/g, 'sd:'));
    const input = zipSync(files);
    writeFileSync(join(dir, 'prefixed.xlsx'), input);
    const out = join(dir, 'cli-marked.xlsx');
    const r = runCli(['validate', join(dir, 'prefixed.xlsx'), '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // the workbook has errors: the copy is written all the same
    const a = parts(input);
    const b = parts(readFileSync(out));
    for (const n of Object.keys(a).filter((x) => /^xl\/(media|charts|drawings\/drawing)/.test(x))) expect([n, same(a[n], b[n])]).toEqual([n, true]);
    expect(strFromU8(b['xl/workbook.xml'])).toContain('name="面积"');
    expect(Object.keys(b).some((n) => /^xl\/charts\/chart\d+\.xml$/.test(n))).toBe(true);
  }, 120000);

  test('LibreOffice opens the marked copies; the list shows the issues', () => {
    const out = sofficeConvert([join(dir, 'marked.xlsx'), join(dir, 'again.xlsx')], CSV_ALL_SHEETS);
    const list = readSheetCsv(out, 'marked.xlsx', ISSUE_SHEET_NAME).map((r) => r.join('|')).join('\n');
    for (const is of issues) expect(list).toContain(is.message);
    expect(readSheetCsv(out, 'again.xlsx', SECOND)[0].slice(0, 1)).toEqual(['合计']);
    expect(readSheetCsv(out, 'marked.xlsx', SHEET).length).toBeGreaterThan(3);
  }, 240000);
});

function hasSsconvert(): boolean {
  return spawnSync('ssconvert', ['--version'], { stdio: 'ignore' }).status === 0;
}

(hasSsconvert() ? describe : describe.skip)('patched marked copy of a workbook Gnumeric wrote', () => {
  test('only the parts marking needs change, the marks are there, marking again gives the same package', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marked-gnumeric-'));
    writeFileSync(join(dir, 'authored.xlsx'), await authored());
    const r = spawnSync('ssconvert', [join(dir, 'authored.xlsx'), join(dir, 'gnumeric.xlsx')], { encoding: 'utf8', timeout: 120000 });
    expect(r.status).toBe(0);
    const original = new Uint8Array(readFileSync(join(dir, 'gnumeric.xlsx')));
    const issues = readWorkbook(await readXlsx(original, 'gnumeric.xlsx'), defaultRuleSet()).flatMap((x) => x.issues);
    expect(issues.some((i) => i.row === 4 && i.code === 'invalid-uscc')).toBe(true);
    const marked = await writeMarkedCopy(original, issues, { engine: 'patch' });
    const a = parts(original);
    const b = parts(marked);
    expect(Object.keys(a).some((n) => n.startsWith('xl/charts/'))).toBe(true);
    const changed = Object.keys(a).filter((n) => !same(a[n], b[n]));
    const patchable = new Set(['[Content_Types].xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/comments1.xml', 'xl/drawings/vmlDrawing1.vml']);
    expect(changed.filter((n) => !patchable.has(n))).toEqual([]);
    const wb = await load(marked);
    for (const is of issues.filter((i) => i.row !== null && i.column)) {
      const cell = wb.getWorksheet(is.sheet)!.getCell(`${is.column}${is.row}`);
      expect(argb(cell)).toBe(SEVERITY_ARGB[is.severity]);
      expect(noteText(cell).startsWith(MARK_PREFIX)).toBe(true);
    }
    const again = parts(await writeMarkedCopy(marked, issues, { engine: 'patch' }));
    expect(Object.keys(again).filter((n) => !same(again[n], b[n]))).toEqual([]);
  }, 120000);
});
