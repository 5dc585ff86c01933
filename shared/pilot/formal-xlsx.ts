/**
 * The formal workbook layout of domain.md §7 shared by the pilot's workbooks (comparison, ledger):
 * a fixed style table, a title and subtitle over each sheet, a header row, bordered rows whose
 * height follows their wrapped text, frozen header, print titles, A4 landscape, autofilter.
 */
import { FILL_HEADER, FILL_SECTION, FONT_BODY, FONT_HEADER, FONT_SUBTITLE, FONT_TITLE, NUMFMT_AMOUNT, NUMFMT_INTEGER, headerRowHeight, rowHeightFor, wrappedLines, wrappedRowHeight } from '../xlsx/style';
import { SheetWriter, XlsxWriter, type CellValue, type StyleSpec } from '../xlsx/write';
import { getForm } from '../forms';
import type { Issue } from '../issues/issue';
import { CONSOLIDATED_ISSUE_LIST_COLUMNS, consolidatedIssueValue, isLongTextColumn, ISSUE_LIST_SHEET } from '../issues/list';
import { safeText } from '../xlsx/safe';

const font = (f: { name?: string; size?: number; bold?: boolean }) => ({ name: f.name, size: f.size, bold: f.bold });
const argb = (f: unknown) => (f as { fgColor?: { argb?: string } }).fgColor?.argb;
export const SPEC = {
  title: { font: font(FONT_TITLE), horizontal: 'center', vertical: 'middle' },
  subtitle: { font: font(FONT_SUBTITLE), horizontal: 'left', vertical: 'middle', wrap: true },
  header: { font: font(FONT_HEADER), fill: argb(FILL_HEADER), border: true, horizontal: 'center', vertical: 'middle', wrap: true },
  section: { font: font(FONT_HEADER), fill: argb(FILL_SECTION), border: true, horizontal: 'left', vertical: 'middle' },
  text: { font: font(FONT_BODY), border: true, vertical: 'middle', wrap: true },
  center: { font: font(FONT_BODY), border: true, horizontal: 'center', vertical: 'middle', wrap: true },
  amount: { font: font(FONT_BODY), border: true, numFmt: NUMFMT_AMOUNT, vertical: 'middle' },
  integer: { font: font(FONT_BODY), border: true, numFmt: NUMFMT_INTEGER, horizontal: 'center', vertical: 'middle' },
  total: { font: font(FONT_HEADER), border: true, horizontal: 'center', vertical: 'middle' },
  totalAmount: { font: font(FONT_HEADER), border: true, numFmt: NUMFMT_AMOUNT, vertical: 'middle' },
  totalInteger: { font: font(FONT_HEADER), border: true, numFmt: NUMFMT_INTEGER, horizontal: 'center', vertical: 'middle' },
} satisfies Record<string, StyleSpec>;
export type Styles = Record<keyof typeof SPEC, number>;
export type Kind = 'text' | 'center' | 'amount' | 'integer';

export interface Column<T> {
  title: string;
  width: number;
  kind: Kind;
  get: (x: T) => CellValue;
}

export interface Ctx {
  wb: XlsxWriter;
  st: Styles;
  subtitle: string;
  district: string;
}

export function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function fill<T>(n: number, x: T): T[] {
  return new Array<T>(n).fill(x);
}

export function newSheet(ctx: Ctx, name: string, widths: number[], frozenRows: number): SheetWriter {
  return ctx.wb.addSheet(name, { widths, frozenRows, defaultRowHeight: 18, print: { landscape: true, titleRows: [1, frozenRows] } });
}

export function writeTitle(ctx: Ctx, ws: SheetWriter, title: string, ncol: number, widths: readonly number[]): void {
  ws.row([title], ctx.st.title, 30);
  ws.merge(1, 1, 1, ncol);
  const total = widths.reduce((s, w) => s + w, 0);
  ws.row([ctx.subtitle], ctx.st.subtitle, rowHeightFor(wrappedLines(ctx.subtitle, total), 20));
  ws.merge(2, 1, 2, ncol);
}

export function writeHeader(ctx: Ctx, ws: SheetWriter, titles: readonly string[], widths: readonly number[]): void {
  ws.row(titles, ctx.st.header, headerRowHeight(titles, widths));
}

export async function writeTable<T>(ctx: Ctx, name: string, title: string, columns: Column<T>[], items: readonly T[]): Promise<void> {
  const widths = columns.map((c) => c.width);
  const ws = newSheet(ctx, name, widths, 3);
  writeTitle(ctx, ws, title, columns.length, widths);
  writeHeader(ctx, ws, columns.map((c) => c.title), widths);
  const styles = columns.map((c) => ctx.st[c.kind]);
  for (const x of items) {
    const values = columns.map((c) => c.get(x));
    const w = ws.row(values, styles, wrappedRowHeight(values, widths));
    if (w) await w;
  }
  if (items.length === 0) {
    ws.row(['（无）', ...fill(columns.length - 1, null)], [ctx.st.center, ...fill(columns.length - 1, ctx.st.text)]);
    ws.merge(4, 1, 4, columns.length);
  }
  ws.autoFilter(3, 1, Math.max(3, ws.next - 1), columns.length);
  await ws.end();
}

/**
 * The 问题清单 of a pilot workbook (plan, ledger): every issue of its inputs, in the columns of the
 * submission's list (file and form after the number), so a row the checks left out of the other
 * sheets can be traced to its cell. `fileOf` names the file an issue came from.
 */
export async function writeIssueTable(ctx: Ctx, issues: readonly Issue[], fileOf: (is: Issue) => string): Promise<void> {
  const columns: Column<{ is: Issue; n: number }>[] = CONSOLIDATED_ISSUE_LIST_COLUMNS.map((col) => ({
    title: col.title,
    width: col.width,
    kind: col.kind === 'number' ? 'integer' : isLongTextColumn(col) ? 'text' : 'center',
    get: ({ is, n }) => {
      const v = consolidatedIssueValue(col, is, n, col.key === 'file' ? fileOf(is) : '', col.key === 'form' ? getForm(is.form).title : '');
      return typeof v === 'number' ? v : safeText(v);
    },
  }));
  await writeTable(ctx, ISSUE_LIST_SHEET, `${ctx.district}低效用地再开发项目问题清单（共${issues.length}条）`, columns, issues.map((is, i) => ({ is, n: i + 1 })));
}
