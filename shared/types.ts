import type { FormId } from './forms/types';
import type { IssueCode } from './issues/catalogue';
import type { Issue } from './issues/issue';
import type { BenchmarkBasis, Category, MissingItem, Mode, ResultLabel } from './lists';
import type { HistoricPeriod, RuleId } from './rules/schema';

/**
 * A value after normalisation: text; number (in the field's unit: m², 万元, %, …); ISO date
 * `YYYY-MM-DD`; a year as number; boolean for 是/否; null when blank or not understood.
 */
export type FieldValue = string | number | boolean | null;

/** One data row of a form as read. */
export interface ParsedRow {
  /** 1-based Excel row of the file as read. */
  row: number;
  /** Values by field key (FieldDef.key); every field of the form is present, null when blank/unusable. */
  values: Record<string, FieldValue>;
  /** True when an error-level issue sits on this row: the row is not used for determination. */
  hasError: boolean;
  /**
   * Set when a row without errors is still not used, to the code of the issue that says why
   * (today only `other-year`: tax/output rows of another year than the evaluation year, §8.6).
   */
  unused?: IssueCode;
}

/** One sheet read as one form. */
export interface FormRead {
  /** File name (or label) the sheet came from. */
  file: string;
  form: FormId;
  sheet: string;
  /** Excel row of the header row (the last one when the header spans several rows). */
  headerRow: number;
  /** Column letter of each field found, by field key. */
  columns: Record<string, string>;
  /** Every non-blank data row, in sheet order. */
  rows: ParsedRow[];
  /** Issues found by reading and by the checks that need this form alone. */
  issues: Issue[];
  /** Total and note rows (domain.md §9.2–3): each has an info issue, none is in `rows`. */
  notRecords?: number;
}

export type { BenchmarkBasis, Category, MissingItem, Mode, ResultLabel } from './lists';

/** One parcel of the JSON contract (interfaces.md). */
export interface ParcelResult {
  parcelId: string;
  street: string;
  category: Category;
  result: ResultLabel;
  hits: RuleId[];
  missing: MissingItem[];
  mode: Mode | null;
  landArea: number;
  plotRatio: number | null;
  coverage: number | null;
  taxPerMu: number | null;
  outputPerMu: number | null;
}

export interface HistoricEntry {
  parcelId: string;
  period: HistoricPeriod;
}

/** An issue in the contract's shape (no hint). */
export type ContractIssue = Omit<Issue, 'hint'>;

export interface InputSummary {
  file: string;
  /** The sheet read (one entry per recognised sheet, domain.md §9.7). */
  sheet: string;
  form: FormId;
  /** Data rows read. */
  rows: number;
  /** Rows that are only in the issue list (not used: error, duplicate, other year, category mismatch, …). */
  issueRows: number;
}

/** The JSON result of `consolidate --json` and of the functions (interfaces.md). */
export interface ConsolidationResult {
  ruleSet: { id: string; version: string };
  evaluationDate: string;
  parcels: ParcelResult[];
  historic: HistoricEntry[];
  issues: ContractIssue[];
  inputs: InputSummary[];
}


/** The figures behind one rule hit, for the 低效用地数据库 and the cards. */
export interface RuleHit {
  rule: RuleId;
  /** The figure compared (e.g. 0.55 for 容积率), or null for rules without a figure. */
  figure: number | string | null;
  /** The threshold it was compared with, or null. */
  threshold: number | string | null;
  /** Reason in words (Chinese), e.g. 容积率0.55低于标准0.80. */
  reason: string;
}

/** Everything the submission workbook shows about one parcel beyond the contract fields. */
export interface ParcelDetail extends ParcelResult {
  location: string;
  landUseCode: string;
  owner: string;
  plannedUse: string | null;
  landAreaMu: number;
  floorArea: number | null;
  footprint: number | null;
  tax: number | null;
  taxSource: '税务' | '自报' | '混合' | null;
  output: number | null;
  outputSource: '市场监管' | '自报' | '混合' | null;
  mainIndustry: string | null;
  taxBenchmark: number | null;
  taxBenchmarkBasis: BenchmarkBasis;
  outputBenchmark: number | null;
  outputBenchmarkBasis: BenchmarkBasis;
  vacancyRate: number | null;
  hitDetails: RuleHit[];
  /** Enterprises / buildings / facilities / housing projects used, one line each, for the card. */
  units: { form: FormId; name: string; detail: string }[];
  /** 难点堵点 reported on the parcel's survey rows. */
  problems: { form: FormId; file: string; sheet: string; row: number; unit: string; type: string | null; description: string | null }[];
  historicPeriod: HistoricPeriod | null;
  landProcedures: string | null;
  occurrenceDate: string | null;
}

/** What the engine gives the submission workbook and the adapters. */
export interface Consolidation {
  result: ConsolidationResult;
  details: ParcelDetail[];
  /** Full issues (with hints), same order as result.issues. */
  issues: Issue[];
  /** Per input: rows in = rows determined + rows only in the issue list. */
  conservation: { file: string; form: FormId; sheet: string; rowsIn: number; rowsUsed: number; rowsIssueOnly: number; rowsNotRecords: number }[];
  /** The input file each issue was found in (issues found while reading a file). */
  issueFiles?: Map<Issue, string>;
}

/** An input the project cannot use at all: the CLI prints one line and exits 2. */
export class UnusableInputError extends Error {
  constructor(
    public readonly file: string,
    public readonly reasonZh: string,
    public readonly reasonEn: string,
    /** Set when the file is a malformed request rather than an unusable form (functions: 400). */
    public readonly code?: 'malformed-xml' | 'dtd-refused',
  ) {
    super(`${file}: ${reasonZh} / ${reasonEn}`);
    this.name = 'UnusableInputError';
  }
}
