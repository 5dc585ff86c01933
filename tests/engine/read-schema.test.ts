/** zod schemas derived from the catalogue: parsed rows and the grid wire shape. */
import { FORMS, getForm } from '../../shared/forms';
import { cellSchema, isWireCell, rowValuesSchema, safeParseGrid, sheetGridSchema, workbookGridSchema } from '../../shared/forms/schema';
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

describe('the fast check of a grid\'s cells', () => {
  const values: unknown[] = [
    0, -0, 1.5, -1e308, Number.MAX_VALUE, NaN, Infinity, -Infinity, '', 'a', '中文', 'x'.repeat(32_767), 'x'.repeat(32_768), '中'.repeat(32_768),
    true, false, null, undefined, {}, [], [1], ['a'], { error: '#N/A' }, { error: '' }, { error: 1 }, { error: null }, { error: '#N/A', x: 1 },
    { x: 1 }, { error: undefined }, new Date(0), Object.create(null), Object.assign(Object.create(null), { error: '#N/A' }), () => 1, Symbol('s'), 1n,
  ];

  it('answers as cellSchema for every kind of value', () => {
    expect(values.map((v) => isWireCell(v))).toEqual(values.map((v) => cellSchema.safeParse(v).success));
  });

  it('gives what safeParse gives, for good bodies and bad ones (bad cells, bad rows, bad fields beside good rows)', () => {
    const bodies: unknown[] = [
      { name: '表', rows: [['宗地代码', 1.5, true, null, { error: '#N/A' }], []], firstRow: 3 },
      { name: '表', rows: [] },
      { name: '表', rows: [['a', NaN]] },
      { name: '表', rows: [['a'], 'b'] },
      { name: '表', rows: [['a', { error: 1 }], ['x'.repeat(32_768)]] },
      { name: '', rows: [['a']] },
      { name: '表', rows: [['a']], firstRow: 0 },
      { name: '表', rows: [['a']], extra: 1 },
      { name: '表', rows: 'a' },
      { rows: [['a']] },
      null,
      [],
      '表',
    ];
    for (const b of bodies) {
      const fast = safeParseGrid(sheetGridSchema, b);
      const full = sheetGridSchema.safeParse(b);
      expect(fast.success).toBe(full.success);
      if (full.success) expect(fast.data).toEqual(full.data);
      else expect(fast.error!.issues).toEqual(full.error.issues);
    }
  });
});
