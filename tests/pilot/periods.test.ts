/** Brief period numbering across years (pilot.md §3) and half years. */
import { briefPeriodOf, chineseDate, daysBetween, halfYearOf, nextBriefPeriod, nextHalfYear, periodLabel } from '../../shared/pilot/periods';

test.each([
  ['2024-01-01', 1, '2024-01-01', '2024-02-29'],
  ['2024-02-29', 1, '2024-01-01', '2024-02-29'],
  ['2024-03-01', 2, '2024-03-01', '2024-04-30'],
  ['2024-12-31', 6, '2024-11-01', '2024-12-31'],
  ['2025-01-01', 7, '2025-01-01', '2025-02-28'],
  ['2026-10-31', 17, '2026-09-01', '2026-10-31'],
  ['2026-11-01', 18, '2026-11-01', '2026-12-31'],
  ['2026-12-31', 18, '2026-11-01', '2026-12-31'],
  ['2027-01-01', 19, '2027-01-01', '2027-02-28'],
  ['2028-02-15', 25, '2028-01-01', '2028-02-29'],
])('%s is in 第%i期 (%s to %s)', (date, issue, start, end) => {
  const p = briefPeriodOf(date);
  expect([p.issue, p.start, p.end]).toEqual([issue, start, end]);
});

test('the period after 11–12 is 1–2 of the next year, numbered on', () => {
  const n = nextBriefPeriod(briefPeriodOf('2026-12-06'));
  expect([n.year, n.firstMonth, n.lastMonth, n.issue]).toEqual([2027, 1, 2, 19]);
  expect(periodLabel(n)).toBe('2027年1—2月');
});

test('no brief before 2024', () => {
  expect(() => briefPeriodOf('2023-12-31')).toThrow(RangeError);
});

test('half years and their successors', () => {
  expect(halfYearOf('2026-06-30')).toMatchObject({ half: 1, start: '2026-01-01', end: '2026-06-30' });
  expect(halfYearOf('2026-07-01')).toMatchObject({ half: 2, start: '2026-07-01', end: '2026-12-31' });
  expect(nextHalfYear(halfYearOf('2026-12-06'))).toMatchObject({ year: 2027, half: 1, end: '2027-06-30' });
  expect(periodLabel(halfYearOf('2026-12-06'))).toBe('2026年下半年');
});

test('day counts and Chinese dates', () => {
  expect(daysBetween('2026-09-30', '2026-12-06')).toBe(67);
  expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
  expect(chineseDate('2026-12-06')).toBe('2026年12月6日');
});
