/**
 * Which cells to mark for a list of issues: one fill per severity over merged rectangles (address
 * strings chunked for `getRanges`), and one note per cell with the messages. Pure.
 *
 * The fill is applied as a conditional format whose formula carries MARK_TAG, so the user's own
 * fill stays untouched underneath and clearing the marks restores the sheet exactly; notes written
 * by the add-in start with NOTE_PREFIX, so the user's own notes are never touched either.
 */
import { columnNumber, mergeLookup, type MergedRange } from '../../shared/grid';
import { marksInPlace, SEVERITY_LABEL, Severity } from '../../shared/issues/catalogue';
import type { Issue } from '../../shared/issues/issue';
import { SEVERITIES } from '../../shared/contract';
import { Cell, cellAddress, chunkAddresses, mergeCells, rectAddress } from './address';


/** Fill colours per severity (Excel's own "bad" / "neutral" / light blue styles). */
export const MARK_FILL: Record<Severity, string> = { error: '#FFC7CE', warning: '#FFEB9C', info: '#DDEBF7' };

/** Text inside the conditional-format formula that identifies the add-in's own marks. */
export const MARK_TAG = 'LAND-SURVEY-MARK';
/** The always-true formula of a mark (the tag makes it recognisable, N(text) is 0). */
export const MARK_FORMULA = `=N("${MARK_TAG}")=0`;
/** First line of every note the add-in writes. */
export const NOTE_PREFIX = '【低效用地校验】';
/** Notes longer than this are cut (a cell with many issues lists them all in 问题清单). */
export const MAX_NOTE_CHARS = 1000;
/**
 * At most this many notes per run (worst cells first): thousands of note objects make Excel slow
 * and add nothing that 问题清单 does not say; every marked cell still gets its fill.
 */
export const MAX_NOTES = 2000;

export interface MarkPlan {
  /** Per severity present: address strings, each under the getRanges limit. */
  fills: { severity: Severity; color: string; addresses: string[]; cells: number }[];
  /** One note per marked cell (cells in `skipNoteCells` get none), at most `maxNotes`, worst first. */
  notes: { address: string; text: string }[];
  /** Marked cells left without a note because of the cap. */
  notesCapped: number;
}

export interface MarkOptions {
  /** Only issues of this sheet are marked. */
  sheet: string;
  /** Columns a row-level issue (row without column) spans: the data columns. */
  rowSpan: { c1: number; c2: number };
  /** Header row of the form: a column-level issue (row null, column set) marks its header cell. */
  headerRow?: number;
  /** Cells (A1, upper case) that already hold a note of the user's: no note is added there. */
  skipNoteCells?: ReadonlySet<string>;
  /** Cap on notes (default MAX_NOTES). */
  maxNotes?: number;
  /**
   * The sheet's merged ranges: a mark on a cell inside a merge goes to the merge's top-left cell
   * (where its value is shown); a row-level mark skips cells covered by a merge.
   */
  merges?: readonly MergedRange[];
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function isOwnNote(text: string | null | undefined): boolean {
  return typeof text === 'string' && text.startsWith(NOTE_PREFIX);
}

export function isOwnMarkFormula(formula: string | null | undefined): boolean {
  return typeof formula === 'string' && formula.includes(MARK_TAG);
}

/** The cells an issue sits on (none for sheet- and parcel-level issues). */
export function issueCells(issue: Issue, rowSpan: { c1: number; c2: number }, headerRow?: number): Cell[] {
  if (issue.row === null) return issue.column && headerRow ? [{ row: headerRow, col: columnNumber(issue.column) }] : [];
  if (issue.column) return [{ row: issue.row, col: columnNumber(issue.column) }];
  const out: Cell[] = [];
  for (let c = rowSpan.c1; c <= rowSpan.c2; c++) out.push({ row: issue.row, col: c });
  return out;
}

/**
 * What to mark for the issues of one sheet. Issues that say what a row is (total and note rows,
 * domain.md §9.2–3) are listed in 问题清单 only, never marked.
 */
export function planMarks(issues: readonly Issue[], opts: MarkOptions): MarkPlan {
  const worst = new Map<string, { cell: Cell; severity: Severity; lines: string[] }>();
  const anchor = mergeLookup(opts.merges);
  for (const issue of issues) {
    if (issue.sheet !== opts.sheet || !marksInPlace(issue.code)) continue;
    const line = `${SEVERITY_LABEL[issue.severity]}：${issue.message}`;
    const rowLevel = issue.row !== null && !issue.column;
    for (const raw of issueCells(issue, opts.rowSpan, opts.headerRow)) {
      const a = anchor(raw.row, raw.col);
      if (a.covered && rowLevel) continue;
      const cell: Cell = { row: a.row, col: a.col };
      const key = cellAddress(cell.row, cell.col);
      const cur = worst.get(key);
      if (!cur) worst.set(key, { cell, severity: issue.severity, lines: [line] });
      else {
        if (RANK[issue.severity] < RANK[cur.severity]) cur.severity = issue.severity;
        if (!cur.lines.includes(line)) cur.lines.push(line);
      }
    }
  }
  const fills: MarkPlan['fills'] = [];
  for (const severity of SEVERITIES) {
    const cells = [...worst.values()].filter((m) => m.severity === severity).map((m) => m.cell);
    if (cells.length === 0) continue;
    fills.push({ severity, color: MARK_FILL[severity], addresses: chunkAddresses(mergeCells(cells).map(rectAddress)), cells: cells.length });
  }
  const candidates = [...worst.entries()]
    .filter(([address]) => !opts.skipNoteCells?.has(address))
    .sort(([, a], [, b]) => RANK[a.severity] - RANK[b.severity] || a.cell.row - b.cell.row || a.cell.col - b.cell.col);
  const max = opts.maxNotes ?? MAX_NOTES;
  const notes = candidates.slice(0, max).map(([address, m]) => {
    let text = `${NOTE_PREFIX}\n${m.lines.join('\n')}`;
    if (text.length > MAX_NOTE_CHARS) text = `${text.slice(0, MAX_NOTE_CHARS - 1)}…`;
    return { address, text };
  });
  return { fills, notes, notesCapped: Math.max(0, candidates.length - max) };
}
