/** Which reference forms join survey rows by 宗地代码 or by USCC, as the forms catalogue's keys say. */
import { FORMS, referenceJoin } from '../../shared/forms';

test('the base joins by 宗地代码, the bureaus and the environmental list by USCC, the benchmark tables, survey and pilot forms not row by row', () => {
  expect(Object.fromEntries(FORMS.map((f) => [f.id, referenceJoin(f)]))).toEqual({
    base: 'parcelId',
    tax: 'uscc',
    output: 'uscc',
    environment: 'uscc',
    taxBenchmark: null,
    outputBenchmark: null,
    industrial: null,
    commercial: null,
    facility: null,
    housing: null,
    project: null,
    milestone: null,
  });
});
