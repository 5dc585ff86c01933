/**
 * `land-survey consolidate <file.xlsx|dir>… -o <submission.xlsx> [--rules <rules.json>]
 *  [--evaluation-date YYYY-MM-DD] [--json <result.json|->]`
 */
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { resultContractProblem } from '../shared/contract';
import { consolidate } from '../shared/determine';
import { SEVERITY_LABEL } from '../shared/issues/catalogue';
import { CATEGORIES, RESULTS } from '../shared/lists';
import type { RuleSet } from '../shared/rules';
import { UnusableInputError, type Consolidation, type FormRead } from '../shared/types';
import { writeSubmission } from '../shared/xlsx/submission';
import { type OptionSpec, optString, parseArgs, requireExtension, UsageError } from './args';
import { EXIT_OK, InternalError, loadRuleSet } from './common';
import { checkOutputs, commitAll, discardAll, Progress, stage, type Staged, stageJson, warn } from './io';
import { readAllForms, type ReadAllOptions } from './read-pool';
import { countBySeverity } from './validate';

export const consolidateOptions: OptionSpec[] = [
  { key: 'output', names: ['-o', '--output'], value: true },
  { key: 'rules', names: ['--rules'], value: true },
  { key: 'evaluationDate', names: ['--evaluation-date'], value: true },
  { key: 'json', names: ['--json'], value: true },
];

/**
 * Files in a folder that hold a table but are not .xlsx (old Excel, CSV, OpenDocument, WPS,
 * macro workbooks): taken as inputs, so that reading them says what they are and nothing of the
 * folder is left out unseen.
 */
const OTHER_SHEET_FILES = new Set(['.xls', '.xlsm', '.xlsb', '.csv', '.ods', '.et', '.ett', '.numbers']);

/**
 * The input files in order: files as given; a folder gives its .xlsx files (and files of other
 * table formats, which are then refused with what they are) sorted by name, skipping Excel/WPS
 * lock files (`~$…`), hidden files and the output file itself. Subfolders are not read: each one
 * is named through `notice`.
 */
export function expandInputs(args: readonly string[], outputPath: string | null, notice: (zh: string, en: string) => void = () => {}): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const skip = outputPath ? resolve(outputPath) : null;
  const add = (f: string) => {
    const r = resolve(f);
    if (seen.has(r)) return;
    seen.add(r);
    out.push(f);
  };
  for (const a of args) {
    let isDir = false;
    try {
      isDir = statSync(a).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UnusableInputError(a, code === 'ENOENT' ? '文件或文件夹不存在' : '无法访问', code === 'ENOENT' ? 'no such file or folder' : `cannot access it (${code})`);
    }
    if (!isDir) {
      add(a);
      continue;
    }
    const entries = readdirSync(a, { withFileTypes: true }).filter((d) => !d.name.startsWith('~$') && !d.name.startsWith('.'));
    for (const d of entries) {
      if (d.isDirectory()) notice(`未读取子文件夹“${join(a, d.name)}”：只读取所给文件夹本层的文件`, `subfolder "${join(a, d.name)}" not read: only the folder's own files are`);
    }
    const names = entries
      .map((d) => d.name)
      .filter((n) => extname(n).toLowerCase() === '.xlsx' || OTHER_SHEET_FILES.has(extname(n).toLowerCase()))
      .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    const files = names.map((n) => join(a, n)).filter((f) => resolve(f) !== skip && statSync(f).isFile());
    if (files.length === 0) throw new UnusableInputError(a, '文件夹中没有 .xlsx 文件', 'the folder holds no .xlsx file');
    files.forEach(add);
  }
  return out;
}

/**
 * Reads the files (on helper threads too when they are many: read-pool.ts; each grid is dropped
 * once its forms are read) and consolidates.
 */
export async function consolidateFiles(files: readonly string[], ruleSet: RuleSet, opts: ReadAllOptions = {}): Promise<Consolidation> {
  const progress = new Progress();
  const reads: FormRead[] = [];
  try {
    progress.update(`读取 / reading ${files.length} 个文件…`);
    const all = await readAllForms(files, ruleSet, { ...opts, onRead: (k, f) => progress.update(`读取 / reading ${k}/${files.length}: ${basename(f)}`) });
    for (const rs of all) for (const r of rs) reads.push(r);
    progress.update('认定中 / determining…');
    return consolidate(reads, ruleSet);
  } finally {
    progress.done();
  }
}

/**
 * The cards worker beside the bundle (`dist/cards-worker.js`); run from the sources (tests, tsx)
 * there is none and the cards are written on the main thread.
 */
