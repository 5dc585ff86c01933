/**
 * Workbooks as offices really send them (domain.md §9): written with exceljs, then re-saved by
 * LibreOffice and by Gnumeric (independent writers), read back by the project's reader; and the
 * same on the exceljs-to-grid conversion. Zero false alarms: only the issues the sheets deserve.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { consolidate } from '../../shared/determine';
import type { WorkbookGrid } from '../../shared/grid';
import { hiddenSheetsLeftOut, readWorkbook } from '../../shared/read';
import { OUTPUT_TITLES, toolOutputTitle, WORKBOOK_CREATOR } from '../../shared/outputs';
import { defaultRuleSet } from '../../shared/rules';
import type { FormRead } from '../../shared/types';
import { exceljsToGrid } from '../../shared/xlsx/exceljs-grid';
import { readXlsx } from '../../shared/xlsx/read';
import { ISSUE_SHEET_NAME, writeMarkedCopy } from '../../shared/xlsx/marked';
import { sofficeConvert } from '../helpers/libreoffice';

const P1 = '120102001002GB00001';
const P2 = '120102001002GB00002';
const U1 = '91110000600037341L';
const U2 = '91350100M000100Y43';

/** An industrial sheet as a street office keeps it: 序号, two-row header, 亩 header, merged 宗地代码, 小计/合计, notes. */
async function industrialWorkbook(date1904: boolean): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  if (date1904) wb.properties.date1904 = true;
  const help = wb.addWorksheet('填表说明');
  help.getCell('A1').value = '请按要求填写各列，面积单位见表头。';
  const ws = wb.addWorksheet('工业企业');
  ws.getCell('A1').value = '大王庄街道低效工业用地调查表';
  ws.mergeCells('A1:M1');
  const top = ['序号', '宗地代码', '企业名称', '统一社会信用代码', '行业代码', '用地情况', null, null, '经营状态', '停产起始日期', '年税收(万元)', '是否淘汰类', '备注'];
  const low = [null, null, null, null, null, '用地面积\n(亩)', '总建筑面积（m²）', '建筑基底面积(平方米)', null, null, null, null, null];
  ws.getRow(2).values = top;
  ws.getRow(3).values = low;
  for (const c of ['A', 'B', 'C', 'D', 'E', 'I', 'J', 'K', 'L', 'M']) ws.mergeCells(`${c}2:${c}3`);
  ws.mergeCells('F2:H2');
  const stop = date1904 ? new Date(Date.UTC(2021, 2, 5)) : '2021年3月';
  ws.getRow(4).values = [1, P1, '甲机械有限公司', U1, '3411', 3, 1500, 900, '停产', stop, 12.5, false, null];
  ws.getRow(5).values = [2, null, '乙食品有限公司', U2, '1311', 1.5, 800, 500, '半停产', 20210305, 3, true, null];
  ws.mergeCells('B4:B5');
  ws.getRow(6).values = ['小计（大王庄街道）', null, null, null, null, 4.5, 2300, 1400, null, null, 15.5, null, null];
  ws.getRow(7).values = [3, P2, '丙电子有限公司', U1, '3971', 2, 2600, 700, '正常生产', null, 40, false, null];
  ws.getRow(8).values = ['合 计', null, null, null, null, 6.5, 4900, 2100, null, null, 55.5, null, null];
  ws.getRow(9).values = ['注：面积以不动产登记为准。'];
  ws.mergeCells('A9:M9');
  ws.getRow(10).values = ['填表人：张三', null, null, null, '审核人：李四', null, null, null, '填报日期：2023年1月'];
  for (let r = 11; r <= 20; r++) ws.getCell(`A${r}`).value = r - 8; // pre-numbered rows
  if (date1904) ws.getCell('J4').numFmt = 'yyyy-mm-dd';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The tax bureau's export: two forms in one workbook, amounts in 元, a 合计 row, an empty Sheet3. */
async function taxWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const t = wb.addWorksheet('企业纳税');
  t.addRow(['序号', '统一社会信用代码', '企业名称', '行业代码', '年度', '纳税总额(元)']);
  t.addRow([1, U1, '甲机械有限公司', '3411', 2022, 1250000]);
  t.addRow([2, U2, '乙食品有限公司', '1311', 2022, 300000]);
  t.addRow(['合计', null, null, null, null, 1550000]);
  const b = wb.addWorksheet('行业亩均税收');
  b.addRow(['行业大类', '行业名称', '亩均税收(万元/亩)']);
  b.addRow(['34', '通用设备制造业', 8]);
  b.addRow(['13', '农副食品加工业', 6]);
  b.addRow(['制表人：王五']);
  wb.addWorksheet('Sheet3');
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function hasProgram(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 60000 });
    return true;
  } catch {
    return false;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'offices-'));
