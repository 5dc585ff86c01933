/**
 * The pilot's commands after the survey (interfaces.md, pilot.md §3):
 *   land-survey plan   --year YYYY <inputs>… --determination <result.json> -o <plan.xlsx> [--json <f|->]
 *   land-survey ledger <inputs>… [--determination <result.json>] [--as-of YYYY-MM-DD] -o <ledger.xlsx> [--json <f|->]
 *   land-survey brief  <inputs>… --determination <result.json> [--as-of …] -o <brief.docx> [--json <f|->]
 *   land-survey report <inputs>… --determination <result.json> [--previous <older.json>] [--as-of …] -o <report.docx> [--json <f|->]
 * Inputs are the project and milestone workbooks (files or folders; the form is recognised from
 * the workbook). Every figure comes from the engine in shared/pilot; this file only reads the
 * inputs, calls it and writes the outputs whole (nothing half-written).
 */
import type { ConsolidationResultJson } from '../shared/contract';
import { contractIssue, type Issue } from '../shared/issues/issue';
import { compareDeterminations } from '../shared/pilot/compare';
import { renderBriefDocx, renderReportDocx } from '../shared/pilot/docx';
import { computeLedger, ledgerJson } from '../shared/pilot/ledger';
import { writeLedger } from '../shared/pilot/ledger-xlsx';
import type { PilotMilestone, PilotProject } from '../shared/pilot/model';
import { beforeReporting, FIRST_BRIEF_YEAR, periodLabel, todayInDistrict } from '../shared/pilot/periods';
import { computePlan } from '../shared/pilot/plan';
import { writePlan } from '../shared/pilot/plan-xlsx';
import { computeBrief, computeReport } from '../shared/pilot/progress';
import { pilotIssues } from '../shared/pilot/checks';
import { pilotRecords } from '../shared/pilot/read';
import { UNIT_NAMES } from '../shared/pilot/units';
import { UnusableInputError, type FormRead } from '../shared/types';
import { type OptionSpec, optString, parseArgs, type Parsed, requireExtension, UsageError } from './args';
import { EXIT_OK, isRealIsoDate, loadRuleSet, readFormsFromFile } from './common';
import { expandInputs } from './consolidate';
import { readDetermination } from './determination';
import { checkOutputs, commitAll, discardAll, stage, type Staged, stageJson, warn } from './io';

export const PILOT_FORM_IDS: readonly string[] = ['project', 'milestone'];

const common: OptionSpec[] = [
  { key: 'output', names: ['-o', '--output'], value: true },
  { key: 'json', names: ['--json'], value: true },
  { key: 'determination', names: ['--determination'], value: true },
  { key: 'asOf', names: ['--as-of'], value: true },
];
const reportOptions: OptionSpec[] = [...common, { key: 'previous', names: ['--previous'], value: true }];
const planOptions: OptionSpec[] = [...common, { key: 'year', names: ['--year'], value: true }];

export interface PilotInputs {
  projects: PilotProject[];
  milestones: PilotMilestone[];
  issues: Issue[];
  /** The file each issue came from. */
  fileOf: (is: Issue) => string;
}

/**
 * Reads the project and milestone workbooks (a file holding neither form is an unusable input)
 * and runs the pilot's checks (pilot.md §2) against the determination and the as-of date.
 */
export async function readPilotInputs(files: readonly string[], determination: ConsolidationResultJson | null, asOf: string): Promise<PilotInputs> {
  const ruleSet = loadRuleSet(undefined, undefined);
  const reads: FormRead[] = [];
  for (const f of files) {
    const got = (await readFormsFromFile(f, ruleSet)).filter((r) => PILOT_FORM_IDS.includes(r.form));
    if (got.length === 0) throw new UnusableInputError(f, '未找到项目表或项目节点表', 'holds no project or milestone form');
    reads.push(...got);
  }
  const { projects, milestones } = pilotRecords(reads);
  return { projects, milestones, ...pilotIssues({ reads, determination, asOf }) };
}