const CARDS_WORKER = join(__dirname, 'cards-worker.js');
/** On one core a second thread only adds its start-up. */
const cardsWorker = (): string | undefined => (availableParallelism() > 1 ? CARDS_WORKER : undefined);

/** Writes the submission workbook and the JSON (file or stdout) only once both are complete. */
export async function writeOutputs(
  c: Consolidation,
  ruleSet: RuleSet,
  output: string,
  json: string | undefined,
  stdout: (s: string) => void,
): Promise<void> {
  const check = () => {
    const first = resultContractProblem(c.result);
    if (first !== null) {
      throw new InternalError(`结果不符合 JSON 约定 / the result does not match the JSON contract: ${first.path.map(String).join('.')}: ${first.message}`);
    }
  };
  const progress = new Progress();
  const staged: Staged[] = [];
  try {
    progress.update('写出报送表 / writing the submission workbook…');
    const s = stage(output);
    staged.push(s);
    // the contract check and the JSON run while the cards are written (on the worker's thread);
    // a failed check fails the submission too, and nothing is kept
    const alongside = () => {
      check();
      if (json !== undefined && json !== '-') staged.push(stageJson(json, c.result));
    };
    await writeSubmission(c, ruleSet, s.tmp, { cardsWorker: cardsWorker(), alongside });
    progress.done();
    commitAll(staged);
  } catch (e) {
    progress.done();
    discardAll(staged);
    throw e;
  }
  if (json === '-') stdout(JSON.stringify(c.result, null, 2));
}

export async function runConsolidate(argv: string[], out: (s: string) => void): Promise<number> {
  const p = parseArgs(argv, consolidateOptions);
  if (p.positional.length === 0) throw new UsageError('请给出要汇总的 .xlsx 文件或文件夹', 'give the .xlsx files or folders to consolidate');
  const output = optString(p, 'output');
  if (output === undefined) throw new UsageError('请用 -o 指定报送表文件（.xlsx）', 'give the submission workbook with -o <file.xlsx>');
  requireExtension(output, '.xlsx', ['报送表', 'submission workbook']);
  const json = optString(p, 'json');
  const ruleSet = loadRuleSet(optString(p, 'rules'), optString(p, 'evaluationDate'));
  const files = expandInputs(p.positional, output, warn);
  checkOutputs(files, [output, ...(json !== undefined && json !== '-' ? [json] : [])]);
  const c = await consolidateFiles(files, ruleSet);
  await writeOutputs(c, ruleSet, output, json, out);
  if (json !== '-') {
    out(consolidationSummary(c));
    out(`报送表 / submission workbook: ${output}`);
    if (json !== undefined) out(`JSON 结果 / JSON result: ${json}`);
  }
  return EXIT_OK;
}

/** A short Chinese summary of a consolidation (also used by `demo`). */
export function consolidationSummary(c: Consolidation): string {
  const r = c.result;
  const count = <T extends string>(items: readonly T[]) => {
    const m = new Map<T, number>();
    for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const fmt = (m: Map<string, number>, order: readonly string[]) =>
    order.filter((k) => m.has(k)).map((k) => `${k} ${m.get(k)}`).join('，');
  const byResult = count(r.parcels.map((p) => p.result));
  const byCategory = count(r.parcels.map((p) => p.category));
  const sev = countBySeverity(r.issues);
  const rowsIn = c.conservation.reduce((s, x) => s + x.rowsIn, 0);
  const used = c.conservation.reduce((s, x) => s + x.rowsUsed, 0);
  const issueOnly = c.conservation.reduce((s, x) => s + x.rowsIssueOnly, 0);
  const illegal = r.historic.filter((h) => h.period === 'post-2019').length;
  const lines = [
    `规则集 ${r.ruleSet.id} ${r.ruleSet.version}，评价基准日 ${r.evaluationDate}`,
    `读入 ${r.inputs.length} 张表 ${rowsIn} 行：采用 ${used} 行，仅列入问题清单 ${issueOnly} 行`,
    `宗地 ${r.parcels.length} 宗，按认定结果：${fmt(byResult, RESULTS)}`,
    `按用地类别：${fmt(byCategory, CATEGORIES)}`,
    `历史遗留用地 ${r.historic.length - illegal} 宗${illegal ? `，三调后新增违法用地 ${illegal} 宗` : ''}`,
    `问题清单：${SEVERITY_LABEL.error} ${sev.error}，${SEVERITY_LABEL.warning} ${sev.warning}，${SEVERITY_LABEL.info} ${sev.info}`,
  ];
  return lines.join('\n');
}
