/**
 * The shared engine as the add-in uses it: the same recognition and reading + single-form checks
 * as the command line's validate, on the grid read from the sheet. No network.
 */
import { getForm, type FormId } from '../shared/forms';
import type { SheetGrid } from '../shared/grid';
import type { Issue } from '../shared/issues/issue';
import { readForm, recogniseSheets } from '../shared/read';
import { defaultRuleSet, type RuleSet } from '../shared/rules';
import { withoutResultBlock } from './plan/results';

export interface Analysis {
  form: FormId;
  formTitle: string;
  headerRow: number;
  /** Data rows read. */
  rows: number;
  issues: Issue[];
  /** The grid as the reader saw it (without an earlier result block). */
  grid: SheetGrid;
}

/** Options of the workbook the sheet is in. */
export interface AnalyseOptions {
  /** The workbook uses the 1904 date system (domain.md §9.8). */
  date1904?: boolean;
}

/** In the pane it runs in a Web Worker (addin/analysis), so it may answer later. */
export type Analyse = (grid: SheetGrid, file: string, opts?: AnalyseOptions) => Analysis | null | Promise<Analysis | null>;

let ruleSet: RuleSet | undefined;

/** Recognises the form of one sheet and reads it; null when the sheet is no known form. */
export const analyseSheet = (grid: SheetGrid, file: string, opts: AnalyseOptions = {}): Analysis | null => {
  ruleSet ??= defaultRuleSet();
  const g = withoutResultBlock(grid);
  const found = recogniseSheets({ file, sheets: [g] });
  if (found.length === 0) return null;
  const { form } = found[0];
  const read = readForm(g, form, { file, ruleSet, date1904: !!opts.date1904 });
  return { form, formTitle: getForm(form).title, headerRow: read.headerRow, rows: read.rows.length, issues: read.issues, grid: g };
};