interface Prepared {
  p: Parsed;
  output: string;
  json: string | undefined;
  asOf: string;
  inputs: PilotInputs;
  determination: ConsolidationResultJson | null;
}

async function prepare(argv: string[], specs: OptionSpec[], ext: '.xlsx' | '.docx', what: [string, string], needsDetermination: boolean, periods = false): Promise<Prepared> {
  const p = parseArgs(argv, specs);
  if (p.positional.length === 0) throw new UsageError('请给出项目表、项目节点表（.xlsx 文件或文件夹）', 'give the project and milestone workbooks (.xlsx files or folders)');
  const output = optString(p, 'output');
  if (output === undefined) throw new UsageError(`请用 -o 指定${what[0]}文件（${ext}）`, `give the ${what[1]} with -o <file${ext}>`);
  requireExtension(output, ext, what);
  const json = optString(p, 'json');
  const asOf = optString(p, 'asOf') ?? todayInDistrict();
  if (!isRealIsoDate(asOf)) throw new UsageError(`截至日期须为 YYYY-MM-DD，收到“${asOf}”`, `--as-of must be YYYY-MM-DD, got "${asOf}"`);
  if (periods && beforeReporting(asOf)) {
    throw new UsageError(`截至日期${asOf}早于试点报告期（自${FIRST_BRIEF_YEAR}年1–2月第1期起）`, `--as-of ${asOf} is before the pilot's reporting periods (from ${FIRST_BRIEF_YEAR})`);
  }
  const detFile = optString(p, 'determination');
  if (needsDetermination && detFile === undefined) throw new UsageError('请用 --determination 给出认定结果（consolidate --json）', 'give the determination with --determination <result.json>');
  const files = expandInputs(p.positional, output, warn);
  const given = [...files, ...(detFile ? [detFile] : []), ...(optString(p, 'previous') ? [optString(p, 'previous') as string] : [])];
  checkOutputs(given, [output, ...(json !== undefined && json !== '-' ? [json] : [])]);
  const determination = detFile ? await readDetermination(detFile) : null;
  const inputs = await readPilotInputs(files, determination, asOf);
  return { p, output, json, asOf, inputs, determination };
}

/** Writes the document and the JSON only once both are complete. */
async function writeBoth(pr: Prepared, write: (tmp: string) => Promise<void>, doc: unknown, out: (s: string) => void, summary: string[], label: string): Promise<void> {
  const staged: Staged[] = [];
  try {
    const s = stage(pr.output);
    staged.push(s);
    await write(s.tmp);
    if (pr.json !== undefined && pr.json !== '-') staged.push(stageJson(pr.json, doc));
    commitAll(staged);
  } catch (e) {
    discardAll(staged);
    throw e;
  }
  if (pr.json === '-') out(JSON.stringify(doc, null, 2));
  else {
    summary.forEach((l) => out(l));
    out(`${label}: ${pr.output}`);
    if (pr.json !== undefined) out(`JSON 结果 / JSON result: ${pr.json}`);
  }
}

export async function runLedger(argv: string[], out: (s: string) => void): Promise<number> {
  const pr = await prepare(argv, common, '.xlsx', ['台账', 'ledger workbook'], false);
  const { projects, milestones, issues, fileOf } = pr.inputs;
  const l = computeLedger({ projects, milestones, determination: pr.determination, asOf: pr.asOf, unitOrder: UNIT_NAMES, issues });
  const j = ledgerJson(l);
  const overdue = j.overdue.length;
  await writeBoth(pr, (tmp) => writeLedger(l, tmp, { fileOf }), j, out, [
    `截至 ${pr.asOf}：项目 ${j.projects.length} 个，节点 ${j.projects.reduce((s: number, x) => s + x.milestones.total, 0)} 个，逾期未完成 ${overdue} 个`,
    ...issueSummary(issues, '工作簿“问题清单”'),
  ], '台账 / ledger workbook');
  return EXIT_OK;
}

