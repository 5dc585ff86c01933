/**
 * The 问题清单 sheet the add-in writes beside the checked sheet, laid out as the shared definition
 * (`shared/issues/list.ts`, the same sheet as the CLI's marked copy): one row per issue, the 位置
 * column a HYPERLINK to the cell. User text (values as found, messages quoting them) is written
 * into text-formatted cells so that nothing a user typed can become a formula. Pure.
 */
import { columnLetter } from '../../shared/grid';
import type { Issue } from '../../shared/issues/issue';
import {
  ISSUE_LIST_COLUMNS, ISSUE_LIST_SHEET, ISSUE_LIST_TITLES, ISSUE_LIST_WIDTHS, isLongTextColumn, issueListValue, locationText, sortIssues,
} from '../../shared/issues/list';
import { quoteSheet } from './address';
import { fill2d, MAX_REQUEST_BYTES, Scalar, splitBlock, ValueBlock } from './blocks';

export { sortIssues };

export const ISSUE_SHEET_NAME = ISSUE_LIST_SHEET;

/** Where the columns are (1-based): the shared layout is 序号, 位置, then text columns only. */
const NO_COL = ISSUE_LIST_COLUMNS.findIndex((c) => c.kind === 'number') + 1;
const LINK_COL = ISSUE_LIST_COLUMNS.findIndex((c) => c.kind === 'link') + 1;
const TEXT_COLUMNS = ISSUE_LIST_COLUMNS.filter((c) => c.kind === 'text');
const FIRST_TEXT_COL = ISSUE_LIST_COLUMNS.indexOf(TEXT_COLUMNS[0]) + 1;
if (NO_COL !== 1 || LINK_COL !== 2 || FIRST_TEXT_COL !== 3 || ISSUE_LIST_COLUMNS.length !== 2 + TEXT_COLUMNS.length) {
  throw new Error('问题清单 layout: expected 序号, 位置, then text columns');
}

/** A formula string literal: double quotes doubled. */
function literal(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Where an issue points, as the cell address shown and linked, or null when it has no cell. */
export function issueTarget(issue: Issue, firstCol: number, headerRow?: number): string | null {
  if (issue.row === null) return issue.column && headerRow ? `${issue.column}${headerRow}` : null;
  return `${issue.column ?? columnLetter(firstCol)}${issue.row}`;
}

/** The location cell: a link formula to the cell, or a plain (generated) label. */
export function locationCell(issue: Issue, firstCol: number, headerRow?: number): string {
  const target = issueTarget(issue, firstCol, headerRow);
  if (target === null) return locationText(issue, null);
  const label = locationText(issue, target);
  return `=HYPERLINK(${literal(`#${quoteSheet(issue.sheet)}!${target}`)},${literal(label)})`;
}

export interface IssueSheetPlan {
  name: string;
  /** Written in order: header, 序号 (numbers), 位置 (link formulas), text columns (format `@` then values). */
  blocks: ValueBlock[];
  widths: number[];
  /** The columns (1-based) of long texts, wrapped over the data rows (the rows then fit their lines). */
  wrap: number[];
  rows: number;
}

export function planIssueSheet(issues: readonly Issue[], opts: { firstCol: number; headerRow?: number; maxBytes?: number }): IssueSheetPlan {
  const sorted = sortIssues(issues);
  const n = sorted.length;
  const header: ValueBlock = { row: 1, col: 1, rows: 1, cols: ISSUE_LIST_TITLES.length, values: [[...ISSUE_LIST_TITLES]] };
  const blocks: ValueBlock[] = [header];
  if (n > 0) {
    const numbers: Scalar[][] = sorted.map((_, k) => [k + 1]);
    const links: Scalar[][] = sorted.map((i) => [locationCell(i, opts.firstCol, opts.headerRow)]);
    const texts: Scalar[][] = sorted.map((i, k) => TEXT_COLUMNS.map((c) => issueListValue(c, i, k + 1)));
    const max = opts.maxBytes ?? MAX_REQUEST_BYTES;
    const m = TEXT_COLUMNS.length;
    blocks.push(...splitBlock({ row: 2, col: NO_COL, rows: n, cols: 1, values: numbers }, max));
    blocks.push(...splitBlock({ row: 2, col: LINK_COL, rows: n, cols: 1, formulas: links }, max));
    blocks.push(...splitBlock({ row: 2, col: FIRST_TEXT_COL, rows: n, cols: m, numberFormat: fill2d(n, m, '@'), values: texts }, max));
  }
  const wrap = ISSUE_LIST_COLUMNS.flatMap((c, k) => (isLongTextColumn(c) ? [k + 1] : []));
  return { name: ISSUE_SHEET_NAME, blocks, widths: [...ISSUE_LIST_WIDTHS], wrap, rows: n + 1 };
}
