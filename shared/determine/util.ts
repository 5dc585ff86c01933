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

/**
 * A number for reasons in words (the numbers of the contract stay unrounded): two decimals
 * (0.55 → "0.55", 0.8 → "0.80"), up to four when two would hide the difference (0.7999).
 */
export function f2(n: number): string {
  // whole numbers (most figures): toFixed(2) is the number and ".00"
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return `${n === 0 ? 0 : n}.00`;
  const two = n.toFixed(2);
  if (Number(two) === n) return two;
  if (!(Math.abs(n) < 1e21)) {
    const four = n.toFixed(4).replace(/0+$/, '');
    return four.split('.')[1].length < 2 ? two : four;
  }
  // toFixed(4) has exactly four decimals here: drop its trailing zeros without a regex
  const four = n.toFixed(4);
  let end = four.length;
  while (four.charCodeAt(end - 1) === 48) end--;
  return end - (four.length - 5) - 1 < 2 ? two : four.slice(0, end);
}

let lastShare = NaN;
let lastPct = '';

/** A share 0.5 → "50%". */
export function pct(share: number): string {
  // called once per issue or hit with the same few tolerances: remember the last one
  if (share === lastShare && !Object.is(share, -0)) return lastPct;
  const text = `${Number((share * 100).toFixed(2))}%`;
  lastShare = share;
  lastPct = text;
  return text;
}

export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  return String(v);
}
