/** `land-survey compare <old result.json> <new result.json> -o <change.xlsx> [--json <f|->]` (pilot.md §4). */
import { compareDeterminations, type Comparison } from '../shared/pilot/compare';
import { writeComparison } from '../shared/pilot/compare-xlsx';
import { type OptionSpec, optString, parseArgs, requireExtension, UsageError } from './args';
import { EXIT_OK } from './common';
import { readDetermination } from './determination';
import { checkOutputs, commitAll, discardAll, stage, type Staged, stageJson } from './io';

export const compareOptions: OptionSpec[] = [
  { key: 'output', names: ['-o', '--output'], value: true },
  { key: 'json', names: ['--json'], value: true },
];

const f2 = (x: number) => x.toFixed(2);

/** The few lines printed after a comparison. */
export function comparisonSummary(c: Comparison): string {
  const t = c.totals;
  return [
    `原认定 ${c.old.evaluationDate}（${c.old.parcels} 宗）→ 新认定 ${c.new.evaluationDate}（${c.new.parcels} 宗）`,
    `低效用地：${t.lowBefore.count} 宗 ${f2(t.lowBefore.mu)} 亩 → ${t.lowAfter.count} 宗 ${f2(t.lowAfter.mu)} 亩`,
    `退出低效（盘活成效）${t.left.count} 宗 ${f2(t.left.mu)} 亩，新增低效 ${t.became.count} 宗 ${f2(t.became.mu)} 亩` +
      (t.unsettled.count ? `；原低效现待核实或不参评 ${t.unsettled.count} 宗 ${f2(t.unsettled.mu)} 亩（未计入退出）` : ''),
    `仅在原认定 ${t.oldOnly} 宗，仅在新认定 ${t.newOnly} 宗`,
  ].join('\n');
}

export async function runCompare(argv: string[], out: (s: string) => void): Promise<number> {
  const p = parseArgs(argv, compareOptions);
  if (p.positional.length !== 2) throw new UsageError('请给出两份认定结果 JSON：原认定、新认定', 'give two determination JSON files: the older, then the newer');
  const output = optString(p, 'output');
  if (output === undefined) throw new UsageError('请用 -o 指定对比表文件（.xlsx）', 'give the comparison workbook with -o <file.xlsx>');
  requireExtension(output, '.xlsx', ['对比表', 'comparison workbook']);
  const json = optString(p, 'json');
  checkOutputs(p.positional, [output, ...(json !== undefined && json !== '-' ? [json] : [])]);
  const older = await readDetermination(p.positional[0]);
  const newer = await readDetermination(p.positional[1]);
  const c = compareDeterminations(older, newer);
  const staged: Staged[] = [];
  try {
    const s = stage(output);
    staged.push(s);
    await writeComparison(c, s.tmp);
    if (json !== undefined && json !== '-') staged.push(stageJson(json, c));
    commitAll(staged);
  } catch (e) {
    discardAll(staged);
    throw e;
  }
  if (json === '-') out(JSON.stringify(c, null, 2));
  else {
    out(comparisonSummary(c));
    out(`对比表 / comparison workbook: ${output}`);
    if (json !== undefined) out(`JSON 结果 / JSON result: ${json}`);
  }
  return EXIT_OK;
}
