/**
 * The pilot's reporting periods (pilot.md §3): two-month brief periods 1–2, 3–4 … 11–12 of a year,
 * numbered 第N期 from the first period of 2024 (2024 1–2 is 第1期, 2026 11–12 is 第18期), and half
 * years (1–6, 7–12) for the progress report. Dates are ISO `YYYY-MM-DD` strings, compared as text.
 */

/** First year of the numbering: its 1–2 period is 第1期. */
export const FIRST_BRIEF_YEAR = 2024;

export interface Period {
  year: number;
  /** First and last month (1–12). */
  firstMonth: number;
  lastMonth: number;
  /** First and last day (ISO). */
  start: string;
  end: string;
}

export interface BriefPeriod extends Period {
  /** 第N期 (1 for 2024 1–2). */
  issue: number;
}

export interface HalfYear extends Period {
  half: 1 | 2;
}

const pad = (n: number) => String(n).padStart(2, '0');

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parse(date: string): { y: number; m: number; d: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not an ISO date: ${date}`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

function period(year: number, firstMonth: number, months: number): Period {
  const lastMonth = firstMonth + months - 1;
  return { year, firstMonth, lastMonth, start: `${year}-${pad(firstMonth)}-01`, end: `${year}-${pad(lastMonth)}-${pad(lastDay(year, lastMonth))}` };
}

/** The brief's and report's reporting begins with 2024 (第1期): an as-of date before it has no period. */
export function beforeReporting(asOf: string): boolean {
  return Number(asOf.slice(0, 4)) < FIRST_BRIEF_YEAR;
}

/** The two-month period that holds `date`. Throws before 2024 (no 第N期 then). */
export function briefPeriodOf(date: string): BriefPeriod {
  const { y, m } = parse(date);
  if (y < FIRST_BRIEF_YEAR) throw new RangeError(`brief periods start in ${FIRST_BRIEF_YEAR}: ${date}`);
  const idx = Math.floor((m - 1) / 2);
  return { ...period(y, idx * 2 + 1, 2), issue: (y - FIRST_BRIEF_YEAR) * 6 + idx + 1 };
}

/** The brief period after `p` (11–12 is followed by 1–2 of the next year). */
export function nextBriefPeriod(p: BriefPeriod): BriefPeriod {
  return p.lastMonth === 12 ? briefPeriodOf(`${p.year + 1}-01-01`) : briefPeriodOf(`${p.year}-${pad(p.lastMonth + 1)}-01`);
}

/** The half year that holds `date`. */
export function halfYearOf(date: string): HalfYear {
  const { y, m } = parse(date);
  const half = m <= 6 ? 1 : 2;
  return { ...period(y, half === 1 ? 1 : 7, 6), half };
}

export function nextHalfYear(h: HalfYear): HalfYear {
  return h.half === 1 ? halfYearOf(`${h.year}-07-01`) : halfYearOf(`${h.year + 1}-01-01`);
}

/** `2026年11—12月`, `2026年上半年`. */
export function periodLabel(p: Period): string {
  if (p.lastMonth - p.firstMonth === 5) return `${p.year}年${p.firstMonth === 1 ? '上' : '下'}半年`;
  return `${p.year}年${p.firstMonth}—${p.lastMonth}月`;
}

/** `2026年12月6日`. */
export function chineseDate(date: string): string {
  const { y, m, d } = parse(date);
  return `${y}年${m}月${d}日`;
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  return Math.round((Date.UTC(y.y, y.m - 1, y.d) - Date.UTC(x.y, x.m - 1, x.d)) / 86_400_000);
}

/** `date` in [start, end] (inclusive). */
export function within(date: string | null, start: string, end: string): boolean {
  return date !== null && date >= start && date <= end;
}

/** Today's date in the district's time zone (China Standard Time, UTC+8, no daylight saving): the default as-of date. */
export function todayInDistrict(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
