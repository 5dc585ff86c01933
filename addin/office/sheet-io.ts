/**
 * The Office.js layer: reads a sheet as a SheetGrid (values + valueTypes, in row chunks under the
 * payload budget), finds and clears the add-in's own marks, and applies a WritePlan. Everything
 * that decides WHAT to write is in ../plan (pure); this module only issues the operations.
 * Syncs: one to open, one per read chunk (the first also carries the clearing), one per write
 * batch of at most MAX_REQUEST_BYTES.
 */
import { parseRangeRef, type CellValue, type MergedRange, type SheetGrid } from '../../shared/grid';
import { cellAddress, parseAddress, quoteSheet } from '../plan/address';
import { blockBytes, jsonBytes, MAX_REQUEST_BYTES, ValueBlock } from '../plan/blocks';
import { IssueSheetPlan, ISSUE_SHEET_NAME } from '../plan/issue-sheet';
import { isOwnMarkFormula, isOwnNote, MarkPlan, MARK_FORMULA } from '../plan/marks';

/** What the running Excel supports (requirement sets checked at run time). */
export interface Caps {
  /** ExcelApi 1.18: worksheet.notes. */
  notes: boolean;
  /** ExcelApi 1.10: worksheet.comments (used for the messages when notes are not there). */
  comments: boolean;
  /** ExcelApi 1.13: range.getMergedAreasOrNullObject (merged 宗地代码, two-row headers, domain.md §9.4/§9.6). */
  merges: boolean;
}

