/**
 * Enterprise split (domain.md §5, §8.6, §8.19): the tax bureau's and the market regulator's
 * totals of an enterprise are split over its industrial rows in use by 用地面积 share; without the
 * bureau's figure the row's self-reported one is used (never split). Also the parcel's main
 * industry, `tax-mismatch` and, unless only checking, `missing-reference` per row and kind.
 */
import type { IssueCode } from '../issues/catalogue';
import * as state from './state';
import type { RunState } from './state';
import * as util from './util';

const { f2, industryClassOf, num } = util;
const { thresholds } = state;

/** The issue codes the enterprise split raises. */
export const ENTERPRISE_RAISES = ['tax-mismatch', 'missing-reference'] as const satisfies readonly IssueCode[];

export function splitEnterprises(s: RunState): void {
  const checksOnly = s.opts.checksOnly === true;
  for (const p of s.parcelList) {
    if (p.ind.length === 0) continue;
    // main industry (§5): the 大类 of the enterprise with the largest 用地面积, first row on a tie
    let best = p.ind[0];
    for (let i = 1; i < p.ind.length; i++) if (p.ind[i].area > best.area) best = p.ind[i];
    p.main = industryClassOf(best.r.values.industryCode);
    // tolerances, like every threshold, may be overridden for the main industry's 大类
    const tol = thresholds(s, p.main).taxTolerance;
    for (const e of p.ind) {
      const ent = e.ent;
      const share = ent.area > 0 ? e.area / ent.area : 0;
      const selfTax = num(e.r.values.tax);
      if (ent.hasBureauTax) {
        e.tax = ent.bureauTax * share;
        e.taxSrc = 1;
        if (selfTax !== null && Math.abs(selfTax - e.tax) > tol * e.tax) {
          s.raiser.raise(e.st, 'tax-mismatch', e.r.row, 'tax', {
            parcelId: p.id,
            value: selfTax,
            expected: f2(e.tax),
            detail: s.texts.pct(tol),
          });
        }
      } else if (selfTax !== null) {
        e.tax = selfTax;
        e.taxSrc = 2;
      }
      if (ent.hasBureauOut) {
        e.out = ent.bureauOut * share;
        e.outSrc = 1;
      } else {
        const selfOut = num(e.r.values.output);
        if (selfOut !== null) {
          e.out = selfOut;
          e.outSrc = 2;
        }
      }
      if (checksOnly) continue;
      // §8.19: once per industrial row per kind; the message names the USCC, the value the kind.
      if (!ent.hasBureauTax) {
        const is = s.raiser.raise(e.st, 'missing-reference', e.r.row, 'uscc', { parcelId: p.id, value: e.uscc, detail: '税务部门纳税' });
        is.value = 'tax';
      }
      if (!ent.hasBureauOut) {
        const is = s.raiser.raise(e.st, 'missing-reference', e.r.row, 'uscc', { parcelId: p.id, value: e.uscc, detail: '市场监管部门产值' });
        is.value = 'output';
      }
    }
  }
}
