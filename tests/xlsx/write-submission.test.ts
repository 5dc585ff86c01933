import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { defaultRuleSet } from '../../shared/rules';
import { displayWidth, wrappedLines } from '../../shared/xlsx/style';
import type { Consolidation } from '../../shared/types';
import { industryClassName } from '../../shared/codes';
import { CONSOLIDATED_ISSUE_LIST_COLUMNS } from '../../shared/issues/list';
import { SUBMISSION_SHEETS, writeSubmission } from '../../shared/xlsx/submission';
import { INJECTIONS, makeConsolidation } from './write-fixtures';

const rs = defaultRuleSet();
const AT = new Date(2023, 0, 5, 10, 0);

async function toBuffer(c: Consolidation): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (d: Buffer) => chunks.push(d));
  await writeSubmission(c, rs, sink, { generatedAt: AT });
  return Buffer.concat(chunks);
}

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return wb;
}

function column(ws: ExcelJS.Worksheet, title: string, headerRow = 3): number {
  const row = ws.getRow(headerRow);
  for (let c = 1; c <= row.cellCount; c++) if (row.getCell(c).value === title) return c;
  throw new Error(`no column ${title} in ${ws.name}`);
}

function dataRows(ws: ExcelJS.Worksheet, from = 4): ExcelJS.Row[] {
  const out: ExcelJS.Row[] = [];
  for (let r = from; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.getCell(1).value === null) break;
    out.push(row);
  }
  return out;
}

/** A sheet's XML in a written submission. */
function sheetXml(buf: Buffer, sheet: string): string {
  return strFromU8(unzipSync(new Uint8Array(buf))[`xl/worksheets/sheet${SUBMISSION_SHEETS.indexOf(sheet as never) + 1}.xml`]);
}

/**
 * The printed pages of a sheet as its XML lays them out: rows 3 on (rows 1–2 are the print titles
 * repeated on each page), split at the manual breaks, with their heights (18 pt unless set).
 */
function printedPages(xml: string): { rows: number[]; points: number }[] {
  const heights = new Map<number, number>();
  let lastRow = 0;
  for (const m of xml.matchAll(/<row r="(\d+)"([^>]*)>/g)) {
    const ht = /\bht="([\d.]+)"/.exec(m[2]);
    if (ht) heights.set(Number(m[1]), Number(ht[1]));
    lastRow = Math.max(lastRow, Number(m[1]));
  }
  const breaks = [...xml.matchAll(/<brk id="(\d+)"[^>]*man="1"/g)].map((m) => Number(m[1]));
  const pages: { rows: number[]; points: number }[] = [];
  let page = { rows: [] as number[], points: 0 };
  for (let r = 3; r <= lastRow; r++) {
    page.rows.push(r);
    page.points += heights.get(r) ?? 18;
    if (breaks.includes(r)) {
      pages.push(page);
      page = { rows: [], points: 0 };
    }
  }
  if (page.rows.length) pages.push(page);
  return pages;
}

