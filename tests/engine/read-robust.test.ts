/**
 * Whatever the cells hold, reading never throws (only UnusableInputError when no form is there),
 * never loses a non-blank row, and every issue is well-formed. Seeded random grids.
 */
import { FORMS } from '../../shared/forms';
import type { CellValue } from '../../shared/grid';
import { ISSUE_CODES } from '../../shared/issues/catalogue';
import { readWorkbook } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import { sheet, workbook } from '../helpers/grid';

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NASTY: (CellValue | undefined)[] = [
  null, undefined, '', ' ', '\u3000', 0, -0, -1, 1e308, -1e308, NaN, Infinity, 0.1 + 0.2, 2 ** 53 + 1, 44926, 60, 1.5,
  true, false, new Date(Number.NaN), new Date(Date.UTC(2021, 0, 1)), new Date(Date.UTC(1800, 0, 1)),
  { error: '#N/A' }, { error: '#REF!' }, '#VALUE!', '=SUM(A1:A3)', '是', '否', '√', '停产', '2021年13月', '2021.3', '１２３．５',
  '12.5亩', '35万元', '35%', '1,2,3', '--', '/', '无', '120102001002GB00001', '110101001002GB00001', '91110000600037341L',
  '91110000600037341M', '3311', '9999', '商办', '🏭', 'x'.repeat(5000), '宗地代码', '统一社会信用代码',
];

it('reads random messy grids of every form without throwing or losing rows', () => {
  const rand = prng(20221231);
  const rs = defaultRuleSet();
  for (let round = 0; round < 120; round++) {
    const form = FORMS[round % FORMS.length];
    const header: CellValue[] = form.fields.filter(() => rand() < 0.85).map((f) => f.title);
    if (header.length < 3) header.push(...form.fields.slice(0, 3).map((f) => f.title));
    if (rand() < 0.3) header.splice(Math.floor(rand() * header.length), 0, '多余列');
    const rows: (CellValue | undefined)[][] = [];
    if (rand() < 0.5) rows.push([form.title]);
    rows.push(header);
    const nRows = Math.floor(rand() * 30);
    for (let r = 0; r < nRows; r++) {
      const width = Math.floor(rand() * (header.length + 3));
      const row: (CellValue | undefined)[] = [];
      for (let c = 0; c < width; c++) row[c] = NASTY[Math.floor(rand() * NASTY.length)];
      rows.push(row);
    }
    const wb = workbook(`r${round}.xlsx`, [sheet('S', rows as CellValue[][])], rand() < 0.3 ? { formId: form.id } : undefined);
    let reads;
    try {
      reads = readWorkbook(wb, rs);
    } catch (e) {
      expect((e as Error).name).toBe('UnusableInputError');
      continue;
    }
    for (const r of reads) {
      const keys = r.rows.length ? Object.keys(r.rows[0].values) : [];
      for (const row of r.rows) {
        expect(Object.keys(row.values)).toEqual(keys);
        for (const v of Object.values(row.values)) expect(['string', 'number', 'boolean'].includes(typeof v) || v === null).toBe(true);
        for (const v of Object.values(row.values)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
      }
      const lastRow = r.headerRow + rows.length;
      for (const is of r.issues) {
        expect(ISSUE_CODES[is.code]).toBeDefined();
        expect(is.message).not.toMatch(/\{\w+\}/);
        if (is.row !== null) expect(is.row > r.headerRow && is.row <= lastRow).toBe(true);
        if (is.severity === 'error' && is.row !== null) expect(r.rows.find((x) => x.row === is.row)?.hasError).toBe(true);
      }
      // every row below the header with a non-blank cell under a matched column is read (or repeats the header)
      const matched = Object.values(r.columns).map((l) => l.charCodeAt(0) - 65);
      const headerIdx = r.headerRow - 1;
      const expected = rows.slice(headerIdx + 1).filter((row) => matched.some((c) => {
        const v = row[c];
        return !(v === null || v === undefined || (typeof v === 'string' && v.trim() === ''));
      })).length;
      expect(r.rows.length).toBeLessThanOrEqual(expected);
      expect(r.rows.length).toBeGreaterThanOrEqual(expected - rows.slice(headerIdx + 1).filter((row) => row.includes('宗地代码') || row.includes('统一社会信用代码')).length);
    }
  }
});
