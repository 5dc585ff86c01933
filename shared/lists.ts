/**
 * The fixed lists of the domain and its wire contract, defined once (domain.md §1, §5, §6,
 * interfaces.md): every type (shared/types.ts), zod schema (shared/contract.ts), workbook and
 * adapter takes them from here. The order is the order shown (汇总, 认定结果) and sent (`missing`).
 */
export const CATEGORIES = ['工业', '商办', '设施', '居住', '空闲地', '其他'] as const;
export const RESULTS = ['低效', '待核实', '非低效', '不参评'] as const;
export const MODES = ['因地招商', '技改升级', '整合重组', '收储出让', '综合施策'] as const;
/** What kept a parcel 待核实, in the order of `missing` in the result. */
export const MISSING_ITEMS = ['tax', 'output', 'taxBenchmark', 'outputBenchmark', 'survey'] as const;
export const HISTORIC_PERIODS = ['pre-1987', '1987-1998', '1999-2009', '2010-2019', 'post-2019'] as const;
export const SEVERITIES = ['error', 'warning', 'info'] as const;
/** How a benchmark was found (domain.md §5, §8.3–8.4). */
export const BENCHMARK_BASES = ['table', 'district-class', 'district-all', 'district-commercial', 'none'] as const;

export type Category = (typeof CATEGORIES)[number];
export type ResultLabel = (typeof RESULTS)[number];
export type Mode = (typeof MODES)[number];
export type MissingItem = (typeof MISSING_ITEMS)[number];
export type HistoricPeriodId = (typeof HISTORIC_PERIODS)[number];
export type Severity = (typeof SEVERITIES)[number];
export type BenchmarkBasis = (typeof BENCHMARK_BASES)[number];