describe('submission workbook', () => {
  const c = makeConsolidation(20);
  let buf: Buffer;
  let wb: ExcelJS.Workbook;
  let files: Record<string, Uint8Array>;
  beforeAll(async () => {
    buf = await toBuffer(c);
    wb = await load(buf);
    files = unzipSync(new Uint8Array(buf));
  });
  const xml = (sheet: string) => strFromU8(files[`xl/worksheets/sheet${SUBMISSION_SHEETS.indexOf(sheet as never) + 1}.xml`]);

  test('has the sheets of domain.md §7 in order', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual([...SUBMISSION_SHEETS]);
  });

  test.each(['认定结果', '低效用地数据库', '历史遗留用地数据库', '问题清单'])('%s: merged title, frozen header, autofilter, formal fonts and borders', (name) => {
    const ws = wb.getWorksheet(name)!;
    expect(String(ws.getCell('A1').value)).toContain(name === '问题清单' ? '问题清单' : name.replace('数据库', ''));
    expect(ws.getCell('B1').isMerged).toBe(true);
    expect(String(ws.getCell('A2').value)).toContain('hedong-default');
    expect(String(ws.getCell('A2').value)).toContain('2022-12-31');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.getCell('A1').font.name).toBe('宋体');
    expect(ws.getCell('A3').font).toMatchObject({ name: '宋体', bold: true });
    expect(ws.getCell('B4').font.name).toBe('仿宋');
    expect(ws.getCell('B4').border).toMatchObject({ top: { style: 'thin' }, left: { style: 'thin' } });
    expect(xml(name)).toMatch(/<autoFilter ref="A3:[A-Z]+\d+"\/>/);
  });

  test('every sheet prints A4 landscape, fitted to the width, with the footer 第 &P 页 共 &N 页 and repeated title rows', () => {
    const book = strFromU8(files['xl/workbook.xml']);
    SUBMISSION_SHEETS.forEach((name, i) => {
      const x = xml(name);
      expect(x).toContain('<pageSetUpPr fitToPage="1"/>');
      expect(x).toMatch(/<pageSetup [^>]*paperSize="9"[^>]*orientation="landscape"[^>]*fitToWidth="1"[^>]*fitToHeight="0"/);
      expect(x).toContain('<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>');
      if (name !== '汇总') {
        const rows = name === '一宗一卡' ? '$1:$2' : '$1:$3';
        expect(book).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">&apos;${name}&apos;!${rows}</definedName>`);
      }
    });
  });

  test('认定结果 lists every parcel with its figures, in #,##0.00', () => {
    const ws = wb.getWorksheet('认定结果')!;
    const rows = dataRows(ws);
    expect(rows).toHaveLength(c.details.length);
    const id = column(ws, '宗地代码');
    const res = column(ws, '认定结果');
    const hits = column(ws, '命中规则');
    const area = column(ws, '土地面积(㎡)');
    const missing = column(ws, '待核实原因');
    rows.forEach((row, i) => {
      const d = c.details[i];
      expect(row.getCell(id).value).toBe(d.parcelId);
      expect(row.getCell(res).value).toBe(d.result);
      // each hit rule with its Chinese name from the rule set, one a line
      const names = new Map(rs.rules.map((x) => [x.id, x.description]));
      expect(row.getCell(hits).value ?? null).toBe(d.hits.length ? d.hits.map((h) => `${h} ${names.get(h)}`).join('\n') : null);
      expect(row.getCell(area).value).toBe(d.landArea);
      expect(row.getCell(area).numFmt).toBe('#,##0.00');
      if (d.missing.includes('tax')) expect(row.getCell(missing).value).toBe('缺税收数据');
    });
  });

  test('低效用地数据库 holds the 低效 parcels only, each hit rule with its name, figure and threshold, the reasons in words and the mode', () => {
    const ws = wb.getWorksheet('低效用地数据库')!;
    const rows = dataRows(ws);
    const low = c.details.filter((d) => d.result === '低效');
    expect(rows.map((r) => r.getCell(column(ws, '宗地代码')).value)).toEqual(low.map((d) => d.parcelId));
    const first = rows[0];
    const hits = String(first.getCell(column(ws, '命中规则（指标/标准）')).value);
    // each hit with the rule's Chinese name from the rule set, then figure/standard
    expect(hits).toMatch(/^IND-PLOT [\u4e00-\u9fa5]+.*（0\.55\/0\.80）$/m);
    expect(hits).toMatch(/^IND-TAX [\u4e00-\u9fa5]+.*（3\.20\/6）$/m);
    expect(first.getCell(column(ws, '认定理由')).value).toBe('容积率0.55低于标准0.80；亩均税收3.20万元/亩低于基准12.00万元/亩的50%（6.00）');
    expect(first.getCell(column(ws, '建议再开发模式')).value).toBe('技改升级');
    expect(first.getCell(column(ws, '税收基准(万元/亩)')).value).toBe(12);
    // a wrapped two-line cell gets a taller row
    expect(first.height).toBeGreaterThan(18);
  });

  test('历史遗留用地数据库 lists the historic parcels by period; post-2019 is flagged as new illegal use', () => {
    const ws = wb.getWorksheet('历史遗留用地数据库')!;
    const rows = dataRows(ws);
    expect(rows.map((r) => r.getCell(column(ws, '宗地代码')).value)).toEqual(c.result.historic.map((h) => h.parcelId));
    const period = column(ws, '用地发生时段');
    const note = column(ws, '备注');
    c.result.historic.forEach((h, i) => {
      if (h.period === 'post-2019') expect(String(rows[i].getCell(note).value)).toContain('违法用地');
      if (h.period === '1987-1998') expect(rows[i].getCell(period).value).toBe('1987年至1998年');
    });
  });

  test('问题清单 lists every data issue in the shared layout, with the file it came from', () => {
    const ws = wb.getWorksheet('问题清单')!;
    const rows = dataRows(ws);
    expect(rows).toHaveLength(c.issues.length);
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual(CONSOLIDATED_ISSUE_LIST_COLUMNS.map((x) => x.title));
    rows.forEach((row, i) => {
      expect(row.getCell(column(ws, '问题说明')).value).toBe(c.issues[i].message);
      expect(row.getCell(column(ws, '严重程度')).value).toBe({ error: '错误', warning: '警告', info: '提示' }[c.issues[i].severity]);
      const file = c.conservation.find((x) => x.form === c.issues[i].form && x.sheet === c.issues[i].sheet)?.file;
      expect(row.getCell(column(ws, '文件')).value ?? null).toBe(file ?? null);
    });
    // nothing else below the issues: the 难点堵点 have their own sheet and header
    expect(ws.rowCount).toBe(3 + rows.length);
  });

  test('难点堵点: its own sheet, header and print titles, every problem reported on the parcels', () => {
    const ws = wb.getWorksheet('难点堵点')!;
    const problems = c.details.flatMap((d) => d.problems);
    expect(problems.length).toBeGreaterThan(0);
    const listed = dataRows(ws);
    expect(listed.map((r) => r.getCell(column(ws, '问题描述')).value)).toEqual(problems.map((p) => p.description));
    // each row traced to its file, as in 问题清单
    expect(new Set(problems.map((p) => p.file)).size).toBeGreaterThan(1);
    expect(listed.map((r) => r.getCell(column(ws, '文件')).value)).toEqual(problems.map((p) => p.file));
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
  });

  test('主导行业 shows the 大类 with its GB/T 4754 大类 name (33 金属制品业, not the 门类 制造业)', () => {
    const ws = wb.getWorksheet('低效用地数据库')!;
    const col = column(ws, '主导行业');
    const low = c.details.filter((d) => d.result === '低效' && d.mainIndustry);
    expect(low.length).toBeGreaterThan(0);
    const rows = dataRows(ws);
    for (const d of low) {
      const row = rows.find((r) => r.getCell(column(ws, '宗地代码')).value === d.parcelId)!;
      expect(row.getCell(col).value).toBe(`${d.mainIndustry}（${industryClassName(d.mainIndustry!)}）`);
    }
  });

  test('a file\'s issues are traced to it even when every street file calls its sheet Sheet1', async () => {
    const two = makeConsolidation(3);
    const a = { ...two.issues[0], sheet: 'Sheet1' };
    const b = { ...two.issues[0], sheet: 'Sheet1', message: '第二个文件的问题' };
    two.issues = [a, b];
    two.result.issues = two.result.issues.slice(0, 2);
    two.conservation = [
      { file: '大王庄街道.xlsx', form: a.form, sheet: 'Sheet1', rowsIn: 1, rowsUsed: 1, rowsIssueOnly: 0, rowsNotRecords: 0 },
      { file: '春华街道.xlsx', form: a.form, sheet: 'Sheet1', rowsIn: 1, rowsUsed: 1, rowsIssueOnly: 0, rowsNotRecords: 0 },
    ];
    two.issueFiles = new Map([[a, '大王庄街道.xlsx'], [b, '春华街道.xlsx']]);
    const ws = (await load(await toBuffer(two))).getWorksheet('问题清单')!;
    expect(dataRows(ws).map((r) => r.getCell(column(ws, '文件')).value)).toEqual(['大王庄街道.xlsx', '春华街道.xlsx']);
  });

  test('汇总 shows the rule set, the evaluation date, counts by result and the per-input row check', () => {
    const ws = wb.getWorksheet('汇总')!;
    const cells: unknown[][] = [];
    ws.eachRow((row) => cells.push((row.values as unknown[]).slice(1)));
    const find = (label: string) => cells.find((r) => r[0] === label);
    expect(find('规则集标识 / 版本')?.[1]).toBe('hedong-default / 2022.1');
    expect(find('评价基准日')?.[1]).toBe('2022-12-31');
    const byResult = (label: string) => c.details.filter((d) => d.result === label).length;
    for (const r of ['低效', '待核实', '非低效', '不参评']) expect(find(r)?.[1]).toBe(byResult(r));
    const total = cells.filter((r) => r[0] === '合计');
    expect(total[0][1]).toBe(c.details.length);
    expect(total[0][2]).toBeCloseTo(c.details.reduce((a, d) => a + d.landArea, 0), 6);
    expect(total[0][3]).toBeCloseTo(c.details.reduce((a, d) => a + d.landArea, 0) * 0.0015, 6);
    for (const x of c.conservation) {
      const row = cells.find((r) => r[0] === x.file)!;
      expect(row.slice(3, 7)).toEqual([x.rowsIn, x.rowsUsed, x.rowsIssueOnly, '相符']);
    }
  });

  test('汇总 says 不符 when an input does not add up', async () => {
    const bad = makeConsolidation(5);
    bad.conservation[1] = { ...bad.conservation[1], rowsIn: 61 };
    const ws = (await load(await toBuffer(bad))).getWorksheet('汇总')!;
    let found = false;
    ws.eachRow((row) => {
      if (row.getCell(1).value === 'industrial.xlsx') found = row.getCell(7).value === '不符';
    });
    expect(found).toBe(true);
  });

  test('一宗一卡: one card per parcel with a page break between cards', () => {
    const ws = wb.getWorksheet('一宗一卡')!;
    const titles: number[] = [];
    ws.eachRow((row, r) => {
      if (String(row.getCell(1).value ?? '').startsWith('宗地卡片')) titles.push(r);
    });
    expect(titles).toHaveLength(c.details.length);
    expect(String(ws.getCell(titles[0], 1).value)).toContain(c.details[0].parcelId);
    const breaks = [...xml('一宗一卡').matchAll(/<brk id="(\d+)"[^>]*man="1"/g)].map((m) => Number(m[1]));
    expect(breaks).toHaveLength(c.details.length - 1);
    // each break sits between one card's title and the next
    breaks.forEach((b, i) => {
      expect(b).toBeGreaterThan(titles[i]);
      expect(b).toBeLessThan(titles[i + 1]);
    });
    // the card shows the hit rules with the reasons
    let reasons = '';
    for (let r = titles[0]; r < titles[1]; r++) if (ws.getCell(r, 1).value === 'IND-PLOT') reasons = String(ws.getCell(r, 2).value);
    expect(reasons).toContain('工业用地容积率低于标准：容积率0.55低于标准0.80');
    // a wide row's label fits its narrow column on one line (about 8 Chinese characters there in LibreOffice's
    // rendering), or the row is tall enough for it: a rule's name beside a short reason, or 城中村老旧小区烂尾楼表,
    // overprinted the row below
    ws.eachRow((row, r) => {
      const label = row.getCell(1).value;
      const b = ws.getCell(r, 2);
      if (typeof label !== 'string' || !b.isMerged || b.master.address !== b.address) return; // wide rows: B merged over the rest
      const fits = displayWidth(label) <= 16 || Math.floor((row.height || 18) / 14) >= wrappedLines(label, 14);
      expect({ r, label, fits }).toEqual({ r, label, fits: true });
    });
  });

  test('一宗一卡 printed: a long card continues under its id, and no section heading is left at the foot of a page', async () => {
    // cards of 10 to 33 enterprises (one more on each): each card's 五、难点堵点 heading falls at another
    // height on its page, one of them at the page's foot
    const long = makeConsolidation(24);
    long.details = long.details.map((d, i) => ({
      ...d,
      units: Array.from({ length: 10 + i }, (_, k) => ({ form: 'industrial' as const, name: `企业${k + 1}`, detail: '用地面积 1000㎡，正常生产' })),
      problems: Array.from({ length: 3 }, (_, k) => ({ form: 'industrial' as const, file: 'a.xlsx', sheet: 'Sheet1', row: 4 + k, unit: `企业${k + 1}`, type: '资金不足', description: '技改资金缺口较大' })),
    }));
    const b = await toBuffer(long);
    const ws = (await load(b)).getWorksheet('一宗一卡')!;
    const pages = printedPages(sheetXml(b, '一宗一卡'));
    expect(pages.length).toBeGreaterThan(long.details.length); // the long card took more than one page
    for (const p of pages) {
      expect(p.points).toBeLessThanOrEqual(440);
      // each page opens with its card's id
      expect(String(ws.getCell(p.rows[0], 1).value)).toMatch(/^宗地卡片\s+120102001002GB\d{5}（(\d+\/\d+|续)）$/);
      const last = p.rows.filter((r) => ws.getCell(r, 1).value !== null).at(-1)!;
      expect({ last: ws.getCell(last, 1).value }).not.toEqual({ last: expect.stringMatching(/^[一二三四五六]、/) });
    }
  });

  test('汇总 printed: a table that goes on to another page repeats its heading (续) and header there', async () => {
    const big = makeConsolidation(60);
    big.conservation = Array.from({ length: 40 }, (_, k) => ({ file: `街道报送${k + 1}.xlsx`, form: 'industrial' as const, sheet: 'Sheet1', rowsIn: 10, rowsUsed: 9, rowsIssueOnly: 1, rowsNotRecords: 0 }));
    const b = await toBuffer(big);
    const ws = (await load(b)).getWorksheet('汇总')!;
    const pages = printedPages(sheetXml(b, '汇总'));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const headers = new Map([['三、按街道和用地类别统计', '街道'], ['五、各报送表数据行核对（读入行数 = 参与认定行数 + 仅列入问题清单行数）', '文件']]);
    const continued = new Set<string>();
    for (const p of pages) {
      expect(p.points).toBeLessThanOrEqual(440);
      const first = String(ws.getCell(p.rows[0], 1).value ?? '');
      // a page begins with a section's heading (or its continuation), never with a bare data row
      expect(first).toMatch(/^[一二三四五六]、/);
      const m = /^(.*)（续）$/.exec(first);
      if (m) {
        continued.add(m[1]);
        expect(ws.getCell(p.rows[1], 1).value).toBe(headers.get(m[1]));
      }
    }
    // both long tables went on to a second page
    expect([...continued].sort()).toEqual([...headers.keys()].sort());
    // every input is still listed once
    const files: string[] = [];
    ws.eachRow((row) => {
      const v = String(row.getCell(1).value ?? '');
      if (v.startsWith('街道报送')) files.push(v);
    });
    expect(files).toEqual(big.conservation.map((x) => x.file));
  });

  test('text from users is never a formula (=, +, -, @)', () => {
    for (const [name, data] of Object.entries(files)) {
      if (name.startsWith('xl/worksheets/')) expect(strFromU8(data)).not.toMatch(/<f[ >]/);
    }
    const ws = wb.getWorksheet('问题清单')!;
    const values = dataRows(ws).map((r) => r.getCell(column(ws, '填报值')));
    for (const v of INJECTIONS) {
      const cell = values.find((x) => x.value === v);
      expect(cell).toBeDefined();
      expect(cell!.type).toBe(ExcelJS.ValueType.String);
    }
  });

  test('an empty consolidation still gives a complete workbook', async () => {
    const empty = makeConsolidation(0);
    empty.issues = [];
    empty.result.issues = [];
    const w = await load(await toBuffer(empty));
    expect(w.worksheets.map((x) => x.name)).toEqual([...SUBMISSION_SHEETS]);
    expect(w.getWorksheet('低效用地数据库')!.getCell('A4').value).toBe('（无）');
  });
});

describe('writing to a file', () => {
  test('the file appears complete, with no temporary file left beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sub-'));
    const out = join(dir, '报送表.xlsx');
    await writeSubmission(makeConsolidation(3), rs, out);
    expect(readdirSync(dir)).toEqual(['报送表.xlsx']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets).toHaveLength(SUBMISSION_SHEETS.length);
  });

  test('a failure leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sub-'));
    const out = join(dir, 'missing-folder', 'x.xlsx');
    await expect(writeSubmission(makeConsolidation(3), rs, out)).rejects.toThrow();
    expect(existsSync(join(dir, 'missing-folder'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
