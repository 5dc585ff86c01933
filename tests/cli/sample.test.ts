/**
 * The sample data set: deterministic, realistic codes, and — once written as the departments'
 * workbooks, read back and consolidated — every showcase parcel gets the outcome reasoned from the
 * rules and every deliberate mistake gives its issue code.
 */
import { isValidParcelId, isValidUscc, industryCodeProblem } from '../../shared/codes';
import { consolidate } from '../../shared/determine';
import type { FormId } from '../../shared/forms';
import { readWorkbook } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import { generateSample, writeSampleWorkbooks, type SampleData } from '../../shared/sample';
import type { Consolidation, FormRead } from '../../shared/types';
import { readXlsxFile } from '../../shared/xlsx/read';
import { removeDir, tempDir } from './helpers';
import { join } from 'node:path';

const ruleSet = defaultRuleSet();

describe('generateSample (logical data)', () => {
  const d = generateSample();

  test('is deterministic for a seed and changes with it', () => {
    expect(generateSample()).toEqual(d);
    const other = generateSample({ seed: 7 });
    expect(other.forms.base.map((r) => r.landArea)).not.toEqual(d.forms.base.map((r) => r.landArea));
  });

  test('about 300 parcels over all 13 streets, scale multiplies them', () => {
    expect(d.forms.base).toHaveLength(300);
    expect(new Set(d.forms.base.map((r) => r.street))).toEqual(new Set(ruleSet.streets));
    expect(generateSample({ scale: 3 }).forms.base).toHaveLength(900);
  });

  test('has the land-use mix of the pilot (industrial, commercial, facilities, housing, vacant, other)', () => {
    const codes = new Set(d.forms.base.map((r) => r.landUseCode));
    for (const c of ['0601', '0508', '05H1', '08H1', '08H2', '0809', '1003', '0701', '1201', '0810', '09']) expect(codes).toContain(c);
  });

  test('codes are valid except the deliberate mistakes', () => {
    const deliberateParcels = new Set(d.mistakes.filter((m) => m.code === 'foreign-parcel').map((m) => m.parcelId));
    for (const r of d.forms.base) {
      expect(isValidParcelId(r.parcelId as string)).toBe(true);
      expect((r.parcelId as string).slice(0, 6)).toBe(ruleSet.countyCode);
    }
    for (const r of d.forms.industrial) {
      expect(isValidParcelId(r.parcelId as string)).toBe(true);
      if (!deliberateParcels.has(r.parcelId as string)) expect((r.parcelId as string).slice(0, 6)).toBe('120102');
      if (r.industryCode !== null) expect(industryCodeProblem(r.industryCode as string)).toBeNull();
    }
    const badUscc = d.forms.industrial.filter((r) => !isValidUscc(r.uscc as string));
    expect(badUscc).toHaveLength(1); // the invalid-uscc mistake
    expect(d.mistakes.filter((m) => m.code === 'invalid-uscc')).toHaveLength(1);
    for (const f of ['tax', 'output', 'environment'] as const) for (const r of d.forms[f]) expect(isValidUscc(r.uscc as string)).toBe(true);
  });

  test('has enterprises on two parcels, parcels with several enterprises, and historic land of every period', () => {
    const parcelsOf = new Map<string, Set<string>>();
    const enterprisesOn = new Map<string, number>();
    for (const r of d.forms.industrial) {
      const s = parcelsOf.get(r.uscc as string) ?? new Set<string>();
      s.add(r.parcelId as string);
      parcelsOf.set(r.uscc as string, s);
      enterprisesOn.set(r.parcelId as string, (enterprisesOn.get(r.parcelId as string) ?? 0) + 1);
    }
    expect([...parcelsOf.values()].some((s) => s.size >= 2)).toBe(true);
    expect([...enterprisesOn.values()].some((n) => n >= 2)).toBe(true);
    expect(new Set(d.historic.map((h) => h.period))).toEqual(new Set(['pre-1987', '1987-1998', '1999-2009', '2010-2019', 'post-2019']));
    expect(d.forms.base.some((r) => r.landProcedures !== '齐全' && r.occurrenceDate === null)).toBe(true);
  });

  test('the showcase covers every result and every category, and the mistakes cover the usual ones', () => {
    expect(new Set(d.showcase.map((s) => s.result))).toEqual(new Set(['低效', '待核实', '非低效', '不参评']));
    expect(new Set(d.showcase.map((s) => s.category))).toEqual(new Set(['工业', '商办', '设施', '居住', '空闲地', '其他']));
    const codes = new Set(d.mistakes.map((m) => m.code));
    for (const c of [
      'invalid-uscc', 'foreign-parcel', 'duplicate-key', 'missing-value', 'footprint-exceeds-land', 'vacancy-exceeds-floor-area',
      'other-year', 'parcel-not-in-base', 'unknown-column', 'normalized-value', 'missing-occurrence-date', 'post-survey-illegal-use',
    ] as const) expect(codes).toContain(c);
  });

  test('workbooks are one per department with Chinese names; every logical row is in exactly one workbook', () => {
    expect(d.workbooks.map((w) => w.file)).toContain('区产业发展促进局-低效工业调查表.xlsx');
    for (const w of d.workbooks) expect(w.file).toMatch(/^[\u4e00-\u9fa5].*\.xlsx$/);
    const rowsInBooks: Partial<Record<FormId, number>> = {};
    for (const w of d.workbooks) for (const s of w.sheets) rowsInBooks[s.form] = (rowsInBooks[s.form] ?? 0) + s.rows.length;
    for (const [form, rows] of Object.entries(d.forms)) expect(rowsInBooks[form as FormId] ?? 0).toBe(rows.length);
  });
});

