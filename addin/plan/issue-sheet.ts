/**
 * The 问题清单 sheet the add-in writes beside the checked sheet: one row per issue, the first
 * column a HYPERLINK to the cell. User text (values as found, messages quoting them) is written
 * into text-formatted cells so that nothing a user typed can become a formula. Pure.
 */
import { columnLetter } from '../../shared/grid';
import { ISSUE_CODES, SEVERITY_LABEL } from '../../shared/issues/catalogue';
import type { Issue } from '../../shared/issues/issue';
import { quoteSheet } from './address';
import { fill2d, MAX_REQUEST_BYTES, Scalar, splitBlock, ValueBlock } from './blocks';
import { SEVERITIES } from '../../shared/contract';

export const ISSUE_SHEET_NAME = '问题清单';

export const ISSUE_SHEET_COLUMNS = ['位置', '严重程度', '问题类别', '字段', '宗地代码', '填写值', '问题说明', '处理建议', '问题代码'] as const;
/** Column widths (characters) matching the titles and usual contents. */
export const ISSUE_SHEET_WIDTHS = [12, 10, 18, 18, 24, 20, 60, 40, 24];

const RANK = new Map(SEVERITIES.map((s, i) => [s, i]));

/** Errors first, then warnings, then infos; within a severity by sheet order (row, column). */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort(
      (a, b) =>
        RANK.get(a.issue.severity)! - RANK.get(b.issue.severity)! ||
        (a.issue.row ?? 0) - (b.issue.row ?? 0) ||
        (a.issue.column ?? '').length - (b.issue.column ?? '').length ||
        (a.issue.column ?? '').localeCompare(b.issue.column ?? '') ||
        a.i - b.i,
    )
    .map((x) => x.issue);
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
  if (target === null) return issue.parcelId ? '（宗地）' : '（整表）';
  const label = issue.column ? target : `第${issue.row}行`;
  return `=HYPERLINK(${literal(`#${quoteSheet(issue.sheet)}!${target}`)},${literal(label)})`;
}

export interface IssueSheetPlan {
  name: string;
  /** Written in order: header, link column (formulas), text columns (format `@` then values). */
  blocks: ValueBlock[];
  widths: number[];
  rows: number;
}

export function planIssueSheet(issues: readonly Issue[], opts: { firstCol: number; headerRow?: number; maxBytes?: number }): IssueSheetPlan {
  const sorted = sortIssues(issues);
  const n = sorted.length;
  const header: ValueBlock = { row: 1, col: 1, rows: 1, cols: ISSUE_SHEET_COLUMNS.length, values: [[...ISSUE_SHEET_COLUMNS]] };
  const blocks: ValueBlock[] = [header];
  if (n > 0) {
    const links: Scalar[][] = sorted.map((i) => [locationCell(i, opts.firstCol, opts.headerRow)]);
    const texts: Scalar[][] = sorted.map((i) => [
      SEVERITY_LABEL[i.severity],
      ISSUE_CODES[i.code].title,
      i.field ?? '',
      i.parcelId ?? '',
      i.value ?? '',
      i.message,
      i.hint,
      i.code,
    ]);
    const max = opts.maxBytes ?? MAX_REQUEST_BYTES;
    blocks.push(...splitBlock({ row: 2, col: 1, rows: n, cols: 1, formulas: links }, max));
    blocks.push(...splitBlock({ row: 2, col: 2, rows: n, cols: texts[0].length, numberFormat: fill2d(n, texts[0].length, '@'), values: texts }, max));
  }
  return { name: ISSUE_SHEET_NAME, blocks, widths: ISSUE_SHEET_WIDTHS, rows: n + 1 };
}
