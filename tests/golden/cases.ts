/**
 * The inputs of the golden test: the demo's sample set (two sizes, read back from the workbooks it
 * writes, as `land-survey demo` does), the same reads under a changed rule set, validate --base's
 * cross-form checks, the bench's data (25-determine's parsed rows, 20-engine's raw grids read by
 * the tolerant reader) and the add-in's messy industrial sheet. Each case gives the engine's whole
 * answer; `golden.test.ts` reduces it to one hash per part.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineGrids } from '../../bench/sections/20-engine';
import { dataset } from '../../bench/sections/25-determine';
import { consolidate, crossCheck } from '../../shared/determine';
import type { SheetGrid } from '../../shared/grid';
import { readForm, readWorkbook } from '../../shared/read';
import { defaultRuleSet, parseRuleSet } from '../../shared/rules';
import type { RuleSet } from '../../shared/rules/schema';
import { writeSampleWorkbooks } from '../../shared/sample';
import type { Consolidation, FormRead } from '../../shared/types';
import { readXlsxFile } from '../../shared/xlsx/read';
import { messySheet } from '../addin/fixtures';

export type GoldenAnswer = { kind: 'consolidation'; c: Consolidation } | { kind: 'issues'; issues: unknown[] };

export interface GoldenCase {
  name: string;
  run(): Promise<GoldenAnswer>;
}

async function sampleReads(opts: { seed?: number; scale?: number }, rs: RuleSet): Promise<FormRead[]> {
  const dir = mkdtempSync(join(tmpdir(), 'golden-sample-'));
  try {
    const written = await writeSampleWorkbooks(dir, opts);
    const reads: FormRead[] = [];
    for (const f of written.files) reads.push(...readWorkbook(await readXlsxFile(f), rs));
    // file names without the temp folder, so the answer does not depend on where it ran
    for (const r of reads) r.file = r.file.slice(dir.length + 1);
    return reads;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The default rule set changed where the rules read it: another evaluation date, a rule off, other thresholds. */
function changedRuleSet(): RuleSet {
  const d = defaultRuleSet();
  return parseRuleSet({
    ...d,
    evaluationDate: '2023-12-31',
    rules: d.rules.map((r) => (r.id === 'IND-COVER' ? { ...r, enabled: false } : r)),
    thresholds: { ...d.thresholds, plotRatio: d.thresholds.plotRatio + 0.2, taxShare: 0.8, vacancyRate: 30, minDistrictParcels: 5 },
  });
}

let defaultSample: Promise<FormRead[]> | undefined;
const sample = () => (defaultSample ??= sampleReads({}, defaultRuleSet()));

export const GOLDEN_CASES: GoldenCase[] = [
  { name: 'demo sample (seed 20221231, 300 parcels)', run: async () => ({ kind: 'consolidation', c: consolidate(await sample(), defaultRuleSet()) }) },
  {
    name: 'demo sample, changed rule set',
    run: async () => ({ kind: 'consolidation', c: consolidate(await sample(), changedRuleSet()) }),
  },
  {
    name: 'demo sample, validate --base cross-form checks per survey input',
    run: async () => {
      const reads = await sample();
      const base = reads.filter((r) => r.form === 'base');
      const tax = reads.filter((r) => r.form === 'tax');
      const out: unknown[] = [];
      for (const r of reads) {
        if (r.form !== 'industrial' && r.form !== 'commercial' && r.form !== 'facility' && r.form !== 'housing') continue;
        out.push({ file: r.file, sheet: r.sheet, issues: crossCheck([...base, r, ...(r.form === 'industrial' ? tax : [])], defaultRuleSet()) });
      }
      return { kind: 'issues', issues: out };
    },
  },
  {
    name: 'demo sample (seed 7, scale 2)',
    run: async () => ({ kind: 'consolidation', c: consolidate(await sampleReads({ seed: 7, scale: 2 }, defaultRuleSet()), defaultRuleSet()) }),
  },
  { name: 'bench 25-determine data set (330,000 parsed rows)', run: async () => ({ kind: 'consolidation', c: consolidate(dataset(), defaultRuleSet()) }) },
  {
    name: 'bench 20-engine raw grids (346,226 rows, read + consolidate)',
    run: async () => {
      const rs = defaultRuleSet();
      const g = engineGrids();
      const opts = { file: 'bench.xlsx', ruleSet: rs };
      return {
        kind: 'consolidation',
        c: consolidate([readForm(g.base, 'base', opts), readForm(g.industrial, 'industrial', opts), readForm(g.tax, 'tax', opts), readForm(g.output, 'output', opts)], rs),
      };
    },
  },
  {
    name: 'add-in messy industrial sheet (no base)',
    run: async () => {
      const rs = defaultRuleSet();
      const m = messySheet();
      const sheet: SheetGrid = { name: m.title, rows: [[`河东区${m.title}`], m.header, ...m.rows] as SheetGrid['rows'] };
      return { kind: 'consolidation', c: consolidate([readForm(sheet, 'industrial', { file: 'messy.xlsx', ruleSet: rs })], rs) };
    },
  },
];