const variants: { writer: string; grid: (name: string) => Promise<WorkbookGrid> }[] = [];
const files: Record<string, Buffer> = {};

beforeAll(async () => {
  files['industrial'] = await industrialWorkbook(false);
  files['industrial1904'] = await industrialWorkbook(true);
  files['tax'] = await taxWorkbook();
  for (const [k, v] of Object.entries(files)) writeFileSync(join(dir, `${k}.xlsx`), v);
}, 60000);

variants.push({ writer: 'exceljs → project reader', grid: async (n) => readXlsx(files[n], `${n}.xlsx`) });
variants.push({
  writer: 'exceljs → exceljs-to-grid',
  grid: async (n) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(files[n] as unknown as ArrayBuffer);
    return exceljsToGrid(wb, `${n}.xlsx`);
  },
});
const noSoffice = hasProgram('soffice', ['--version']) ? null : 'soffice not installed (apt: libreoffice-calc-nogui)';
const noGnumeric = hasProgram('ssconvert', ['--version']) ? null : 'ssconvert not installed (apt: gnumeric)';
if (noSoffice) console.log(`LibreOffice variants skipped: ${noSoffice}`);
else {
  let out: string | null = null;
  variants.push({
    writer: 'LibreOffice re-save',
    grid: async (n) => {
      out ??= sofficeConvert(Object.keys(files).map((k) => join(dir, `${k}.xlsx`)), 'xlsx:Calc MS Excel 2007 XML');
      return readXlsx(readFileSync(join(out, `${n}.xlsx`)), `${n}.xlsx`);
    },
  });
}
if (noGnumeric) console.log(`Gnumeric variants skipped: ${noGnumeric}`);
else {
  variants.push({
    writer: 'Gnumeric re-save',
    grid: async (n) => {
      const target = join(dir, `${n}-gnumeric.xlsx`);
      const r = spawnSync('ssconvert', ['--export-type=Gnumeric_Excel:xlsx2', join(dir, `${n}.xlsx`), target], { encoding: 'utf8', timeout: 120000 });
      if (r.status !== 0) throw new Error(`ssconvert failed: ${r.stderr}`);
      return readXlsx(readFileSync(target), `${n}.xlsx`);
    },
  });
}

const rs = defaultRuleSet();
const codesOf = (r: FormRead) => r.issues.map((i) => `${i.code}@${i.row ?? '-'}${i.column ?? ''}`).sort();

describe.each(variants)('$writer', ({ grid }) => {
  it.each([false, true])('reads the industrial sheet (date1904 %s): records only, merged 宗地代码 on each row, no false alarm', async (d1904) => {
    const wb = await grid(d1904 ? 'industrial1904' : 'industrial');
    const reads = readWorkbook(wb, rs);
    expect(reads.map((r) => [r.form, r.sheet])).toEqual([['industrial', '工业企业']]); // 填表说明 skipped silently
    const r = reads[0];
    expect(r.headerRow).toBe(3);
    expect(r.rows.map((x) => x.row)).toEqual([4, 5, 7]);
    expect(r.rows.map((x) => x.values.parcelId)).toEqual([P1, P1, P2]);
    expect(r.rows.map((x) => x.hasError)).toEqual([false, false, false]);
    expect(r.rows[0].values.landArea).toBeCloseTo(3 * 10000 / 15, 6);
    expect(r.rows[1].values.floorArea).toBe(800);
    expect(r.rows[0].values.stopDate).toBe(d1904 ? '2021-03-05' : '2021-03-01');
    expect(r.rows[1].values.stopDate).toBe('2021-03-05');
    expect(r.rows.map((x) => x.values.obsolete)).toEqual([false, true, false]);
    expect(r.notRecords).toBe(4);
    const issues = codesOf(r);
    // one column-level normalisation for 亩; 20210305 and 2021年3月 said per cell; 备注 unknown; nothing else
    const expected = ['normalized-value@-F', 'normalized-value@5J', 'total-row@6A', 'total-row@8A', 'note-row@9A', 'note-row@10A'];
    if (!d1904) expected.push('normalized-value@4J');
    expect(issues).toEqual(expected.sort());
    expect(r.issues.every((i) => i.severity !== 'error')).toBe(true);
  }, 240000);

  it('reads both forms of the tax workbook in 元, skips the empty sheet, and counts non-records in 汇总 data', async () => {
    const reads = readWorkbook(await grid('tax'), rs);
    expect(reads.map((r) => [r.form, r.sheet])).toEqual([['tax', '企业纳税'], ['taxBenchmark', '行业亩均税收']]);
    const [tax, bench] = reads;
    expect(tax.rows.map((x) => x.values.taxTotal)).toEqual([125, 30]);
    expect(codesOf(tax)).toEqual(['normalized-value@-F', 'total-row@4A']);
    // the column's conversion in words a reader can check: 元 to 万元 divides by 10,000
    const unit = tax.issues.find((i) => i.code === 'normalized-value')!;
    expect(unit.message).toContain('元换算为万元（÷10000）');
    // the header is named as the column's header, not as a cell's value
    expect(unit.message).toMatch(/^“[^”]+”列的表头为“[^”]+”，各行数值已按元换算为万元（÷10000）读取$/);
    expect(codesOf(bench)).toEqual(['note-row@4A']);
    const c = consolidate(reads, rs);
    expect(c.result.inputs.map((i) => [i.sheet, i.form, i.rows])).toEqual([['企业纳税', 'tax', 2], ['行业亩均税收', 'taxBenchmark', 2]]);
    expect(c.conservation.map((x) => x.rowsNotRecords)).toEqual([1, 1]);
    expect(c.result.issues.filter((i) => i.severity === 'error')).toEqual([]);
  }, 240000);
});