describe('the sample workbooks read back and consolidated', () => {
  let dir: string;
  let data: SampleData;
  let reads: FormRead[];
  let c: Consolidation;

  beforeAll(async () => {
    dir = tempDir('sample-');
    const written = await writeSampleWorkbooks(dir);
    data = written.data;
    reads = [];
    for (const f of written.files) reads.push(...readWorkbook(await readXlsxFile(f), ruleSet));
    c = consolidate(reads, ruleSet);
  });
  afterAll(() => removeDir(dir));

  test('each sheet is recognised as the form it was written for, whatever its tab name and layout', () => {
    const expected = data.workbooks.flatMap((w) => w.sheets.map((s) => `${s.shape.sheetName}:${s.form}`));
    expect(reads.map((r) => `${r.sheet}:${r.form}`)).toEqual(expected);
  });

  test('nothing is lost: rows read per form equal the rows written', () => {
    for (const [form, rows] of Object.entries(data.forms)) {
      const read = reads.filter((r) => r.form === form).reduce((s, r) => s + r.rows.length, 0);
      expect({ form, read }).toEqual({ form, read: rows.length });
    }
  });

  test('the sheets look like the real thing (domain.md §9) and raise no false alarm: 序号, two-row header, merged 宗地代码, 合计 and note rows, tax in 元', async () => {
    const file = (name: string) => join(dir, name);
    const ind = reads.find((r) => r.file.endsWith('区产业发展促进局-低效工业调查表.xlsx'))!;
    const grid = await readXlsxFile(file('区产业发展促进局-低效工业调查表.xlsx'));
    const sheet = grid.sheets.find((s) => s.name === '工业企业')!;
    const at = (row: number, col: number) => sheet.rows[row - (sheet.firstRow ?? 1)]?.[col - (sheet.firstCol ?? 1)] ?? null;
    // 序号 in column A, the two header rows (titles of ungrouped columns merged down over both)
    expect(at(ind.headerRow - 1, 1)).toBe('序号');
    expect(sheet.merges).toEqual(expect.arrayContaining([{ top: ind.headerRow - 1, left: 1, bottom: ind.headerRow, right: 1 }]));
    // 宗地代码 merged down over the enterprises of one parcel, each enterprise still read with it
    const vertical = (sheet.merges ?? []).filter((m) => m.left === 2 && m.right === 2 && m.top > ind.headerRow);
    expect(vertical.length).toBeGreaterThan(0);
    for (const m of vertical) {
      const rows = ind.rows.filter((r) => r.row >= m.top && r.row <= m.bottom);
      expect(rows.length).toBe(m.bottom - m.top + 1);
      expect(new Set(rows.map((r) => r.values.parcelId)).size).toBe(1);
      expect(rows[0].values.parcelId).not.toBeNull();
    }
    // the 合计 row and the lines under it are listed as what they are, and nothing else is raised on them
    const info = (code: string) => ind.issues.filter((i) => i.code === code);
    expect(info('total-row')).toHaveLength(1);
    expect(info('note-row')).toHaveLength(2);
    const special = new Set([...info('total-row'), ...info('note-row')].map((i) => i.row));
    expect(ind.issues.filter((i) => i.row !== null && special.has(i.row) && i.code !== 'total-row' && i.code !== 'note-row')).toEqual([]);
    expect(ind.notRecords).toBe(3);
    // the tax export in 元: read in 万元, one note for the column, a 合计 row and two note lines
    const tax = reads.find((r) => r.form === 'tax')!;
    expect(tax.issues.filter((i) => i.code === 'normalized-value' && i.row === null)).toHaveLength(1);
    expect(tax.issues.filter((i) => i.code === 'total-row')).toHaveLength(1);
    expect(tax.issues.filter((i) => i.code === 'note-row')).toHaveLength(2);
    const written = data.forms.tax.filter((r) => typeof r.taxTotal === 'number');
    const readTax = new Map(tax.rows.map((r) => [`${r.values.uscc}|${r.values.year}`, r.values.taxTotal]));
    for (const r of written.slice(0, 20)) expect(readTax.get(`${r.uscc}|${r.year}`) as number).toBeCloseTo(r.taxTotal as number, 4);
  });

  test('hand-typed values are read as meant (亩 → m², Chinese dates, √)', () => {
    const stopped = data.showcase.find((s) => s.name === 'ind-stopped')!;
    const row = reads.filter((r) => r.form === 'industrial').flatMap((r) => r.rows).find((r) => r.values.parcelId === stopped.parcelId)!;
    expect(row.values.landArea as number).toBeCloseTo(12.5 / 0.0015, 2);
    expect(row.values.stopDate).toBe(`${data.year - 2}-05-01`);
    const obsolete = data.showcase.find((s) => s.name === 'ind-obsolete')!;
    const orow = reads.filter((r) => r.form === 'industrial').flatMap((r) => r.rows).find((r) => r.values.parcelId === obsolete.parcelId)!;
    expect(orow.values.obsolete).toBe(true);
    // 容积率 cells written as formulas (=ROUND(F5/E5,2)) are read by their cached result.
    const sheet = data.workbooks.flatMap((w) => w.sheets).find((x) => x.shape.sheetName === '工业企业')!;
    const formulas = (sheet.shape.overrides ?? []).filter((o) => o.key === 'plotRatio' && o.raw !== null && typeof o.raw === 'object' && 'formula' in o.raw);
    expect(formulas.length).toBeGreaterThan(3);
    const readRows = reads.find((r) => r.sheet === '工业企业')!.rows;
    for (const o of formulas) expect(readRows[o.index].values.plotRatio).toBe(sheet.rows[o.index].plotRatio);
  });

  test('every showcase parcel gets the outcome reasoned from the rules', () => {
    const byId = new Map(c.result.parcels.map((p) => [p.parcelId, p]));
    for (const s of data.showcase) {
      const p = byId.get(s.parcelId);
      expect({ name: s.name, category: p?.category, result: p?.result, hits: p?.hits, missing: p?.missing, mode: p?.mode }).toEqual({
        name: s.name, category: s.category, result: s.result, hits: s.hits, missing: s.missing, mode: s.mode,
      });
    }
  });

  test('every deliberate mistake gives its issue code on its form (and parcel)', () => {
    for (const m of data.mistakes) {
      const found = c.result.issues.some((i) => i.code === m.code && i.form === m.form && (m.parcelId === null || i.parcelId === m.parcelId));
      expect({ mistake: m.what, code: m.code, found }).toEqual({ mistake: m.what, code: m.code, found: true });
    }
  });

  test('historic land: every parcel with 不全/无 and a date is listed in its period', () => {
    const got = new Map(c.result.historic.map((h) => [h.parcelId, h.period]));
    for (const h of data.historic) expect(got.get(h.parcelId)).toBe(h.period);
    expect(c.result.historic).toHaveLength(data.historic.length);
  });

  test('rows dropped by the deliberate row errors are exactly the issue-only rows', () => {
    // Each of these mistakes drops one survey/reference row (domain.md §8.1, §8.6, §8.15, §8.16).
    const dropping = new Set(['invalid-uscc', 'missing-value', 'footprint-exceeds-land', 'foreign-parcel', 'parcel-not-in-base', 'duplicate-key', 'category-mismatch', 'vacancy-exceeds-floor-area', 'other-year', 'formula-error']);
    const expected: Record<string, number> = {};
    for (const m of data.mistakes) if (dropping.has(m.code)) expected[m.form] = (expected[m.form] ?? 0) + 1;
    const got: Record<string, number> = {};
    for (const x of c.conservation) {
      expect(x.rowsIn).toBe(x.rowsUsed + x.rowsIssueOnly);
      if (x.rowsIssueOnly) got[x.form] = (got[x.form] ?? 0) + x.rowsIssueOnly;
    }
    expect(got).toEqual(expected);
  });
});
