/**
 * The one definition of the 问题清单 (issue list) sheet: its name, its columns (title, width, how
 * each value is derived from an `Issue`) and the order of its rows. Pure — no exceljs, no
 * Office.js: the CLI's marked copy (`shared/xlsx/marked.ts`, exceljs) and the Excel add-in
 * (`addin/plan/issue-sheet.ts`, value blocks) both render from it, so a department sees the same
 * list whichever tool it uses.
 *
 * The 位置 column is the only one whose cell the renderer makes itself: a link to the issue's
 * cell (an internal hyperlink in the marked copy, a `HYPERLINK` formula in the add-in), showing
 * `locationText(issue, target)`. Every other column is plain text (or the row number), to be
 * written as inert text.
 */
import * as catalogue from './catalogue';
import type { Severity } from './catalogue';
import type { Issue } from './issue';

/** Name of the sheet (a renderer may add a suffix when the user already has a sheet of that name). */
export const ISSUE_LIST_SHEET = '问题清单';

/** How a renderer writes a column: the row number, the link to the cell, or inert text. */
export type IssueListColumnKind = 'number' | 'link' | 'text';

export interface IssueListColumn {
  key: 'no' | 'file' | 'form' | 'location' | 'severity' | 'kind' | 'sheet' | 'field' | 'parcelId' | 'value' | 'message' | 'hint' | 'code';
  title: string;
  /** Column width in characters. */
  width: number;
  kind: IssueListColumnKind;
}

// Widths sum to 150 characters (172 with the consolidated list's 文件 and 报表): fitted to an A4 landscape page's
// width (about 110 characters at full size), the list prints at two thirds of its size; the long texts wrap
// and the rows grow to fit them. At the earlier 285 characters it printed at 38 %, about 4 pt.
export const ISSUE_LIST_COLUMNS: readonly IssueListColumn[] = [
  { key: 'no', title: '序号', width: 5, kind: 'number' },
  { key: 'location', title: '位置', width: 9, kind: 'link' },
  { key: 'severity', title: '严重程度', width: 8, kind: 'text' },
  { key: 'kind', title: '问题类别', width: 12, kind: 'text' },
  { key: 'sheet', title: '工作表', width: 12, kind: 'text' },
  { key: 'field', title: '字段', width: 12, kind: 'text' },
  { key: 'parcelId', title: '宗地代码', width: 20, kind: 'text' },
  { key: 'value', title: '填报值', width: 12, kind: 'text' },
  { key: 'message', title: '问题说明', width: 30, kind: 'text' },
  { key: 'hint', title: '处理建议', width: 18, kind: 'text' },
  { key: 'code', title: '问题代码', width: 12, kind: 'text' },
];

/**
 * The consolidated list of the submission workbook: the same columns, with the file and the form
 * each issue came from after the number (an issue on `Sheet1` row 4 is traced to one of twelve
 * street files). Its 位置 is text (the cell is in another file).
 */
export const CONSOLIDATED_ISSUE_LIST_COLUMNS: readonly IssueListColumn[] = [
  ISSUE_LIST_COLUMNS[0],
  { key: 'file', title: '文件', width: 12, kind: 'text' },
  { key: 'form', title: '报表', width: 10, kind: 'text' },
  ...ISSUE_LIST_COLUMNS.slice(1),
];

export const ISSUE_LIST_TITLES: readonly string[] = ISSUE_LIST_COLUMNS.map((c) => c.title);
export const ISSUE_LIST_WIDTHS: readonly number[] = ISSUE_LIST_COLUMNS.map((c) => c.width);

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * The order of the list: errors first, then warnings, then infos; within a severity by position
 * in the sheet (row — sheet- and parcel-level issues, which have none, first — then column,
 * A < B < … < Z < AA); otherwise as given (stable).
 */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort(
      (a, b) =>
        RANK[a.issue.severity] - RANK[b.issue.severity] ||
        (a.issue.row ?? 0) - (b.issue.row ?? 0) ||
        (a.issue.column ?? '').length - (b.issue.column ?? '').length ||
        (a.issue.column ?? '').localeCompare(b.issue.column ?? '') ||
        a.i - b.i,
    )
    .map((x) => x.issue);
}

/**
 * The text shown in the 位置 cell. `target` is the cell address the renderer links to (null when
 * the issue has no cell it can point at): the address itself for a cell or column issue, `第N行`
 * for a row-level issue, `C列` for a column it could not find, otherwise `（宗地）`/`（整表）`.
 */
export function locationText(issue: Issue, target: string | null): string {
  if (target !== null && issue.column) return target;
  if (issue.row !== null) return `第${issue.row}行`;
  if (issue.column) return `${issue.column}列`;
  return issue.parcelId ? '（宗地）' : '（整表）';
}

/** The value of each non-link column for one issue (`n` is its 1-based place in the list). */
export function issueListValue(col: IssueListColumn, issue: Issue, n: number): string | number {
  switch (col.key) {
    case 'no':
      return n;
    case 'file':
    case 'form':
      return ''; // known to the consolidated renderer only (the file of each input, the form's title)
    case 'location':
      return '';
    case 'severity':
      return catalogue.SEVERITY_LABEL[issue.severity];
    case 'kind':
      return catalogue.ISSUE_CODES[issue.code]?.title ?? issue.code;
    case 'sheet':
      return issue.sheet;
    case 'field':
      return issue.field ?? '';
    case 'parcelId':
      return issue.parcelId ?? '';
    case 'value':
      return issue.value ?? '';
    case 'message':
      return issue.message;
    case 'hint':
      return issue.hint ?? '';
    case 'code':
      return issue.code;
  }
}

/**
 * The value of a column of the consolidated list (CONSOLIDATED_ISSUE_LIST_COLUMNS) for one issue:
 * besides issueListValue's, the file the issue came from and its form's title; 位置 as text (the
 * cell is in another file). The submission's list and the pilot workbooks' lists use it.
 */
export function consolidatedIssueValue(col: IssueListColumn, issue: Issue, n: number, file: string, formTitle: string): string | number {
  if (col.key === 'file') return file;
  if (col.key === 'form') return formTitle;
  if (col.kind === 'link') return locationText(issue, issue.column && issue.row ? `${issue.column}${issue.row}` : null);
  return issueListValue(col, issue, n);
}

/** Columns of long text, left-aligned and wrapped (the others are centred). */
export function isLongTextColumn(col: IssueListColumn): boolean {
  return col.key === 'message' || col.key === 'hint' || col.key === 'value' || col.key === 'file';
}

/** One row of the list, every column; the 位置 cell holds `locationText(issue, target)`. */
export function issueListRow(issue: Issue, n: number, target: string | null): (string | number)[] {
  return ISSUE_LIST_COLUMNS.map((c) => (c.kind === 'link' ? locationText(issue, target) : issueListValue(c, issue, n)));
}