describe('grid rules of §9 (plain grid, as the add-in and the functions give it)', () => {
  it('a merged 宗地代码 with a wrong code is reported once, on the first row of the range', () => {
    const rows = [
      ['宗地代码', '企业名称', '统一社会信用代码', '行业代码', '用地面积(㎡)', '总建筑面积(㎡)', '建筑基底面积(㎡)', '经营状态'],
      ['1201020010', '甲', U1, '3411', 100, 50, 20, '正常生产'],
      [null, '乙', U2, '3411', 100, 50, 20, '正常生产'],
    ];
    const [r] = readWorkbook({ file: 'g', sheets: [{ name: 'S', rows, merges: [{ top: 2, left: 1, bottom: 3, right: 1 }] }] }, rs);
    expect(r.issues.filter((i) => i.code === 'invalid-parcel-id').map((i) => i.row)).toEqual([2]);
    expect(r.issues.filter((i) => i.code === 'missing-value')).toEqual([]);
    expect(r.rows.map((x) => x.hasError)).toEqual([true, true]);
  });

  it('a 序号 column is neither a field nor an unknown column; a row with only its number is blank', () => {
    const rows = [
      ['No.', '统一社会信用代码', '企业名称', '年度', '纳税总额(万元)'],
      [1, U1, '甲', 2022, 10],
      [2, null, null, null, null],
    ];
    const [r] = readWorkbook({ file: 'g', sheets: [{ name: 'S', rows }] }, rs);
    expect(r.issues).toEqual([]);
    expect(r.rows.length).toBe(1);
  });

  it("every output workbook's title is known as an output of this tool; a template or another program's workbook is not", () => {
    const props = (title: string, extra: Record<string, string> = {}) => ({ creator: WORKBOOK_CREATOR, title, ...extra });
    for (const title of [OUTPUT_TITLES.submission('河东区'), OUTPUT_TITLES.ledger('和平区'), OUTPUT_TITLES.plan('河东区', 2031), OUTPUT_TITLES.comparison('河东区')]) {
      expect(toolOutputTitle(props(title))).toBe(title);
      expect(() => readWorkbook({ file: 'o.xlsx', properties: props(title), sheets: [{ name: '认定结果', rows: [['宗地代码', '街道']] }] }, rs)).toThrow(/本工具生成的/);
    }
    expect(toolOutputTitle(props(OUTPUT_TITLES.submission('河东区'), { formId: 'base' }))).toBeNull(); // a template carries its form
    expect(toolOutputTitle({ creator: 'Microsoft Excel', title: OUTPUT_TITLES.submission('河东区') })).toBeNull();
    expect(toolOutputTitle(props('河东区低效工业调查表'))).toBeNull();
  });

  it('a hidden sheet of a form a visible sheet also holds is not read, and is named as left out', () => {
    const header = ['统一社会信用代码', '企业名称', '年度', '纳税总额(万元)'];
    const wb = {
      file: 'g',
      sheets: [
        { name: '大王庄', rows: [header, [U1, '甲', 2022, 10]] },
        { name: '旧数据', hidden: true, rows: [header, [U2, '乙', 2022, 20]] },
        { name: '说明', hidden: true, rows: [['填表说明']] },
      ],
    };
    expect(readWorkbook(wb, rs).map((r) => r.sheet)).toEqual(['大王庄']);
    expect(hiddenSheetsLeftOut(wb)).toEqual([{ sheet: '旧数据', form: 'tax', zh: expect.stringMatching(/^隐藏工作表“旧数据”（企业纳税表）未读取/), en: expect.stringMatching(/^hidden sheet "旧数据" \(tax\) not read/) }]);
    // alone, a hidden sheet is read (and then not left out)
    const alone = { file: 'g', sheets: [wb.sheets[1]] };
    expect(readWorkbook(alone, rs).map((r) => r.sheet)).toEqual(['旧数据']);
    expect(hiddenSheetsLeftOut(alone)).toEqual([]);
  });

  it('a note or total row that carries its 序号 number (a pre-numbered template) is still a note or total row, nothing else', () => {
    const rows = [
      ['序号', '统一社会信用代码', '企业名称', '年度', '纳税总额(万元)'],
      [1, U1, '甲', 2022, 10],
      [2, '以下空白', null, null, null],
      [3, null, '注：无', null, null],
      [4, '合计', null, null, 10],
      [5, null, null, null, null],
    ];
    for (const header of ['序号', 'No.', '编号', '行号']) {
      const [r] = readWorkbook({ file: 'g', sheets: [{ name: 'S', rows: [[header, ...rows[0].slice(1)], ...rows.slice(1)] }] }, rs);
      expect(r.rows.length).toBe(1);
      expect(r.issues.map((i) => `${i.code}@${i.row}`)).toEqual(['note-row@3', 'note-row@4', 'total-row@5']);
      expect(r.notRecords).toBe(3);
    }
  });

  it('serial numbers in a date column follow the workbook date system; 2021.03.05 and 2021-03 are dates', () => {
    const rows = [
      ['宗地代码', '企业名称', '统一社会信用代码', '行业代码', '用地面积(㎡)', '总建筑面积(㎡)', '建筑基底面积(㎡)', '经营状态', '停产起始日期'],
      [P1, '甲', U1, '3411', 100, 50, 20, '停产', 42798],
      [P1, '乙', U2, '3411', 100, 50, 20, '停产', '2021.03.05'],
      [P2, '丙', U1, '3411', 100, 50, 20, '停产', '2021-03'],
    ];
    const read = (date1904: boolean) => readWorkbook({ file: 'g', date1904, sheets: [{ name: 'S', rows }] }, rs)[0];
    expect(read(false).rows.map((x) => x.values.stopDate)).toEqual(['2017-03-04', '2021-03-05', '2021-03-01']);
    expect(read(true).rows[0].values.stopDate).toBe('2021-03-05');
  });
});

