/** `land-survey demo [-o <dir>]`: the sample departments' workbooks, consolidated. */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defaultRuleSet } from '../shared/rules';
import { generateSample } from '../shared/sample/generate';
import { writeSampleWorkbooks } from '../shared/sample/write';
import { optString, parseArgs, UsageError, type OptionSpec } from './args';
import { EXIT_OK } from './common';
import { consolidateFiles, consolidationSummary, writeOutputs } from './consolidate';
import { runPilotDemo } from './pilot-demo';

export const demoOptions: OptionSpec[] = [
  { key: 'output', names: ['-o', '--output'], value: true },
  { key: 'scale', names: ['--scale'], value: true },
  { key: 'seed', names: ['--seed'], value: true },
];

export const DEMO_SUBMISSION = '报送表.xlsx';
export const DEMO_RESULT = 'result.json';

export async function runDemo(argv: string[], out: (s: string) => void): Promise<number> {
  const p = parseArgs(argv, demoOptions);
  if (p.positional.length > 0) throw new UsageError(`多余的参数“${p.positional[0]}”`, `unexpected argument "${p.positional[0]}"`);
  const dir = optString(p, 'output') ?? 'demo-output';
  const scale = positiveNumber(optString(p, 'scale'), 1, '--scale');
  const seed = positiveNumber(optString(p, 'seed'), 20221231, '--seed');
  if (!Number.isInteger(seed)) throw new UsageError('--seed 须为正整数', '--seed must be a positive integer');

  // The workbooks are written into a temp folder first, then moved into inputs/ (only our own
  // file names are replaced; other files a user put there are left alone and not read).
  const data = generateSample({ scale, seed });
  const inputs = join(dir, 'inputs');
  const tmp = join(dir, `.inputs-${process.pid}.tmp`);
  mkdirSync(inputs, { recursive: true });
  let files: string[];
  try {
    const written = await writeSampleWorkbooks(tmp, { data });
    files = written.files.map((f) => {
      const dest = join(inputs, basename(f));
      renameSync(f, dest);
      return dest;
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const ruleSet = defaultRuleSet();
  const c = await consolidateFiles(files, ruleSet);
  const submission = join(dir, DEMO_SUBMISSION);
  const result = join(dir, DEMO_RESULT);
  await writeOutputs(c, ruleSet, submission, result, out);

  out('河东区低效用地调查认定 示例 / demo');
  out(`示例部门填报表 ${files.length} 个（含常见填报错误）：${inputs}`);
  out(consolidationSummary(c));
  out(`报送表（汇总、认定结果、低效用地数据库、历史遗留用地数据库、问题清单、一宗一卡）：${submission}`);
  out(`JSON 结果：${result}`);
  await runPilotDemo(dir, c.result, out);
  return EXIT_OK;
}

function positiveNumber(v: string | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} 须为正数`, `${name} must be a positive number`);
  return n;
}
