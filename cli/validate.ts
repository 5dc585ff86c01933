/** `land-survey validate <file.xlsx> [--base <base.xlsx>] [-o <checked.xlsx>] [--json <report.json|->]` */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { crossCheck } from '../shared/determine';
import { getForm, type FormId } from '../shared/forms';
import { SEVERITY_LABEL, type Severity } from '../shared/issues/catalogue';
import { contractIssue, type Issue } from '../shared/issues/issue';
import { UnusableInputError, type ContractIssue } from '../shared/types';
import { type OptionSpec, optString, parseArgs, requireExtension, UsageError } from './args';
import { EXIT_ISSUES, EXIT_OK, loadRuleSet, readFormsAndBytes, readFormsFromFile } from './common';
import { checkOutputs, commitAll, discardAll, stage, stageJson, type Staged } from './io';

export const validateOptions: OptionSpec[] = [
  { key: 'output', names: ['-o', '--output'], value: true },
  { key: 'base', names: ['--base'], value: true },
  { key: 'json', names: ['--json'], value: true },
  { key: 'rules', names: ['--rules'], value: true },
  { key: 'evaluationDate', names: ['--evaluation-date'], value: true },
];

/** The JSON report of `validate --json`. */
export interface ValidateReport {
  file: string;
  forms: { form: FormId; sheet: string; rows: number }[];
  issues: ContractIssue[];
  counts: Record<Severity, number>;
}

export function countBySeverity(issues: readonly { severity: Severity }[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const i of issues) c[i.severity]++;
  return c;
}

export async function runValidate(argv: string[], out: (s: string) => void): Promise<number> {
  const p = parseArgs(argv, validateOptions);
  if (p.positional.length !== 1) throw new UsageError('请给出一个要校验的 .xlsx 文件', 'give one .xlsx file to check');
  const file = p.positional[0];
  const json = optString(p, 'json');
  const output = optString(p, 'output');
  const basePath = optString(p, 'base');
  if (output !== undefined) requireExtension(output, '.xlsx', ['标注副本', 'marked copy']);
  checkOutputs([file, ...(basePath !== undefined ? [basePath] : [])], [...(output !== undefined ? [output] : []), ...(json !== undefined && json !== '-' ? [json] : [])]);
  const ruleSet = loadRuleSet(optString(p, 'rules'), optString(p, 'evaluationDate'));

  const { data, reads, parts } = await readFormsAndBytes(file, ruleSet, output !== undefined);
  const issues: Issue[] = reads.flatMap((r) => r.issues);
  // The base to check the survey forms against: --base, else a base form in the same workbook.
  let baseReads = reads.filter((r) => r.form === 'base');
  if (basePath !== undefined) {
    baseReads = (await readFormsFromFile(basePath, ruleSet)).filter((r) => r.form === 'base');
    if (baseReads.length === 0) throw new UnusableInputError(basePath, '未找到地块底图表', 'the workbook holds no base form (地块底图表)');
  }
  const surveys = reads.filter((r) => r.form !== 'base' && getForm(r.form).kind === 'survey');
  const crossChecked = baseReads.length > 0 && surveys.length > 0;
  if (crossChecked) {
    // Only the issues that sit on the checked file's own sheets.
    const own = new Set(reads.map((r) => `${r.form}\u0000${r.sheet}`));
    const cross = crossCheck([...baseReads, ...reads.filter((r) => r.form !== 'base')], ruleSet);
    for (const i of cross) if (own.has(`${i.form}\u0000${i.sheet}`)) issues.push(i);
  }
  const sheetOrder = new Map(reads.map((r, i) => [r.sheet, i]));
  issues.sort((a, b) => (sheetOrder.get(a.sheet) ?? 0) - (sheetOrder.get(b.sheet) ?? 0) || (a.row ?? 0) - (b.row ?? 0));

  const counts = countBySeverity(issues);
  const report: ValidateReport = {
    file,
    forms: reads.map((r) => ({ form: r.form, sheet: r.sheet, rows: r.rows.length })),
    issues: issues.map(contractIssue),
    counts,
  };

  const staged: Staged[] = [];
  try {
    if (output !== undefined) {
      const s = stage(output);
      staged.push(s);
      const { writeMarkedCopy } = await import('../shared/xlsx/marked');
      writeFileSync(s.tmp, await writeMarkedCopy(data, issues, { file, inflated: parts }));
    }
    if (json !== undefined && json !== '-') staged.push(stageJson(json, report));
    commitAll(staged);
  } catch (e) {
    discardAll(staged);
    throw e;
  }

  if (json === '-') out(JSON.stringify(report, null, 2));
  else out(summary(report, output, surveys.length > 0 && !crossChecked));
  return counts.error > 0 ? EXIT_ISSUES : EXIT_OK;
}

const MAX_LISTED = 20;

function summary(r: ValidateReport, output: string | undefined, suggestBase: boolean): string {
  const lines: string[] = [`校验：${basename(r.file)}`];
  for (const f of r.forms) lines.push(`  工作表“${f.sheet}”：${getForm(f.form).title}（${f.form}），${f.rows} 行数据`);
  lines.push(`问题：${SEVERITY_LABEL.error} ${r.counts.error}，${SEVERITY_LABEL.warning} ${r.counts.warning}，${SEVERITY_LABEL.info} ${r.counts.info}`);
  const shown = [...r.issues].sort((a, b) => rank(a.severity) - rank(b.severity)).filter((i) => i.severity !== 'info').slice(0, MAX_LISTED);
  for (const i of shown) {
    const where = [i.row !== null ? `第${i.row}行` : null, i.column ? `${i.column}列` : null].filter(Boolean).join(' ');
    lines.push(`  [${SEVERITY_LABEL[i.severity]}] ${i.sheet}${where ? ' ' + where : ''}：${i.message}`);
  }
  const more = r.issues.filter((i) => i.severity !== 'info').length - shown.length;
  if (more > 0) lines.push(`  …… 另有 ${more} 条错误或警告${output ? '，见标注副本的“问题清单”' : '（用 -o 生成标注副本查看全部）'}`);
  if (suggestBase) lines.push('未对照地块底图表：加 --base <底图.xlsx> 可检查宗地是否在底图中、用地类别和面积是否相符。');
  if (output) lines.push(`已写出标注副本：${output}`);
  lines.push(r.counts.error > 0 ? '结论：有错误，须修改后重新报送。' : '结论：没有错误。');
  return lines.join('\n');
}

function rank(s: Severity): number {
  return s === 'error' ? 0 : s === 'warning' ? 1 : 2;
}
