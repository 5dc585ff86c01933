/**
 * Date cells made in another realm (a grid cloned from a worker thread into a sandbox, a grid built
 * by code in a vm context) are dates all the same: `instanceof Date` alone would read them as text.
 */
import { runInNewContext } from 'node:vm';
import { getForm } from '../../shared/forms';
import { isCellError, isDate } from '../../shared/grid';
import { readForm } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';

const foreign = (iso: string) => runInNewContext(`new Date(${JSON.stringify(iso)})`) as Date;

test('isDate knows a Date of another realm; a cell error is still an error, a date is not one', () => {
  const d = foreign('2021-03-05T00:00:00Z');
  expect(d instanceof Date).toBe(false);
  expect(isDate(d)).toBe(true);
  expect(isDate(new Date())).toBe(true);
  expect(isDate({ error: '#N/A' })).toBe(false);
  expect(isDate('2021-03-05')).toBe(false);
  expect(isCellError(d)).toBe(false);
  expect(isCellError({ error: '#N/A' })).toBe(true);
});

test('a base form whose dates come from another realm reads them as dates, without issues on them', () => {
  const f = getForm('base');
  const header = f.fields.map((x) => x.title);
  const row = f.fields.map((x) => {
    if (x.key === 'parcelId') return '120102001002GB00001';
    if (x.key === 'occurrenceDate') return foreign('2021-03-05T00:00:00Z');
    if (x.type === 'date') return foreign('2008-05-31T00:00:00Z');
    return null;
  });
  const r = readForm({ name: '底图', rows: [[f.title], header, row] }, 'base', { file: 'x.xlsx', ruleSet: defaultRuleSet() });
  expect(r.rows[0].values.occurrenceDate).toBe('2021-03-05');
  expect(r.issues.filter((i) => i.code === 'type-error')).toEqual([]);
});