describe('validate -o on the industrial sheet: the marked copy marks only real problems', () => {
  it('total rows, note rows, 序号 and the merged 宗地代码 below its first row get no fill and no note; a wrong 宗地代码 is marked on the merged cell', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(files['industrial'] as unknown as ArrayBuffer);
    wb.getWorksheet('工业企业')!.getCell('B4').value = '1201020010'; // a wrong code over both enterprises
    const original = Buffer.from(await wb.xlsx.writeBuffer());
    const reads = readWorkbook(await readXlsx(original, 'industrial.xlsx'), rs);
    const issues = reads.flatMap((r) => r.issues);
    expect(issues.filter((i) => i.code === 'invalid-parcel-id').map((i) => `${i.column}${i.row}`)).toEqual(['B4']);
    const marked = new ExcelJS.Workbook();
    await marked.xlsx.load((await writeMarkedCopy(original, issues)) as unknown as ArrayBuffer);
    const ws = marked.getWorksheet('工业企业')!;
    const filled: string[] = [];
    const noted: string[] = [];
    ws.eachRow({ includeEmpty: true }, (row) =>
      row.eachCell({ includeEmpty: true }, (cell) => {
        const fill = cell.fill as ExcelJS.FillPattern | undefined;
        if (fill?.type === 'pattern' && fill.fgColor?.argb) filled.push(cell.address);
        if (cell.note) noted.push(cell.address);
      }),
    );
    expect(noted).toContain('B4');
    for (const a of [...filled, ...noted]) expect([6, 8, 9, 10]).not.toContain(Number(a.replace(/^[A-Z]+/, '')));
    expect([...filled, ...noted].filter((a) => a === 'B5' || /^A\d+$/.test(a))).toEqual([]);
    // the total and note rows are still in 问题清单
    const list = marked.getWorksheet(ISSUE_SHEET_NAME)!;
    const listed: string[] = [];
    list.eachRow((row) => row.eachCell((c) => typeof c.value === 'string' && listed.push(c.value)));
    expect(listed.filter((t) => t.includes('合计/小计行')).length).toBe(2);
    expect(listed.filter((t) => t.includes('说明或签字行')).length).toBe(2);
  }, 60000);
});
