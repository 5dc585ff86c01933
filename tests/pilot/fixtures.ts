/** Hand-written determination results (the consolidate --json shape) for the pilot tests. */
import type { ConsolidationResultJson } from '../../shared/contract';

type P = ConsolidationResultJson['parcels'][number];

export function parcel(id: string, over: Partial<P> = {}): P {
  const base: P = {
    parcelId: id, street: '大王庄街道', category: '工业', result: '非低效', hits: [], missing: [], mode: null,
    landArea: 10000, plotRatio: 1.2, coverage: 40, taxPerMu: 30, outputPerMu: 500,
  };
  return { ...base, ...over };
}

export const low = (hits: P['hits'], mode: P['mode'] = '技改升级'): Partial<P> => ({ result: '低效', hits, mode });

export function determination(date: string, parcels: P[]): ConsolidationResultJson {
  return { ruleSet: { id: 'hedong-default', version: '1.0.0' }, evaluationDate: date, parcels, historic: [], issues: [], inputs: [] };
}

/**
 * Older (2024-12-31) and newer (2026-06-30) determinations of five parcels plus one only in each:
 * - A (大王庄, 10000 m²): 低效 IND-PLOT+IND-TAX → 非低效 (left; tax 3 → 25, plot 0.5 → 1.1)
 * - B (大王庄, 6000 m²): 非低效 → 低效 IND-TAX (became; tax 30 → 4)
 * - C (唐家口, 20000 m²): 低效 IND-PLOT → 低效 IND-COVER (stayed; hit changed)
 * - D (唐家口, 3000 m², 商办): 待核实 (tax missing) → 非低效 (result changed; tax null → 12)
 * - E (唐家口, 5000 m²): 非低效 → 非低效 (unchanged)
 * - F (大王庄, 15000 m², 空闲地): only in the older, 低效 VAC-LAND
 * - G (向阳楼, 4000 m²): only in the newer, 低效 IND-IDLE
 */
export function comparePair(): { older: ConsolidationResultJson; newer: ConsolidationResultJson } {
  const older = determination('2024-12-31', [
    parcel('A', { ...low(['IND-PLOT', 'IND-TAX']), plotRatio: 0.5, taxPerMu: 3 }),
    parcel('B', { landArea: 6000 }),
    parcel('C', { ...low(['IND-PLOT']), street: '唐家口街道', landArea: 20000, plotRatio: 0.6 }),
    parcel('D', { street: '唐家口街道', category: '商办', landArea: 3000, result: '待核实', missing: ['tax'], taxPerMu: null, outputPerMu: null, plotRatio: null, coverage: null }),
    parcel('E', { street: '唐家口街道', landArea: 5000 }),
    parcel('F', { ...low(['VAC-LAND'], '因地招商'), category: '空闲地', landArea: 15000, plotRatio: null, coverage: null, taxPerMu: null, outputPerMu: null }),
  ]);
  const newer = determination('2026-06-30', [
    parcel('A', { plotRatio: 1.1, taxPerMu: 25 }),
    parcel('B', { ...low(['IND-TAX']), landArea: 6000, taxPerMu: 4 }),
    parcel('C', { ...low(['IND-COVER']), street: '唐家口街道', landArea: 20000, plotRatio: 0.9, coverage: 20 }),
    parcel('D', { street: '唐家口街道', category: '商办', landArea: 3000, taxPerMu: 12, outputPerMu: null, plotRatio: null, coverage: null }),
    parcel('E', { street: '唐家口街道', landArea: 5000 }),
    parcel('G', { ...low(['IND-IDLE'], '因地招商'), street: '向阳楼街道', landArea: 4000 }),
  ]);
  return { older, newer };
}

/** A project-form row as the office fills it (grid fields by key), with what a test changes. */
export const projectRow = (id: string, parcelId: string, over: Record<string, string | number | null> = {}) => ({
  projectId: id, name: `${id}项目`, parcelId, street: '大王庄街道', mode: '技改升级', developer: '某公司', content: '厂房改造',
  planYear: 2027, maturity: '成熟', plannedStart: '2027-03-01', plannedEnd: '2027-12-31', leadUnit: '区产业发展促进局',
  coUnits: '住建委、大王庄街道', planStatus: '已批准', status: '实施中', ...over,
});

/** A milestone-form row. */
export const milestoneRow = (id: string, name: string, plannedDate: string, actualDate: string | null, unit = '区住房城乡建设委') => ({ projectId: id, name, plannedDate, actualDate, unit });
