/**
 * Benchmarks (domain.md §5, §8.3, §8.4, §8.5, §8.18), found once per 大类 and run: the table,
 * else the district figure of the 大类 (≥ minDistrictParcels parcels), else the all-industry
 * district figure; 商办: the table row 商办, else the district 商办 figure, else none.
 */
import * as state from './state';
import type { Benchmark, RunState } from './state';

const { thresholds } = state;

export function benchmark(s: RunState, kind: 'tax' | 'output', cls: string | null): Benchmark {
  const cache = kind === 'tax' ? s.taxBenchCache : s.outBenchCache;
  let b = cache.get(cls);
  if (b === undefined) cache.set(cls, (b = findBenchmark(s, kind, cls)));
  return b;
}

function findBenchmark(s: RunState, kind: 'tax' | 'output', cls: string | null): Benchmark {
  const table = kind === 'tax' ? s.taxTable : s.outputTable;
  const byClass = kind === 'tax' ? s.taxByClass : s.outByClass;
  const all = kind === 'tax' ? s.taxAll : s.outAll;
  if (cls !== null) {
    const t = table.get(cls);
    if (t !== undefined) return { value: t.v, basis: 'table' };
    const c = byClass.get(cls);
    if (c && c.n >= thresholds(s, cls).minDistrictParcels && c.mu > 0) return { value: c.sum / c.mu, basis: 'district-class' };
  }
  if (all.n > 0 && all.mu > 0) return { value: all.sum / all.mu, basis: 'district-all' };
  return { value: null, basis: 'none' };
}

export function commercialBenchmark(s: RunState): Benchmark {
  if (s.comBench === null) s.comBench = findCommercialBenchmark(s);
  return s.comBench;
}

function findCommercialBenchmark(s: RunState): Benchmark {
  const t = s.taxTable.get('商办');
  if (t !== undefined) return { value: t.v, basis: 'table' };
  if (s.comTax.n >= s.rs.thresholds.minDistrictParcels && s.comTax.mu > 0) {
    return { value: s.comTax.sum / s.comTax.mu, basis: 'district-commercial' };
  }
  return { value: null, basis: 'none' };
}
