import type { Category } from '../types';

/** 1 亩 = 10000/15 m² (domain.md §1). */
export function mu(m2: number): number {
  // m2 * 0.0015, written so that whole square metres give exact 亩 where they can (10000 m² = 15 亩)
  return (m2 * 3) / 2000;
}

/** Category of a parcel from its 地类编码 (domain.md §1). */
export function categoryOf(landUseCode: string | null): Category {
  switch (landUseCode) {
    case '0601':
    case '0602':
    case '0508':
      return '工业';
    case '05H1':
      return '商办';
    case '08H1':
    case '08H2':
    case '0809':
    case '1001':
    case '1002':
    case '1003':
    case '1004':
    case '1005':
    case '1007':
    case '1008':
    case '1009':
      return '设施';
    case '0701':
    case '0702':
      return '居住';
    case '1201':
      return '空闲地';
    default:
      return '其他';
  }
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * The ISO date `years` calendar years before `iso` (domain.md §8.10): 29 February minus a year
 * that is not a leap year is 28 February.
 */
export function minusYears(iso: string, years: number): string {
  const y = Number(iso.slice(0, 4)) - years;
  let md = iso.slice(5, 10);
  if (md === '02-29' && !isLeap(y)) md = '02-28';
  return `${String(y).padStart(4, '0')}-${md}`;
}

/** A 大类 (two digits) from a 4-digit 行业代码 as read. */
export function industryClassOf(code: unknown): string | null {
  if (typeof code === 'number' && Number.isFinite(code)) return String(Math.trunc(code)).padStart(4, '0').slice(0, 2);
  if (typeof code === 'string' && code.length >= 2) return code.slice(0, 2);
  return null;
}

export { f2, pct } from '../format';

export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  return String(v);
}
