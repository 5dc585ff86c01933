/**
 * Figures pass (domain.md §5): per parcel its floor area, footprint, 容积率, 建筑密度, tax and
 * output with their sources (工业), vacancy rate and tax (商办), floor area (设施); `area-mismatch`
 * when the enterprises' 用地面积 do not add up to the base's; and the district sums the
 * benchmarks fall back on.
 */
import type { IssueCode } from '../issues/catalogue';
import * as state from './state';
import type { DistrictSum, Parcel, RunState } from './state';
import * as util from './util';

const { mu, num } = util;
const { thresholds } = state;

/** The issue codes the figures pass raises. */
export const FIGURES_RAISES = ['area-mismatch'] as const satisfies readonly IssueCode[];

function sourceLabel<T extends string>(hasBureau: boolean, hasSelf: boolean, bureau: T): T | '自报' | '混合' | null {
  if (hasBureau && hasSelf) return '混合';
  if (hasBureau) return bureau;
  if (hasSelf) return '自报';
  return null;
}

function addTo(s: DistrictSum, v: number, m2: number): void {
  s.sum += v;
  s.mu += mu(m2);
  s.n++;
}

function addSum(m: Map<string, DistrictSum>, k: string, v: number, m2: number): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = { sum: 0, mu: 0, n: 0 }));
  addTo(s, v, m2);
}

export function parcelFigures(s: RunState): void {
  for (const p of s.parcelList) {
    if (p.category === '工业' && p.ind.length > 0) industrialFigures(s, p);
    else if (p.category === '商办' && p.com.length > 0) commercialFigures(s, p);
    else if (p.category === '设施' && p.fac.length > 0) {
      let floor: number | null = null;
      for (const c of p.fac) {
        const f = num(c.r.values.floorArea);
        if (f !== null) floor = (floor ?? 0) + f;
      }
      p.floor = floor;
    }
  }
}

function industrialFigures(s: RunState, p: Parcel): void {
  let floor = 0;
  let fp = 0;
  let land = 0;
  let tax: number | null = 0;
  let out: number | null = 0;
  let tB = false;
  let tS = false;
  let oB = false;
  let oS = false;
  for (const e of p.ind) {
    floor += num(e.r.values.floorArea) ?? 0;
    fp += num(e.r.values.footprint) ?? 0;
    land += e.area;
    if (e.taxSrc === 0) tax = null;
    else if (tax !== null) tax += e.tax;
    if (e.taxSrc === 1) tB = true;
    else if (e.taxSrc === 2) tS = true;
    if (e.outSrc === 0) out = null;
    else if (out !== null) out += e.out;
    if (e.outSrc === 1) oB = true;
    else if (e.outSrc === 2) oS = true;
  }
  p.floor = floor;
  p.footprint = fp;
  p.plotRatio = floor / p.landArea;
  p.coverage = (fp * 100) / p.landArea;
  p.tax = tax;
  p.output = out;
  p.taxSrc = tax === null ? null : sourceLabel(tB, tS, '税务');
  p.outSrc = out === null ? null : sourceLabel(oB, oS, '市场监管');
  const tol = thresholds(s, p.main).areaTolerance;
  if (Math.abs(land - p.landArea) > tol * p.landArea) {
    s.raiser.raise(p.ind[0].st, 'area-mismatch', null, 'landArea', {
      column: null,
      parcelId: p.id,
      value: Number(land.toFixed(2)),
      expected: Number(p.landArea.toFixed(2)),
      detail: s.texts.pct(tol),
    });
  }
  if (tax !== null) {
    addTo(s.taxAll, tax, p.landArea);
    if (p.main) addSum(s.taxByClass, p.main, tax, p.landArea);
  }
  if (out !== null) {
    addTo(s.outAll, out, p.landArea);
    if (p.main) addSum(s.outByClass, p.main, out, p.landArea);
  }
}

function commercialFigures(s: RunState, p: Parcel): void {
  let floor = 0;
  let vacant = 0;
  let tax: number | null = 0;
  for (const c of p.com) {
    floor += num(c.r.values.floorArea) ?? 0;
    vacant += num(c.r.values.vacantArea) ?? 0;
    const t = num(c.r.values.tax);
    if (t === null) tax = null;
    else if (tax !== null) tax += t;
  }
  p.floor = floor;
  p.vacancyRate = floor > 0 ? (vacant * 100) / floor : null;
  p.tax = tax;
  p.taxSrc = tax === null ? null : '自报';
  if (tax !== null) addTo(s.comTax, tax, p.landArea);
}
