/**
 * Historic pass (domain.md §6, §8.10): a parcel whose 用地手续 are 不全 or 无 falls in the first
 * period of the rule set whose bound its 用地发生时间 is before; without a date it is
 * `missing-occurrence-date`, in the last period (after the third survey) `post-survey-illegal-use`.
 */
import type { IssueCode } from '../issues/catalogue';
import type { HistoricPeriod } from '../rules/schema';
import type { RunState } from './state';
import * as util from './util';

const { str } = util;

/** The issue codes the historic pass raises. */
export const HISTORIC_RAISES = ['missing-occurrence-date', 'post-survey-illegal-use'] as const satisfies readonly IssueCode[];

export function historicLand(s: RunState): void {
  for (const p of s.parcelList) {
    const st = p.baseSt;
    const proc = str(p.base.values.landProcedures);
    if (proc !== '不全' && proc !== '无') continue;
    const date = str(p.base.values.occurrenceDate);
    if (date === null) {
      s.raiser.ensure(st, 'missing-occurrence-date', p.base.row, 'occurrenceDate', { parcelId: p.id, value: proc });
      continue;
    }
    let period: HistoricPeriod | null = null;
    for (const hp of s.rs.historicPeriods) {
      if (hp.before === null || date < hp.before) {
        period = hp.id;
        break;
      }
    }
    if (period === null) continue;
    p.historic = period;
    if (period === 'post-2019') {
      s.raiser.raise(st, 'post-survey-illegal-use', p.base.row, 'occurrenceDate', { parcelId: p.id, value: date });
    }
  }
}