export async function runBrief(argv: string[], out: (s: string) => void): Promise<number> {
  const pr = await prepare(argv, common, '.docx', ['简报', 'brief document'], true, true);
  const { projects, milestones, issues } = pr.inputs;
  const b = computeBrief({ projects, milestones, determination: pr.determination as ConsolidationResultJson, asOf: pr.asOf, unitOrder: UNIT_NAMES });
  const bytes = await renderBriefDocx(b);
  await writeBoth(pr, async (tmp) => writeFileAsync(tmp, bytes), b, out, [
    `工作简报第${b.issue}期（${periodLabel(b.period)}，截至 ${b.asOf}）`,
    ...issueSummary(issues, 'land-survey ledger 台账的“问题清单”'),
  ], '简报 / brief');
  return EXIT_OK;
}

export async function runReport(argv: string[], out: (s: string) => void): Promise<number> {
  const pr = await prepare(argv, reportOptions, '.docx', ['进展报告', 'progress report'], true, true);
  const prevFile = optString(pr.p, 'previous');
  const current = pr.determination as ConsolidationResultJson;
  const change = prevFile ? compareDeterminations(await readDetermination(prevFile), current) : null;
  const { projects, milestones, issues } = pr.inputs;
  const r = computeReport({ projects, milestones, determination: current, asOf: pr.asOf, unitOrder: UNIT_NAMES }, change);
  const bytes = await renderReportDocx(r);
  await writeBoth(pr, async (tmp) => writeFileAsync(tmp, bytes), r, out, [
    `工作进展情况报告（${periodLabel(r.period)}，截至 ${r.asOf}），盘活案例 ${r.cases.length} 个`,
    ...issueSummary(issues, 'land-survey ledger 台账的“问题清单”'),
  ], '进展报告 / progress report');
  return EXIT_OK;
}

/**
 * The summary line on the inputs' issues: rows with an error-level issue are left out of every
 * table (pilot.md §1: the survey's issue list), so the count is said where the user looks.
 */
function issueSummary(issues: readonly Issue[], where: string): string[] {
  if (issues.length === 0) return [];
  const errors = issues.filter((i) => i.severity === 'error').length;
  return [
    `输入问题 ${issues.length} 条（其中错误 ${errors} 条${errors > 0 ? '，有错误的行未采用' : ''}），详见${where} / ${issues.length} issues in the inputs (${errors} errors${errors > 0 ? ': rows with errors are left out' : ''})`,
  ];
}

async function writeFileAsync(path: string, bytes: Uint8Array): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, bytes);
}

export async function runPlan(argv: string[], out: (s: string) => void): Promise<number> {
  const year = Number(optString(parseArgs(argv, planOptions), 'year'));
  if (!Number.isInteger(year) || year < 2024 || year > 2035) throw new UsageError('请用 --year 指定计划年度（2024—2035）', 'give the plan year with --year YYYY (2024-2035)');
  const pr = await prepare(argv, planOptions, '.xlsx', ['年度实施计划', 'plan workbook'], true);
  const { projects, milestones, issues, fileOf } = pr.inputs;
  const plan = computePlan({ projects, milestones, determination: pr.determination, unitOrder: UNIT_NAMES }, year);
  await writeBoth(pr, (tmp) => writePlan(plan, tmp, { issues, fileOf }), { ...plan, issues: issues.map(contractIssue) }, out, [
    `${year}年度实施计划：成熟一批 ${plan.mature.length} 个项目，推动一批 ${plan.push.length} 个项目，待纳入地块 ${plan.candidates.length} 宗`,
    ...issueSummary(issues, '工作簿“问题清单”'),
  ], '年度实施计划 / plan workbook');
  return EXIT_OK;
}