export interface UsedArea {
  /** 1-based top-left cell and size. */
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface OpenedSheet {
  ws: Excel.Worksheet;
  name: string;
  used: UsedArea | null;
  sheetNames: string[];
  /** The workbook uses the 1904 date system (old Excel for Mac, domain.md §9.8). */
  date1904: boolean;
  /** Merged areas can be read on this host. */
  mergesReadable: boolean;
  /** Sheet protection as found (the standard templates are protected): lifted for the write and set again. */
  protection: { protected: boolean; options: Excel.WorksheetProtectionOptions };
  /** The workbook's structure is protected: no sheet (问题清单) can be added. */
  structureProtected: boolean;
  /**
   * `notes`: where the add-in writes its messages (notes, else comments); `threads`: the
   * (threaded) comments when the messages go into notes: a cell holding one cannot take a note.
   */
  marks: { cfs: Excel.ConditionalFormatCollection; notes: Excel.NoteCollection | Excel.CommentCollection | null; threads: Excel.CommentCollection | null } | null;
}

/**
 * Wire size of one cell's value + type assumed for the first chunk, before one has been measured:
 * high on purpose (a typical sheet's cells take 20–40 bytes; sheets with long Chinese text in
 * several columns 60–100), since that sync also carries the loads queued before it and cannot be
 * asked again by itself.
 */
export const FIRST_CHUNK_CELL_BYTES = 160;

/** Excel's error when a request or its answer is over the 5 MB limit (Excel on the web). */
const PAYLOAD_LIMIT = 'RequestPayloadSizeLimitExceeded';
const isPayloadLimit = (e: unknown) => (e as { code?: string } | null)?.code === PAYLOAD_LIMIT || (e as { code?: string } | null)?.code === 'ResponsePayloadSizeLimitExceeded';

/**
 * Opens a sheet (the active one, or by name) with its used area, the sheet names and, when
 * `marks`, the conditional formats and notes/comments needed to find the add-in's own marks.
 * One sync.
 */
export async function openSheet(ctx: Excel.RequestContext, opts: { caps: Caps; marks: boolean; name?: string }): Promise<OpenedSheet> {
  const ws = opts.name ? ctx.workbook.worksheets.getItem(opts.name) : ctx.workbook.worksheets.getActiveWorksheet();
  ws.load('name');
  const used = ws.getUsedRangeOrNullObject(true);
  used.load('rowIndex,columnIndex,rowCount,columnCount');
  const sheets = ctx.workbook.worksheets;
  sheets.load('items/name');
  // The date system is not a property in Office.js; DATE(1904,1,1) is serial 0 in the 1904 system
  // and 1462 in the 1900 one. Evaluated by Excel without touching a cell.
  const day0 = ctx.workbook.functions.date(1904, 1, 1);
  day0.load('value');
  const protection = ws.protection;
  protection.load('protected,options');
  const structure = ctx.workbook.protection;
  structure.load('protected');
  let marks: OpenedSheet['marks'] = null;
  if (opts.marks) {
    const cfs = ws.getRange().conditionalFormats;
    cfs.load('items/type,items/customOrNullObject/rule/formula');
    const notes = opts.caps.notes ? ws.notes : opts.caps.comments ? ws.comments : null;
    notes?.load('items/content');
    const threads = opts.caps.notes && opts.caps.comments ? ws.comments : null;
    threads?.load('items/content');
    marks = { cfs, notes, threads };
  }
  await ctx.sync();
  return {
    ws,
    name: ws.name,
    used: used.isNullObject ? null : { row: used.rowIndex + 1, col: used.columnIndex + 1, rows: used.rowCount, cols: used.columnCount },
    sheetNames: sheets.items.map((s) => s.name),
    date1904: day0.value === 0,
    mergesReadable: opts.caps.merges,
    protection: { protected: protection.protected, options: protection.options },
    structureProtected: structure.protected,
    marks,
  };
}

/** A change Excel refused, said in Chinese for the user; nothing was changed. */
export class SheetRefusedError extends Error {}

/** The add-in's own marks on an opened sheet, found but not yet removed. */
export interface FoundMarks {
  /** Own conditional formats and notes found. */
  count: number;
  /** Queues their removal (no sync): done in the same batch as the new marks. */
  queueRemoval(): void;
  /** After the next sync: the cells holding the user's own notes or comments (never written over, no note added). */
  userNoteCells(): Set<string>;
}

/**
 * Finds the add-in's own marks (tagged conditional formats, notes that start with the add-in's
 * prefix) and loads where the user's own notes sit. Removes nothing: the removal is queued with the
 * new marks (applyPlan / clearAll), so a refused write leaves the old marks as they were.
 */
export function findMarks(o: OpenedSheet): FoundMarks {
  if (!o.marks) throw new Error('sheet opened without marks');
  const own: { delete(): void }[] = [];
  for (const cf of o.marks.cfs.items) {
    const custom = cf.customOrNullObject;
    if (cf.type === 'Custom' && !custom.isNullObject && isOwnMarkFormula(custom.rule.formula)) own.push(cf);
  }
  const userLocations: Excel.Range[] = [];
  // a comment of the add-in's own (written where notes were missing, then opened where they are)
  // goes like its notes; a user's comment keeps its cell free of a note, as a user's note does
  const items: (Excel.Note | Excel.Comment)[] = [...(o.marks.notes?.items ?? []), ...(o.marks.threads?.items ?? [])];
  for (const n of items) {
    if (isOwnNote(typeof n.content === 'string' ? n.content : null)) own.push(n);
    else {
      const loc = n.getLocation();
      loc.load('address');
      userLocations.push(loc);
    }
  }
  return {
    count: own.length,
    queueRemoval: () => own.forEach((x) => x.delete()),
    userNoteCells: () => new Set(userLocations.map((l) => { const r = parseAddress(l.address); return cellAddress(r.r1, r.c1); })),
  };
}

/**
 * Runs `queue` (which queues the changes of one sheet and returns the syncs it issued) with the
 * sheet's protection lifted first and set again with the same options at the end (also after a
 * failure). A sheet protected with a password cannot be lifted by the add-in: the first sync then
 * fails before anything else of it ran, and the user is told what to do.
 */
async function withProtectionLifted(ctx: Excel.RequestContext, o: OpenedSheet, queue: () => Promise<number>): Promise<number> {
  if (!o.protection.protected) return queue();
  o.ws.protection.unprotect();
  let written = false;
  try {
    const syncs = await queue();
    written = true;
    o.ws.protection.protect(o.protection.options);
    await ctx.sync();
    return syncs + 1;
  } catch (e) {
    if (!written) {
      // was the protection lifted at all? (a password refuses it, and the batch stops there)
      const p = o.ws.protection;
      p.load('protected');
      await ctx.sync().catch(() => undefined);
      let stillProtected = true;
      try {
        stillProtected = p.protected;
      } catch {
        /* unknown: assume it was refused */
      }
      if (stillProtected) {
        throw new SheetRefusedError(`工作表“${o.name}”设有密码保护，加载项无法解除，未做任何更改。请在“审阅”›“撤销工作表保护”中输入密码，完成后可再设保护。`);
      }
      o.ws.protection.protect(o.protection.options);
      await ctx.sync().catch(() => undefined);
    }
    throw e;
  }
}

function toCell(v: unknown, type: string): CellValue {
  if (type === 'Error') return { error: String(v) };
  if (type === 'Empty' || v === '' || v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

/** Excel refused a batch after the first of a write: the sheet holds part of it. */
export class PartialWriteError extends Error {
  constructor(
    readonly batchesWritten: number,
    readonly cause: unknown,
  ) {
    super(
      `写入只完成了一部分（前${batchesWritten}批已写入，之后 Excel 拒绝：${(cause as { message?: string })?.message ?? String(cause)}）。` +
        '工作表中的标注和结果可能不完整，请再点一次同一按钮重新写入',
    );
    this.name = 'PartialWriteError';
  }
}

/**
 * Reads the used area as a SheetGrid, in row chunks whose answer stays under `maxBytes` (the
 * chunk size is re-estimated from what the previous chunk measured). Always syncs at least once,
 * so operations queued before (the clearing) are carried by the first read. A later chunk that
 * Excel still refuses as too large (its rows longer than the ones measured) is asked again in
 * halves; the first is sized for heavy text (FIRST_CHUNK_CELL_BYTES).
 */
export async function readGrid(
  ctx: Excel.RequestContext,
  o: OpenedSheet,
  opts: { maxBytes?: number; maxRows?: number; onProgress?: (done: number) => void } = {},
): Promise<SheetGrid> {
  const maxBytes = opts.maxBytes ?? MAX_REQUEST_BYTES;
  const u = o.used;
  if (!u) {
    await ctx.sync();
    return { name: o.name, rows: [], firstRow: 1, firstCol: 1 };
  }
  const total = Math.min(u.rows, opts.maxRows ?? u.rows);
  const rows: CellValue[][] = [];
  const merges: MergedRange[] = [];
  let cellBytes = FIRST_CHUNK_CELL_BYTES;
  for (let done = 0; done < total; ) {
    let n = Math.max(1, Math.min(total - done, Math.floor(maxBytes / (cellBytes * u.cols))));
    let range = o.ws.getRangeByIndexes(u.row - 1 + done, u.col - 1, n, u.cols);
    range.load('values,valueTypes');
    // The first chunk's sync also carries the sheet's merged areas (one request for the used area).
    const whole = done === 0 && o.mergesReadable ? queueMergedAreas(o.ws, u, total, total) : null;
    try {
      await ctx.sync();
    } catch (e) {
      if (whole && !isPayloadLimit(e)) {
        // Excel answers at most 512 merged areas per request: ask again in windows of rows.
        range.load('values,valueTypes');
        whole.splice(0, whole.length, ...queueMergedAreas(o.ws, u, total, MERGE_WINDOW_ROWS));
        await ctx.sync();
      } else {
        if (done === 0 || !isPayloadLimit(e)) throw e;
        // rows heavier than the ones measured: the same rows in halves until the answer fits
        for (;;) {
          if (n === 1) throw e;
          n = Math.ceil(n / 2);
          range = o.ws.getRangeByIndexes(u.row - 1 + done, u.col - 1, n, u.cols);
          range.load('values,valueTypes');
          try {
            await ctx.sync();
            break;
          } catch (again) {
            if (!isPayloadLimit(again)) throw again;
          }
        }
      }
    }
    if (whole) merges.push(...joinWindows(whole));
    const values = range.values;
    const types = range.valueTypes as string[][];
    for (let r = 0; r < values.length; r++) rows.push(values[r].map((v, c) => toCell(v, types[r][c])));
    const measured = (jsonBytes(values) + jsonBytes(types)) / (n * u.cols);
    cellBytes = Math.max(16, measured * 1.5);
    done += n;
    opts.onProgress?.(done / total);
  }
  const grid: SheetGrid = { name: o.name, rows, firstRow: u.row, firstCol: u.col };
  if (merges.length > 0) grid.merges = merges;
  return grid;
}

/** Rows per merged-areas request when the used area holds more than Excel's 512 per answer. */
export const MERGE_WINDOW_ROWS = 100;

/**
 * Queues the merged-areas requests of the first `rows` rows of the used area in windows of
 * `window` rows, each window overlapping the next by one row, so a merge that crosses a boundary
 * shows in both. No sync.
 */
function queueMergedAreas(ws: Excel.Worksheet, u: UsedArea, rows: number, window: number): Excel.RangeAreas[] {
  const out: Excel.RangeAreas[] = [];
  for (let r = 0; r < rows; r += window) {
    const areas = ws.getRangeByIndexes(u.row - 1 + r, u.col - 1, Math.min(window + 1, rows - r), u.cols).getMergedAreasOrNullObject();
    areas.load('address');
    out.push(areas);
  }
  return out;
}

/** `Sheet1!A2:A4, 'a, b'!C1:D1` → ranges (the sheet part is dropped). */
export function parseAreas(address: string): MergedRange[] {
  const out: MergedRange[] = [];
  for (const m of address.matchAll(/!(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)(?=\s*,|\s*$)/g)) {
    const r = parseRangeRef(m[1]);
    if (r) out.push(r);
  }
  return out;
}

/**
 * The merged ranges of all windows. Whether Excel answers a merge that sticks out of a window whole
 * or cut to it is not documented; both work: windows overlap by one row, so the pieces of one
 * merge share a row and are joined, while two merges never share a cell. Single cells (a piece cut
 * to the overlap row) are not merges.
 */
export function joinWindows(windows: readonly { isNullObject: boolean; address: string }[]): MergedRange[] {
  const pieces: MergedRange[] = [];
  for (const w of windows) if (!w.isNullObject) pieces.push(...parseAreas(w.address));
  pieces.sort((a, b) => a.left - b.left || a.right - b.right || a.top - b.top);
  const out: MergedRange[] = [];
  for (const m of pieces) {
    const last = out[out.length - 1];
    if (last && last.left === m.left && last.right === m.right && m.top <= last.bottom) last.bottom = Math.max(last.bottom, m.bottom);
    else out.push({ ...m });
  }
  return out.filter((m) => m.bottom > m.top || m.right > m.left).sort((a, b) => a.top - b.top || a.left - b.left);
}

export interface WritePlan {
  marks: MarkPlan | null;
  /** Blocks on the opened (data) sheet. */
  results: ValueBlock[];
  issueSheet: IssueSheetPlan | null;
}

interface Op {
  bytes: number;
  run(): void;
}

function blockOp(ws: () => Excel.Worksheet, b: ValueBlock): Op {
  return {
    bytes: blockBytes(b) + 64,
    run() {
      const r = ws().getRangeByIndexes(b.row - 1, b.col - 1, b.rows, b.cols);
      if (b.numberFormat) r.numberFormat = b.numberFormat;
      if (b.values) r.values = b.values;
      if (b.formulas) r.formulas = b.formulas;
    },
  };
}

/**
 * Applies a write plan: operations are queued in order and a sync is issued whenever the next
 * operation would take the pending request over `maxBytes`, and once at the end.
 * Returns the number of syncs issued.
 */
export async function applyPlan(
  ctx: Excel.RequestContext,
  o: OpenedSheet,
  plan: WritePlan,
  caps: Caps,
  opts: { maxBytes?: number; onProgress?: (done: number) => void; clear?: FoundMarks } = {},
): Promise<number> {
  const maxBytes = opts.maxBytes ?? MAX_REQUEST_BYTES;
  if (plan.issueSheet && o.structureProtected && !o.sheetNames.includes(plan.issueSheet.name)) {
    throw new SheetRefusedError(`工作簿结构受保护，无法新建“${plan.issueSheet.name}”工作表，未做任何更改。请在“审阅”›“保护工作簿”中取消保护后再试。`);
  }
  const ops: Op[] = [];
  // the old marks go in the same batch as the new ones
  if (opts.clear) {
    const clear = opts.clear;
    ops.push({ bytes: 32 * clear.count + 16, run: () => clear.queueRemoval() });
  }
  for (const fill of plan.marks?.fills ?? []) {
    for (const addresses of fill.addresses) {
      ops.push({
        bytes: addresses.length + MARK_FORMULA.length + 128,
        run() {
          const cf = o.ws.getRanges(addresses).conditionalFormats.add('Custom');
          cf.custom.rule.formula = MARK_FORMULA;
          cf.custom.format.fill.color = fill.color;
        },
      });
    }
  }
  if (caps.notes || caps.comments) {
    for (const note of plan.marks?.notes ?? []) {
      ops.push({
        bytes: jsonBytes(note.text) + note.address.length + 64,
        run() {
          if (caps.notes) o.ws.notes.add(note.address, note.text);
          else o.ws.comments.add(`${quoteSheet(o.name)}!${note.address}`, note.text); // comments want the sheet name
        },
      });
    }
  }
  for (const b of plan.results) ops.push(blockOp(() => o.ws, b));
  if (plan.results.length > 0) {
    const h = plan.results[0];
    ops.push({
      bytes: 128,
      run() {
        const header = o.ws.getRangeByIndexes(h.row - 1, h.col - 1, 1, h.cols);
        header.format.font.bold = true;
        header.format.columnWidth = 90;
      },
    });
  }
  const is = plan.issueSheet;
  if (is) {
    let iws: Excel.Worksheet | undefined;
    const sheet = () => iws!;
    ops.push({
      bytes: 128,
      run() {
        if (o.sheetNames.includes(is.name)) {
          iws = ctx.workbook.worksheets.getItem(is.name);
          iws.getRange().clear();
        } else {
          iws = ctx.workbook.worksheets.add(is.name);
        }
      },
    });
    for (const b of is.blocks) ops.push(blockOp(sheet, b));
    ops.push({
      bytes: 256 + is.widths.length * 32 + is.wrap.length * 64,
      run() {
        const ws = sheet();
        const header = ws.getRangeByIndexes(0, 0, 1, is.widths.length);
        header.format.font.bold = true;
        header.format.fill.color = '#D9E1F2';
        is.widths.forEach((w, i) => {
          ws.getRangeByIndexes(0, i, 1, 1).format.columnWidth = w * 7;
        });
        // the long texts wrap in their (narrow) columns, one range per column; the rows grow to fit
        if (is.rows > 1) {
          for (const c of is.wrap) ws.getRangeByIndexes(1, c - 1, is.rows - 1, 1).format.wrapText = true;
          ws.getRangeByIndexes(1, 0, is.rows - 1, is.widths.length).format.autofitRows();
        }
        ws.freezePanes.freezeRows(1);
      },
    });
  }
  return withProtectionLifted(ctx, o, async () => {
    let pending = 0;
    let syncs = 0;
    // A plan over one request goes in several batches: when Excel refuses a later one, the earlier
    // ones (the old marks cleared, some new ones) are already in the sheet; the user is told so.
    const batch = async () => {
      try {
        await ctx.sync();
      } catch (e) {
        if (syncs === 0) throw e;
        throw new PartialWriteError(syncs, e);
      }
      syncs++;
    };
    for (let i = 0; i < ops.length; i++) {
      if (pending > 0 && pending + ops[i].bytes > maxBytes) {
        await batch();
        pending = 0;
        opts.onProgress?.(i / ops.length);
      }
      ops[i].run();
      pending += ops[i].bytes;
    }
    await batch();
    opts.onProgress?.(1);
    return syncs;
  });
}

/** Removes the add-in's marks from a sheet and its 问题清单 sheet. Two syncs. */
export async function clearAll(ctx: Excel.RequestContext, caps: Caps, sheetName?: string): Promise<number> {
  const o = await openSheet(ctx, { caps, marks: true, name: sheetName });
  const found = findMarks(o);
  const hadList = o.sheetNames.includes(ISSUE_SHEET_NAME) && o.name !== ISSUE_SHEET_NAME;
  await withProtectionLifted(ctx, o, async () => {
    found.queueRemoval();
    if (hadList) ctx.workbook.worksheets.getItem(ISSUE_SHEET_NAME).delete();
    await ctx.sync();
    return 1;
  });
  return found.count + (hadList ? 1 : 0);
}

/** Activates a sheet and selects a cell (click on an issue). One sync. */
export async function selectCell(ctx: Excel.RequestContext, sheet: string, address: string): Promise<void> {
  const ws = ctx.workbook.worksheets.getItem(sheet);
  ws.activate();
  ws.getRange(address).select();
  await ctx.sync();
}
