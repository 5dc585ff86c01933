/** zod schemas derived from the catalogue: parsed rows and the grid wire shape. */
import { FORMS, getForm } from '../../shared/forms';
import { rowValuesSchema, sheetGridSchema, workbookGridSchema } from '../../shared/forms/schema';
import { readForm } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import { formSheet, industrialRecord } from '../helpers/grid';

describe('rowValuesSchema', () => {
  it('accepts the values the reader produces, including rows with errors and normalised values', () => {
    const r = readForm(
      formSheet('industrial', [industrialRecord(1), industrialRecord(2, { landArea: '3亩', uscc: 'bad', status: '停 产', stopDate: '2021.3', obsolete: 'Y' })]),
      'industrial',
      { file: 't', ruleSet: defaultRuleSet() },
    );
    for (const row of r.rows) expect(rowValuesSchema('industrial').safeParse(row.values).success).toBe(true);
  });

  it('has exactly the keys of the catalogue for every form', () => {
    for (const f of FORMS) {
      const all = Object.fromEntries(f.fields.map((x) => [x.key, null]));
      expect(rowValuesSchema(f.id).safeParse(all).success).toBe(true);
      expect(rowValuesSchema(f.id).safeParse({ ...all, extra: 1 }).success).toBe(false);
      const { [f.fields[0].key]: _dropped, ...missingOne } = all;
      expect(rowValuesSchema(f.id).safeParse(missingOne).success).toBe(false);
    }
  });

  it('types each field from its definition (enum options, codes, bounds, ISO dates)', () => {
    const base = Object.fromEntries(getForm('industrial').fields.map((x) => [x.key, null]));
    const s = rowValuesSchema('industrial');
    expect(s.safeParse({ ...base, status: '停产' }).success).toBe(true);
    expect(s.safeParse({ ...base, status: '倒闭' }).success).toBe(false);
    expect(s.safeParse({ ...base, landArea: 0 }).success).toBe(false); // > 0
    expect(s.safeParse({ ...base, employees: 1.5 }).success).toBe(false);
    expect(s.safeParse({ ...base, stopDate: '2021/03/05' }).success).toBe(false);
    expect(s.safeParse({ ...base, uscc: '91110000600037341L' }).success).toBe(true);
    expect(s.safeParse({ ...base, obsolete: '是' }).success).toBe(false);
  });
});

describe('sheetGridSchema', () => {
  it('accepts the wire shape: text, numbers, booleans, blanks and error cells', () => {
    const ok = { name: '低效工业调查表', rows: [['宗地代码', 1.5, true, null, { error: '#N/A' }]], firstRow: 3, firstCol: 2 };
    expect(sheetGridSchema.safeParse(ok).success).toBe(true);
    expect(workbookGridSchema.safeParse({ file: 'a.xlsx', sheets: [ok], properties: { formId: 'industrial' } }).success).toBe(true);
  });

  it('rejects other shapes', () => {
    expect(sheetGridSchema.safeParse({ name: 's', rows: [[{ foo: 1 }]] }).success).toBe(false);
    expect(sheetGridSchema.safeParse({ name: 's', rows: [['a'], 'b'] }).success).toBe(false);
    expect(sheetGridSchema.safeParse({ name: 's', rows: [], firstRow: 0 }).success).toBe(false);
    expect(sheetGridSchema.safeParse({ rows: [] }).success).toBe(false);
  });
});
