/**
 * The result columns Determine writes to the right of the data, and how to find them again so a
 * second run overwrites them and the reader never sees them as form columns. Pure.
 */
import type { DeterminedRow } from '../../shared/contract';
import type { CellValue, SheetGrid } from '../../shared/grid';
import { NUMFMT, RESULT_FIGURES, type ResultFigure } from '../../shared/results/figures';
import { fill2d, MAX_REQUEST_BYTES, Scalar, splitBlock, ValueBlock } from './blocks';

export type { DeterminedRow };

type Getter = (r: DeterminedRow) => Scalar;

/** Titles, number formats and values of the result columns, in sheet order. */
export const RESULT_COLUMNS: readonly { title: string; format: string; get: Getter }[] = (
  [
    ['plotRatio', (r) => r.plotRatio],
    ['coverage', (r) => r.coverage],
    ['taxPerMu', (r) => r.taxPerMu],
    ['outputPerMu', (r) => r.outputPerMu],
    ['result', (r) => r.result],
    ['hits', (r) => r.hits.join('、')],
    ['mode', (r) => r.mode],
  ] as [ResultFigure, Getter][]
).map(([key, get]) => ({ title: RESULT_FIGURES[key].title, format: NUMFMT[RESULT_FIGURES[key].kind], get }));

const TITLES = RESULT_COLUMNS.map((c) => c.title);

function text(v: CellValue): string {
  return typeof v === 'string' ? v.trim() : '';
}

/** Where an earlier Determine put its result columns: the header cell of the first one. */
export function findResultBlock(grid: SheetGrid, scanRows = 30): { row: number; col: number } | null {
  const firstRow = grid.firstRow ?? 1;
  const firstCol = grid.firstCol ?? 1;
  for (let r = 0; r < Math.min(scanRows, grid.rows.length); r++) {
    const row = grid.rows[r];
    for (let c = 0; c + TITLES.length <= row.length; c++) {
      if (text(row[c]) !== TITLES[0]) continue;
      if (TITLES.every((t, k) => text(row[c + k]) === t)) return { row: firstRow + r, col: firstCol + c };
    }
  }
  return null;
}

/** The grid without an earlier result block (and anything right of it), as the reader should see it. */
export function withoutResultBlock(grid: SheetGrid): SheetGrid {
  const block = findResultBlock(grid);
  if (!block) return grid;
  const keep = block.col - (grid.firstCol ?? 1);
  return { ...grid, rows: grid.rows.map((r) => r.slice(0, keep)) };
}

/** Last column (1-based) holding anything in the grid. */
export function lastUsedColumn(grid: SheetGrid): number {
  let last = 0;
  for (const row of grid.rows) {
    for (let c = row.length - 1; c >= last; c--) {
      const v = row[c];
      if (v !== null && v !== '') {
        last = c + 1;
        break;
      }
    }
  }
  return last === 0 ? 0 : (grid.firstCol ?? 1) + last - 1;
}

/**
 * The result block: header titles in the header row, then one row per sheet row below it down to
 * `lastRow`. Rows the answer does not cover are cleared (`''`: `null` would leave old values).
 */
export function planResults(answer: readonly DeterminedRow[], opts: { headerRow: number; col: number; lastRow: number; maxBytes?: number }): ValueBlock[] {
  const cols = RESULT_COLUMNS.length;
  const header: ValueBlock = { row: opts.headerRow, col: opts.col, rows: 1, cols, numberFormat: [fill2d(1, cols, '@')[0]], values: [[...TITLES]] };
  const n = Math.max(0, opts.lastRow - opts.headerRow);
  if (n === 0) return [header];
  const byRow = new Map(answer.map((r) => [r.row, r]));
  const values: Scalar[][] = [];
  for (let i = 0; i < n; i++) {
    const r = byRow.get(opts.headerRow + 1 + i);
    values.push(RESULT_COLUMNS.map((c) => (r ? (c.get(r) ?? '') : '')));
  }
  const formats = RESULT_COLUMNS.map((c) => c.format);
  const body: ValueBlock = { row: opts.headerRow + 1, col: opts.col, rows: n, cols, numberFormat: values.map(() => formats), values };
  return [header, ...splitBlock(body, opts.maxBytes ?? MAX_REQUEST_BYTES)];
}
