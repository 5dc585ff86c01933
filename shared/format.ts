/**
 * Number texts, defined once. The numbers of the JSON contract stay unrounded; these are for
 * words (reasons, issue messages, card lines) and for the figures the workbook shows as text.
 *
 * - `f2`: a figure in a reason (容积率0.55低于标准0.80): two decimals, up to four when two would
 *   hide the difference from the standard (0.7999).
 * - `pct`: a share as a percentage (0.5 → "50%"; at most two decimals).
 * - `compact2`: a value in a message or card line: at most two decimals, no trailing zeros (12.5, 3).
 * - `fixed2`: a figure shown in a table cell as text: whole numbers as they are, others with two decimals (0.50).
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

export function pct(share: number): string {
  return `${Number((share * 100).toFixed(2))}%`;
}

export function compact2(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Math.round(n * 100) / 100);
}

export function fixed2(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

/**
 * Speed boundary (bench 25-determine: the same few standards, benchmarks and tolerances are
 * written into tens of thousands of reasons and messages): f2 and pct of values that repeat,
 * remembered for one run. One instance per consolidation; never shared between runs.
 */
export class ConstTexts {
  private readonly f2s = new Map<number, string>();
  private readonly pcts = new Map<number, string>();

  f2(x: number): string {
    return remembered(this.f2s, x, f2);
  }

  pct(x: number): string {
    return remembered(this.pcts, x, pct);
  }
}

function remembered(m: Map<number, string>, x: number, text: (x: number) => string): string {
  let t = m.get(x);
  if (t === undefined) {
    if (m.size >= 1024) m.clear();
    m.set(x, (t = text(x)));
  }
  return t;
}
