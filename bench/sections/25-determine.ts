/**
 * Engine speed: cross-form checks + determination (consolidate) over 100,000 industrial rows in
 * memory, against a baseline measured in the same run: one plain pass over the same rows that
 * only sums 用地面积 by parcel in a Map (the least any join can cost).
 */
import { performance } from 'node:perf_hooks';
import { consolidate } from '../../shared/determine';
import { defaultRuleSet } from '../../shared/rules';
import type { FormRead } from '../../shared/types';
import { baseRow, formRead, indRow, outputRow, taxRow } from '../../tests/helpers/reads';

const PARCELS = 50_000;
const IND_ROWS = 100_000;

/** The bench's data set (also the golden test's: tests/golden). */
export function dataset(): FormRead[] {
  const base = [];
  for (let p = 1; p <= PARCELS; p++) base.push(baseRow(p, { landArea: 20000, landProcedures: p % 50 === 0 ? '不全' : '齐全', occurrenceDate: p % 50 === 0 ? '1995-06-01' : null }));
  const ind = [];
  // two enterprises per parcel; every 10th enterprise also holds a row on the next parcel
  let e = 0;
  for (let p = 1; p <= PARCELS && ind.length < IND_ROWS; p++) {
    for (let k = 0; k < 2 && ind.length < IND_ROWS; k++) {
      e++;
      const shared = e % 10 === 0 && p > 1;
      ind.push(
        indRow(p, shared ? e - 9 : e, {
          landArea: 10000,
          floorArea: 4000 + (e % 13) * 500,
          footprint: 2000 + (e % 7) * 300,
          industryCode: `${13 + (e % 30)}11`,
          status: e % 17 === 0 ? '停产' : '正常生产',
          stopDate: e % 17 === 0 ? '2020-03-01' : null,
          // every 5th enterprise also reports its tax itself, close to the bureau's figure
          tax: e % 5 === 0 ? 10 + ((shared ? e - 9 : e) % 40) + (e % 25 === 0 ? 8 : 0.5) : null,
        }),
      );
    }
  }
  const tax = [];
  const output = [];
  for (let i = 1; i <= e; i++) {
    if (i % 10 !== 3) tax.push(taxRow(i, 10 + (i % 40)));
    if (i % 10 !== 7) output.push(outputRow(i, 200 + (i % 400)));
  }
  // through JSON, as a reader would hand them over: flat strings, fresh objects
  return JSON.parse(JSON.stringify([formRead("base", base), formRead("industrial", ind), formRead("tax", tax), formRead("output", output)])) as FormRead[];
}

export default async function (ctx: { log(line: string): void; tmpDir: string }): Promise<void> {
  const reads = dataset();
  const rs = defaultRuleSet();
  const totalRows = reads.reduce((s, r) => s + r.rows.length, 0);
  const ind = reads[1];

  const baseline = (): number => {
    const m = new Map<string, number>();
    for (const r of ind.rows) {
      const id = r.values.parcelId as string;
      m.set(id, (m.get(id) ?? 0) + (r.values.landArea as number));
    }
    return m.size;
  };
  /** Best of n: wall-clock ms and CPU ms (user + system) of this process, which the other work on a busy machine disturbs less. */
  const time = (f: () => unknown, n: number): { wall: number; cpu: number } => {
    let wall = Infinity;
    let cpu = Infinity;
    for (let i = 0; i < n; i++) {
      (globalThis as { gc?: () => void }).gc?.();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      f();
      const t1 = performance.now();
      const c1 = process.cpuUsage(c0);
      wall = Math.min(wall, t1 - t0);
      cpu = Math.min(cpu, (c1.user + c1.system) / 1000);
    }
    return { wall, cpu };
  };
  time(baseline, 2);
  time(() => consolidate(reads, rs), 1); // warm-up
  const tBase = time(baseline, 5);
  const tEngine = time(() => consolidate(reads, rs), 3);
  const c = consolidate(reads, rs);
  const rate = (rows: number, ms: number): string => Math.round(rows / (ms / 1000)).toLocaleString('en');
  ctx.log(`determine: ${ind.rows.length} industrial rows, ${totalRows} rows in all (base, industrial, tax, output), ${c.result.parcels.length} parcels, ${c.issues.length} issues`);
  ctx.log(
    `determine: consolidate wall ${tEngine.wall.toFixed(0)} ms = ${rate(totalRows, tEngine.wall)} rows/s (${rate(ind.rows.length, tEngine.wall)} industrial rows/s); ` +
      `CPU ${tEngine.cpu.toFixed(0)} ms = ${rate(totalRows, tEngine.cpu)} rows/s (${rate(ind.rows.length, tEngine.cpu)} industrial rows/s); target ≥ 500,000 rows/s`,
  );
  ctx.log(
    `determine: baseline (one Map pass over the industrial rows) wall ${tBase.wall.toFixed(1)} ms, CPU ${tBase.cpu.toFixed(1)} ms; ` +
      `consolidate / baseline = ${(tEngine.wall / tBase.wall).toFixed(1)}× wall, ${(tEngine.cpu / Math.max(tBase.cpu, 0.001)).toFixed(1)}× CPU`,
  );
}
