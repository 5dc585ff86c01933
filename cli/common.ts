/** What the commands share: exit codes, the rule set from the options, reading one input file. */
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isRealIsoDate } from '../shared/dates';
import type { WorkbookGrid } from '../shared/grid';
import { hiddenSheetsLeftOut, readWorkbook } from '../shared/read';
import { defaultRuleSet, parseRuleSet, withEvaluationDate, type RuleSet } from '../shared/rules';
import { UnusableInputError, type FormRead } from '../shared/types';
import { DEFAULT_READ_LIMITS } from '../shared/xlsx/limits';
import { readXlsx, readXlsxFile } from '../shared/xlsx/read';
import { UsageError } from './args';
import { oneLine, warn } from './io';
import { asUnusable, readGridFromFile } from './read-file';

export { asUnusable, readGridFromFile };

export const EXIT_OK = 0;
/** validate: error-level issues found. */
export const EXIT_ISSUES = 1;
/** Unusable input, bad options. */
export const EXIT_UNUSABLE = 2;
/** A fault of the program itself (not of the input). */
export const EXIT_INTERNAL = 3;

/** A problem with an input the user gave (rule file, date …) that is not a workbook. */
export class InputError extends Error {
  constructor(
    public readonly file: string | null,
    public readonly zh: string,
    public readonly en: string,
  ) {
    super(`${file ?? ''}: ${zh} / ${en}`);
    this.name = 'InputError';
  }
}

/** A fault of the program (e.g. a result that does not match the JSON contract): exit 3. */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}

/** The rule set in force: `--rules` (default hedong-default) and `--evaluation-date`. */
export function loadRuleSet(rulesPath: string | undefined, evaluationDate: string | undefined): RuleSet {
  let rs: RuleSet;
  if (rulesPath === undefined) rs = defaultRuleSet();
  else {
    let text: string;
    try {
      text = readFileSync(rulesPath, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new InputError(rulesPath, '规则集文件不存在', 'rule set file not found');
      if (code === 'EISDIR') throw new InputError(rulesPath, '这是文件夹，不是规则集文件', 'this is a folder, not a rule set file');
      throw new InputError(rulesPath, '无法读取规则集文件', `cannot read the rule set file (${code ?? (e as Error).message})`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new InputError(rulesPath, '规则集文件不是有效的 JSON', `the rule set file is not valid JSON (${oneLine((e as Error).message)})`);
    }
    try {
      rs = parseRuleSet(doc);
    } catch (e) {
      const msg = oneLine((e as Error).message).replace(/^规则集无效 \/ invalid rule set: /, '');
      throw new InputError(rulesPath, `规则集无效：${msg}`, 'invalid rule set (see the Chinese part for the fields)');
    }
  }
  if (evaluationDate !== undefined) {
    if (!isRealIsoDate(evaluationDate)) {
      throw new UsageError(`评价基准日“${evaluationDate}”无效，应为 YYYY-MM-DD 格式的日期`, `invalid evaluation date "${evaluationDate}": expected a real date as YYYY-MM-DD`);
    }
    rs = withEvaluationDate(rs, evaluationDate);
  }
  return rs;
}

export { isRealIsoDate };


/** Reads a workbook file and every form in it; anything wrong with it is an UnusableInputError. */
export async function readFormsFromFile(file: string, ruleSet: RuleSet): Promise<FormRead[]> {
  return formsOfGrid(file, await readGridFromFile(file), ruleSet);
}

/** Every form of a workbook's grid; a workbook holding none is an UnusableInputError. */
export function formsOfGrid(file: string, grid: WorkbookGrid, ruleSet: RuleSet): FormRead[] {
  let reads: FormRead[];
  try {
    reads = readWorkbook(grid, ruleSet);
  } catch (e) {
    throw asUnusable(file, e);
  }
  noticeHiddenSheets(file, grid);
  return reads;
}

/** A hidden sheet holding a form that a visible sheet also holds is not read: said on stderr. */
function noticeHiddenSheets(file: string, grid: WorkbookGrid): void {
  for (const h of hiddenSheetsLeftOut(grid)) warn(`“${file}”的${h.zh}`, `"${file}": ${h.en}`);
}

/**
 * The bytes of an input file, or an unusable input saying why (missing, a folder, too large,
 * unreadable) before anything is read into memory.
 */
export async function readInputFile(file: string, maxBytes: number, say: { folder: [string, string]; tooLarge: [string, string] }): Promise<Uint8Array> {
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new UnusableInputError(file, ...say.folder);
    if (st.size > maxBytes) throw new UnusableInputError(file, ...say.tooLarge);
    return await readFile(file);
  } catch (e) {
    if (e instanceof UnusableInputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UnusableInputError(file, '文件不存在', 'file not found');
    throw new UnusableInputError(file, '无法读取文件', `cannot read the file (${code ?? (e as Error).message})`);
  }
}

/**
 * Like readFormsFromFile, also returning the file's bytes (validate needs them for the marked copy)
 * and, with `keepParts`, the parts the read inflated (the marked copy does not inflate them again).
 */
export async function readFormsAndBytes(file: string, ruleSet: RuleSet, keepParts = false): Promise<{ data: Uint8Array; reads: FormRead[]; parts?: Map<string, Uint8Array> }> {
  const mb = Math.round(DEFAULT_READ_LIMITS.maxFileBytes / 1024 / 1024);
  const data = await readInputFile(file, DEFAULT_READ_LIMITS.maxFileBytes, {
    folder: ['这是文件夹，不是 Excel 工作簿文件', 'this is a folder, not a workbook file'],
    tooLarge: [`文件超过 ${mb} MB 上限`, `the file is larger than the ${mb} MB limit`],
  });
  const parts = keepParts ? new Map<string, Uint8Array>() : undefined;
  let grid: WorkbookGrid;
  try {
    grid = await readXlsx(data, file, undefined, { parts });
  } catch (e) {
    throw asUnusable(file, e);
  }
  try {
    const reads = readWorkbook(grid, ruleSet);
    noticeHiddenSheets(file, grid);
    return { data, reads, parts };
  } catch (e) {
    throw asUnusable(file, e);
  }
}
