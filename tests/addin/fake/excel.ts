/**
 * A typed, strict fake of the few Excel (Office.js) objects the add-in uses, over an in-memory
 * workbook model. It behaves like Office.js where the add-in relies on it:
 * - operations are queued and run in order at `context.sync()`;
 * - a property can be read only after it was loaded AND a sync ran (else it throws);
 * - adding a note where a note is, or a sheet whose name exists, fails the sync;
 * - text written through `values` into a cell not formatted as text (`@`) that starts with `=`
 *   becomes a formula, as in Excel.
 * It records every sync with the byte size of what went to Excel (request) and back (response),
 * measured as the JSON of the values / addresses / formats / texts carried.
 * Used by the jest tests and, bundled, as the in-page Excel of the browser test.
 */

export type ValueType = 'String' | 'Double' | 'Boolean' | 'Error' | 'Empty';

export interface CellModel {
  value: string | number | boolean;
  type: Exclude<ValueType, 'Empty'>;
  formula?: string;
}

export interface CfModel {
  id: number;
  type: 'Custom' | 'ColorScale' | 'CellValue';
  formula: string | null;
  fill: string | null;
  address: string;
  ownerAddedBy: 'user' | 'addin';
}

export class SheetModel {
  cells = new Map<string, CellModel>();
  numberFormats = new Map<string, string>();
  /** The user's own (direct) fill. */
  fills = new Map<string, string>();
  bold = new Set<string>();
  cfs: CfModel[] = [];
  notes = new Map<string, string>();
  comments = new Map<string, string>();
  columnWidths = new Map<number, number>();
  /** Ranges set to wrap their text, and the ranges whose rows were fitted to their contents (A1 addresses). */
  wrapped: string[] = [];
  autofitted: string[] = [];
  frozenRows = 0;
  /** Sheet protection as the user set it (审阅 › 保护工作表); a password when one was given. */
  protection: { protected: boolean; options: Record<string, boolean>; password?: string } = { protected: false, options: {} };
  /** Merged ranges (rows/cols 1-based, inclusive). */
  merges: { r1: number; c1: number; r2: number; c2: number }[] = [];
  constructor(public name: string) {}

  /** Merges a range as a user would (`A5:A7`); the value stays in its top-left cell. */
  merge(address: string): void {
    const r = parseRect(address);
    for (let i = r.r1; i <= r.r2; i++) for (let j = r.c1; j <= r.c2; j++) if (i !== r.r1 || j !== r.c1) this.cells.delete(SheetModel.key(i, j));
    this.merges.push(r);
  }

  static key(row: number, col: number): string {
    return `${row},${col}`;
  }

  get(row: number, col: number): CellModel | undefined {
    return this.cells.get(SheetModel.key(row, col));
  }

  /** Sets a cell as a user would type it (numbers, text, booleans, `{error}`). */
  put(row: number, col: number, v: string | number | boolean | null | { error: string }): void {
    const k = SheetModel.key(row, col);
    if (v === null || v === '') this.cells.delete(k);
    else if (typeof v === 'object') this.cells.set(k, { value: v.error, type: 'Error' });
    else if (typeof v === 'number') this.cells.set(k, { value: v, type: 'Double' });
    else if (typeof v === 'boolean') this.cells.set(k, { value: v, type: 'Boolean' });
    else this.cells.set(k, { value: v, type: 'String' });
  }

  /** Fills rows from a 2D array starting at (row, col). */
  putRows(row: number, col: number, rows: (string | number | boolean | null | { error: string })[][]): void {
    rows.forEach((r, i) => r.forEach((v, j) => this.put(row + i, col + j, v)));
  }

  usedArea(): { row: number; col: number; rows: number; cols: number } | null {
    let r1 = Infinity, c1 = Infinity, r2 = 0, c2 = 0;
    for (const k of this.cells.keys()) {
      const [r, c] = k.split(',').map(Number);
      if (r < r1) r1 = r;
      if (c < c1) c1 = c;
      if (r > r2) r2 = r;
      if (c > c2) c2 = c;
    }
    return r2 === 0 ? null : { row: r1, col: c1, rows: r2 - r1 + 1, cols: c2 - c1 + 1 };
  }

  /** The fill a user sees: the first conditional format covering the cell, else the direct fill. */
  shownFill(address: string): string | null {
    const { row, col } = parseCell(address);
    for (const cf of this.cfs) {
      if (cf.fill && cf.address.split(',').some((a) => inRect(row, col, parseRect(a)))) return cf.fill;
    }
    return this.fills.get(SheetModel.key(row, col)) ?? null;
  }
}

export class WorkbookModel {
  sheets: SheetModel[] = [];
  active = '';
  selection: { sheet: string; address: string } | null = null;
  created: string[] = [];
  /** The workbook's date system (Excel: File › Options › Advanced › Use 1904 date system). */
  date1904 = false;
  /**
   * How a range's merged areas are answered when a merge sticks out of the range: whole (as the
   * merge is) or cut to the range. Office.js does not document it; the add-in must cope with both.
   */
  mergeAnswer: 'whole' | 'cut' = 'whole';
  /** Excel on the web: 5 MB per request and per response. */
  requestLimit = 5 * 1024 * 1024;
  responseLimit = 5 * 1024 * 1024;
  /** A test's stand-in for Excel refusing a request for its own reasons (before running any of it). */
  refuse: ((sync: { requestBytes: number; ops: number }) => boolean) | null = null;
  /** The workbook's structure is protected (审阅 › 保护工作簿): no sheet can be added. */
  structureProtected = false;
  private nextCf = 1;
  constructor(names: string[] = ['Sheet1']) {
    for (const n of names) this.sheets.push(new SheetModel(n));
    this.active = names[0];
  }
  sheet(name: string): SheetModel {
    const s = this.sheets.find((x) => x.name === name);
    if (!s) throw officeError('ItemNotFound', `找不到工作表 ${name}`);
    return s;
  }
  cfId(): number {
    return this.nextCf++;
  }
}

export interface SyncRecord {
  requestBytes: number;
  responseBytes: number;
  ops: number;
}

// ---------- address helpers ----------
function colNum(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}
function colLetters(n: number): string {
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
export function parseCell(a: string): { row: number; col: number } {
  const m = /^\$?([A-Z]+)\$?(\d+)$/i.exec(a.includes('!') ? a.slice(a.lastIndexOf('!') + 1) : a);
  if (!m) throw officeError('InvalidArgument', `bad address ${a}`);
  return { row: Number(m[2]), col: colNum(m[1]) };
}
interface R {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}
export function parseRect(a: string): R {
  const local = a.includes('!') ? a.slice(a.lastIndexOf('!') + 1) : a;
  if (/^[A-Z]+:[A-Z]+$/i.test(local)) {
    const [x, y] = local.split(':');
    return { r1: 1, c1: colNum(x), r2: 1048576, c2: colNum(y) };
  }
  const [x, y = x] = local.split(':');
  const p = parseCell(x), q = parseCell(y);
  return { r1: p.row, c1: p.col, r2: q.row, c2: q.col };
}
function inRect(row: number, col: number, r: R): boolean {
  return row >= r.r1 && row <= r.r2 && col >= r.c1 && col <= r.c2;
}
function rectAddr(r: R): string {
  const a = `${colLetters(r.c1)}${r.r1}`;
  return r.r1 === r.r2 && r.c1 === r.c2 ? a : `${a}:${colLetters(r.c2)}${r.r2}`;
}

export function officeError(code: string, message: string): Error {
  const e = new Error(message) as Error & { code: string };
  e.code = code;
  return e;
}

const enc = new TextEncoder();
const bytes = (x: unknown) => enc.encode(JSON.stringify(x ?? null)).length;

// ---------- context & proxies ----------
export class FakeContext {
  readonly workbook: FakeWorkbook;
  readonly syncs: SyncRecord[] = [];
  private queue: { run: () => unknown; request: number; load: boolean }[] = [];
  constructor(readonly model: WorkbookModel) {
    this.workbook = new FakeWorkbook(this);
  }
  enqueue(run: () => unknown, request: number, load = false): void {
    this.queue.push({ run, request, load });
  }
  async sync(): Promise<void> {
    const q = this.queue;
    this.queue = [];
    let requestBytes = 0;
    let responseBytes = 0;
    for (const op of q) requestBytes += op.request;
    this.syncs.push({ requestBytes, responseBytes, ops: q.length });
    // Excel on the web refuses a request over its payload limit before running any of it
    if (requestBytes > this.model.requestLimit) throw officeError('RequestPayloadSizeLimitExceeded', `请求${requestBytes}字节，超过${this.model.requestLimit}字节的上限`);
    if (this.model.refuse?.({ requestBytes, ops: q.length })) throw officeError('GeneralException', '服务器繁忙，请求被拒绝');
    for (const op of q) {
      const r = op.run();
      if (op.load) responseBytes += bytes(r);
    }
    this.syncs[this.syncs.length - 1].responseBytes = responseBytes;
    if (responseBytes > this.model.responseLimit) throw officeError('RequestPayloadSizeLimitExceeded', `响应${responseBytes}字节，超过${this.model.responseLimit}字节的上限`);
  }
}

abstract class Proxy {
  protected loaded: Record<string, unknown> | null = null;
  protected readonly wanted = new Set<string>();
  constructor(protected readonly ctx: FakeContext) {}
  protected abstract snapshot(props: string[]): Record<string, unknown>;
  load(props?: string | string[]): this {
    const list = (Array.isArray(props) ? props : (props ?? '').split(',')).map((p) => p.trim()).filter(Boolean);
    this.ctx.enqueue(() => {
      const snap = this.snapshot(list);
      this.loaded = { ...(this.loaded ?? {}), ...snap };
      return snap;
    }, bytes(list), true);
    return this;
  }
  protected read<T>(prop: string): T {
    if (!this.loaded || !(prop in this.loaded)) throw officeError('PropertyNotLoaded', `属性 ${prop} 未加载（需 load + sync）`);
    return this.loaded[prop] as T;
  }
}

export class FakeWorkbook {
  readonly worksheets: FakeWorksheetCollection;
  readonly functions: { date(year: number, month: number, day: number): FakeFunctionResult };
  readonly protection: FakeWorkbookProtection;
  constructor(ctx: FakeContext) {
    this.worksheets = new FakeWorksheetCollection(ctx);
    this.protection = new FakeWorkbookProtection(ctx);
    this.functions = { date: (y, m, d) => new FakeFunctionResult(ctx, () => excelDate(ctx.model.date1904, y, m, d)) };
  }
}

export class FakeWorkbookProtection extends Proxy {
  protected snapshot(props: string[]) {
    if (props.join() !== 'protected') throw officeError('InvalidArgument', `unsupported load ${props.join(',')}`);
    return { protected: this.ctx.model.structureProtected };
  }
  get protected(): boolean {
    return this.read('protected');
  }
}

/** Excel's DATE(): the serial of a day in the workbook's date system. */
function excelDate(date1904: boolean, y: number, m: number, d: number): number {
  const day = Date.UTC(y, m - 1, d) / 86_400_000;
  return date1904 ? day - Date.UTC(1904, 0, 1) / 86_400_000 : day - Date.UTC(1899, 11, 30) / 86_400_000;
}

export class FakeFunctionResult extends Proxy {
  constructor(
    ctx: FakeContext,
    private readonly compute: () => number,
  ) {
    super(ctx);
  }
  protected snapshot(props: string[]) {
    if (props.join() !== 'value') throw officeError('InvalidArgument', `unsupported load ${props.join(',')}`);
    return { value: this.compute() };
  }
  get value(): number {
    return this.read('value');
  }
}

/** Excel refuses to answer more merged areas than this in one request. */
export const MAX_MERGED_AREAS = 512;

/** The merged areas of a range (`getMergedAreasOrNullObject`): only `address` and `isNullObject`. */
export class FakeMergedAreas extends Proxy {
  constructor(
    ctx: FakeContext,
    private readonly ws: FakeWorksheet,
    private readonly rect: () => R | null,
  ) {
    super(ctx);
  }
  protected snapshot(props: string[]) {
    if (props.join() !== 'address') throw officeError('InvalidArgument', `unsupported load ${props.join(',')}`);
    const t = this.rect();
    const s = this.ws.sheet();
    const hits = t ? s.merges.filter((m) => m.r1 <= t.r2 && t.r1 <= m.r2 && m.c1 <= t.c2 && t.c1 <= m.c2) : [];
    if (hits.length > MAX_MERGED_AREAS) throw officeError('GeneralException', `合并区域超过${MAX_MERGED_AREAS}个`);
    if (hits.length === 0) return { isNullObject: true };
    const shown = this.ctx.model.mergeAnswer === 'whole' ? hits : hits.map((m) => ({ r1: Math.max(m.r1, t!.r1), c1: Math.max(m.c1, t!.c1), r2: Math.min(m.r2, t!.r2), c2: Math.min(m.c2, t!.c2) }));
    const q = /^[A-Za-z0-9_]+$/.test(s.name) ? s.name : `'${s.name.replace(/'/g, "''")}'`;
    return { isNullObject: false, address: shown.map((m) => `${q}!${rectAddr(m)}`).join(', ') };
  }
  get isNullObject(): boolean {
    return this.read('isNullObject');
  }
  get address(): string {
    return this.read('address');
  }
}

export class FakeWorksheetCollection extends Proxy {
  protected snapshot(props: string[]) {
    if (!props.includes('items/name')) throw officeError('InvalidArgument', 'only items/name is supported');
    return { items: this.ctx.model.sheets.map((s) => s.name) };
  }
  get items(): { name: string }[] {
    return this.read<string[]>('items').map((name) => ({ name }));
  }
  getActiveWorksheet(): FakeWorksheet {
    return new FakeWorksheet(this.ctx, () => this.ctx.model.active);
  }
  getItem(name: string): FakeWorksheet {
    return new FakeWorksheet(this.ctx, () => this.ctx.model.sheet(name).name);
  }
  add(name: string): FakeWorksheet {
    this.ctx.enqueue(() => {
      if (this.ctx.model.structureProtected) throw officeError('AccessDenied', '工作簿结构受保护，无法添加工作表');
      if (this.ctx.model.sheets.some((s) => s.name === name)) throw officeError('ItemAlreadyExists', `工作表 ${name} 已存在`);
      this.ctx.model.sheets.push(new SheetModel(name));
    }, bytes(name));
    return new FakeWorksheet(this.ctx, () => name);
  }
}

export class FakeWorksheet extends Proxy {
  constructor(ctx: FakeContext, readonly resolve: () => string) {
    super(ctx);
  }
  sheet(): SheetModel {
    return this.ctx.model.sheet(this.resolve());
  }
  /** The sheet, for a change: like Excel, a protected sheet refuses every change. */
  writable(): SheetModel {
    const s = this.sheet();
    if (s.protection.protected) throw officeError('AccessDenied', `工作表“${s.name}”受保护，无法更改`);
    return s;
  }
  get protection(): FakeProtection {
    return new FakeProtection(this.ctx, this);
  }
  protected snapshot(props: string[]) {
    const s = this.sheet();
    const out: Record<string, unknown> = {};
    for (const p of props) {
      if (p !== 'name') throw officeError('InvalidArgument', `unsupported ${p}`);
      out.name = s.name;
    }
    return out;
  }
  get name(): string {
    return this.read('name');
  }
  getUsedRangeOrNullObject(_valuesOnly?: boolean): FakeRange {
    return new FakeRange(this.ctx, this, () => {
      const u = this.sheet().usedArea();
      return u ? { r1: u.row, c1: u.col, r2: u.row + u.rows - 1, c2: u.col + u.cols - 1 } : null;
    });
  }
  getRange(address?: string): FakeRange {
    return new FakeRange(this.ctx, this, () => (address ? parseRect(address) : { r1: 1, c1: 1, r2: 1048576, c2: 16384 }));
  }
  getRangeByIndexes(row: number, col: number, rows: number, cols: number): FakeRange {
    return new FakeRange(this.ctx, this, () => ({ r1: row + 1, c1: col + 1, r2: row + rows, c2: col + cols }));
  }
  getRanges(address: string): FakeRangeAreas {
    if (address.length > 8192) throw officeError('InvalidArgument', 'address longer than 8192 characters');
    return new FakeRangeAreas(this.ctx, this, address);
  }
  get notes(): FakeNoteCollection {
    return new FakeNoteCollection(this.ctx, this, 'notes');
  }
  get comments(): FakeNoteCollection {
    return new FakeNoteCollection(this.ctx, this, 'comments');
  }
  get freezePanes() {
    return {
      freezeRows: (n: number) => this.ctx.enqueue(() => void (this.writable().frozenRows = n), 8),
    };
  }
  activate(): void {
    this.ctx.enqueue(() => void (this.ctx.model.active = this.sheet().name), 8);
  }
  delete(): void {
    this.ctx.enqueue(() => {
      const s = this.sheet();
      this.ctx.model.sheets = this.ctx.model.sheets.filter((x) => x !== s);
    }, 8);
  }
}

export class FakeProtection extends Proxy {
  constructor(
    ctx: FakeContext,
    private readonly ws: FakeWorksheet,
  ) {
    super(ctx);
  }
  protected snapshot(props: string[]) {
    const p = this.ws.sheet().protection;
    const out: Record<string, unknown> = {};
    for (const k of props) {
      if (k === 'protected') out.protected = p.protected;
      else if (k === 'options') out.options = { ...p.options };
      else throw officeError('InvalidArgument', `unsupported ${k}`);
    }
    return out;
  }
  get protected(): boolean {
    return this.read('protected');
  }
  get options(): Record<string, boolean> {
    return this.read('options');
  }
  unprotect(password?: string): void {
    this.ctx.enqueue(() => {
      const p = this.ws.sheet().protection;
      if (p.protected && p.password !== undefined && p.password !== password) throw officeError('InvalidArgument', '密码不正确');
      p.protected = false;
      p.password = undefined;
    }, 16);
  }
  protect(options?: Record<string, boolean>, password?: string): void {
    this.ctx.enqueue(() => {
      const p = this.ws.sheet().protection;
      if (p.protected) throw officeError('InvalidOperation', '工作表已受保护');
      p.protected = true;
      p.options = { ...(options ?? {}) };
      if (password) p.password = password;
    }, bytes(options ?? {}) + 16);
  }
}

type Scalar = string | number | boolean | null;

export class FakeRange extends Proxy {
  constructor(
    ctx: FakeContext,
    private readonly ws: FakeWorksheet,
    private readonly rect: () => R | null,
  ) {
    super(ctx);
  }
  private must(): R {
    const r = this.rect();
    if (!r) throw officeError('InvalidReference', 'null object');
    return r;
  }
  protected snapshot(props: string[]) {
    const r = this.rect();
    const out: Record<string, unknown> = { isNullObject: r === null };
    if (!r) return out;
    const s = this.ws.sheet();
    for (const p of props) {
      if (p === 'values' || p === 'valueTypes') {
        const rows: unknown[][] = [];
        for (let i = r.r1; i <= r.r2; i++) {
          const row: unknown[] = [];
          for (let j = r.c1; j <= r.c2; j++) {
            const c = s.get(i, j);
            row.push(p === 'values' ? (c ? c.value : '') : c ? c.type : 'Empty');
          }
          rows.push(row);
        }
        out[p] = rows;
      } else if (p === 'rowIndex') out[p] = r.r1 - 1;
      else if (p === 'columnIndex') out[p] = r.c1 - 1;
      else if (p === 'rowCount') out[p] = r.r2 - r.r1 + 1;
      else if (p === 'columnCount') out[p] = r.c2 - r.c1 + 1;
      else if (p === 'address') out[p] = `${s.name}!${rectAddr(r)}`;
      else throw officeError('InvalidArgument', `unsupported ${p}`);
    }
    return out;
  }
  get isNullObject(): boolean {
    return this.read('isNullObject');
  }
  getMergedAreasOrNullObject(): FakeMergedAreas {
    return new FakeMergedAreas(this.ctx, this.ws, this.rect);
  }
  get values(): Scalar[][] {
    return this.read('values');
  }
  set values(v: Scalar[][]) {
    this.write(v, 'values');
  }
  get valueTypes(): string[][] {
    return this.read('valueTypes');
  }
  get formulas(): Scalar[][] {
    return this.read('formulas');
  }
  set formulas(v: Scalar[][]) {
    this.write(v, 'formulas');
  }
  set numberFormat(v: string[][]) {
    this.ctx.enqueue(() => {
      const r = this.must();
      this.dims(r, v);
      const s = this.ws.writable();
      v.forEach((row, i) => row.forEach((f, j) => s.numberFormats.set(SheetModel.key(r.r1 + i, r.c1 + j), f)));
    }, bytes(v));
  }
  get rowIndex(): number {
    return this.read('rowIndex');
  }
  get columnIndex(): number {
    return this.read('columnIndex');
  }
  get rowCount(): number {
    return this.read('rowCount');
  }
  get columnCount(): number {
    return this.read('columnCount');
  }
  get address(): string {
    return this.read('address');
  }
  private dims(r: R, v: unknown[][]): void {
    if (v.length !== r.r2 - r.r1 + 1 || v.some((row) => row.length !== r.c2 - r.c1 + 1)) {
      throw officeError('InvalidArgument', `数组大小与区域 ${rectAddr(r)} 不符`);
    }
  }
  private write(v: Scalar[][], how: 'values' | 'formulas'): void {
    this.ctx.enqueue(() => {
      const r = this.must();
      this.dims(r, v);
      const s = this.ws.writable();
      v.forEach((row, i) =>
        row.forEach((x, j) => {
          if (x === null) return; // Office.js: null leaves the cell as it is
          const k = SheetModel.key(r.r1 + i, r.c1 + j);
          const isText = s.numberFormats.get(k) === '@';
          if (typeof x === 'string' && x.startsWith('=') && !isText) {
            const label = /,"([^"]*)"\)$/.exec(x)?.[1] ?? x;
            s.cells.set(k, { value: label, type: 'String', formula: x });
          } else if (x === '') s.cells.delete(k);
          else s.put(r.r1 + i, r.c1 + j, x);
          void how;
        }),
      );
    }, bytes(v));
  }
  get format() {
    const self = this;
    return {
      font: {
        set bold(b: boolean) {
          self.ctx.enqueue(() => {
            const r = self.must();
            const s = self.ws.writable();
            for (let i = r.r1; i <= r.r2; i++) for (let j = r.c1; j <= r.c2; j++) (b ? s.bold.add(SheetModel.key(i, j)) : s.bold.delete(SheetModel.key(i, j)));
          }, 16);
        },
      },
      fill: {
        set color(c: string) {
          self.ctx.enqueue(() => {
            const r = self.must();
            const s = self.ws.writable();
            for (let i = r.r1; i <= r.r2; i++) for (let j = r.c1; j <= r.c2; j++) s.fills.set(SheetModel.key(i, j), c);
          }, bytes(c));
        },
      },
      set columnWidth(w: number) {
        self.ctx.enqueue(() => {
          const r = self.must();
          for (let j = r.c1; j <= r.c2; j++) self.ws.writable().columnWidths.set(j, w);
        }, 16);
      },
      set wrapText(b: boolean) {
        self.ctx.enqueue(() => {
          const s = self.ws.writable();
          const a = rectAddr(self.must());
          s.wrapped = b ? [...s.wrapped, a] : s.wrapped.filter((x) => x !== a);
        }, 16);
      },
      autofitRows(): void {
        self.ctx.enqueue(() => void self.ws.writable().autofitted.push(rectAddr(self.must())), 16);
      },
    };
  }
  get conditionalFormats(): FakeCfCollection {
    return new FakeCfCollection(this.ctx, this.ws, () => rectAddr(this.must()));
  }
  select(): void {
    this.ctx.enqueue(() => void (this.ctx.model.selection = { sheet: this.ws.sheet().name, address: rectAddr(this.must()) }), 16);
  }
  clear(): void {
    this.ctx.enqueue(() => {
      const r = this.must();
      const s = this.ws.writable();
      for (const m of [s.cells, s.numberFormats, s.fills] as Map<string, unknown>[]) {
        for (const k of [...m.keys()]) {
          const [i, j] = k.split(',').map(Number);
          if (inRect(i, j, r)) m.delete(k);
        }
      }
      s.bold.clear();
      s.wrapped = [];
      s.autofitted = [];
    }, 16);
  }
}

export class FakeRangeAreas {
  constructor(
    private readonly ctx: FakeContext,
    private readonly ws: FakeWorksheet,
    private readonly address: string,
  ) {}
  get conditionalFormats(): FakeCfCollection {
    return new FakeCfCollection(this.ctx, this.ws, () => this.address);
  }
}

export class FakeCf {
  constructor(
    private readonly ctx: FakeContext,
    private readonly ws: FakeWorksheet,
    private readonly id: () => number,
    private readonly loadedState: { type?: string; formula?: string | null } = {},
  ) {}
  private model(): CfModel | undefined {
    return this.ws.writable().cfs.find((c) => c.id === this.id());
  }
  get type(): string {
    if (this.loadedState.type === undefined) throw officeError('PropertyNotLoaded', 'type');
    return this.loadedState.type;
  }
  get customOrNullObject() {
    const st = this.loadedState;
    return {
      get isNullObject() {
        if (st.formula === undefined) throw officeError('PropertyNotLoaded', 'customOrNullObject');
        return st.formula === null;
      },
      rule: {
        get formula() {
          if (st.formula === undefined) throw officeError('PropertyNotLoaded', 'formula');
          return st.formula;
        },
      },
    };
  }
  get custom() {
    const self = this;
    return {
      rule: {
        set formula(f: string) {
          self.ctx.enqueue(() => void (self.model()!.formula = f), bytes(f));
        },
      },
      format: {
        fill: {
          set color(c: string) {
            self.ctx.enqueue(() => void (self.model()!.fill = c), bytes(c));
          },
        },
      },
    };
  }
  delete(): void {
    this.ctx.enqueue(() => {
      const s = this.ws.writable();
      s.cfs = s.cfs.filter((c) => c.id !== this.id());
    }, 8);
  }
}

export class FakeCfCollection extends Proxy {
  private list: { id: number; type: string; formula: string | null }[] = [];
  constructor(
    ctx: FakeContext,
    private readonly ws: FakeWorksheet,
    private readonly address: () => string,
  ) {
    super(ctx);
  }
  protected snapshot(props: string[]) {
    const ok = props.every((p) => p === 'items/type' || p === 'items/customOrNullObject/rule/formula');
    if (!ok) throw officeError('InvalidArgument', `unsupported load ${props.join(',')}`);
    const target = this.address().split(',').map(parseRect);
    const hits = this.ws.sheet().cfs.filter((c) =>
      c.address.split(',').map(parseRect).some((a) => target.some((t) => a.r1 <= t.r2 && t.r1 <= a.r2 && a.c1 <= t.c2 && t.c1 <= a.c2)),
    );
    this.list = hits.map((c) => ({ id: c.id, type: c.type, formula: c.type === 'Custom' ? c.formula : null }));
    return { items: this.list };
  }
  get items(): FakeCf[] {
    this.read('items');
    return this.list.map((c) => new FakeCf(this.ctx, this.ws, () => c.id, { type: c.type, formula: c.formula }));
  }
  add(type: string): FakeCf {
    let id = -1;
    this.ctx.enqueue(() => {
      id = this.ctx.model.cfId();
      this.ws.writable().cfs.push({ id, type: type as CfModel['type'], formula: null, fill: null, address: this.address(), ownerAddedBy: 'addin' });
    }, bytes(this.address()) + bytes(type));
    return new FakeCf(this.ctx, this.ws, () => id);
  }
}

export class FakeNote {
  constructor(
    private readonly ctx: FakeContext,
    private readonly ws: FakeWorksheet,
    private readonly kind: 'notes' | 'comments',
    private readonly cell: string,
    private readonly text: string,
  ) {}
  get content(): string {
    return this.text;
  }
  delete(): void {
    this.ctx.enqueue(() => void this.ws.writable()[this.kind].delete(this.cell), 8);
  }
  getLocation(): FakeRange {
    return new FakeRange(this.ctx, this.ws, () => parseRect(this.cell));
  }
}

export class FakeNoteCollection extends Proxy {
  private list: [string, string][] = [];
  constructor(
    ctx: FakeContext,
    private readonly ws: FakeWorksheet,
    private readonly kind: 'notes' | 'comments',
  ) {
    super(ctx);
  }
  protected snapshot(props: string[]) {
    if (props.join() !== 'items/content') throw officeError('InvalidArgument', `unsupported load ${props.join(',')}`);
    this.list = [...this.ws.sheet()[this.kind].entries()];
    return { items: this.list.map(([, c]) => c) };
  }
  get items(): FakeNote[] {
    this.read('items');
    return this.list.map(([cell, text]) => new FakeNote(this.ctx, this.ws, this.kind, cell, text));
  }
  add(cell: string, content: string): void {
    // Office.js: a comment's address must name the sheet ("Sheet1!A1"); a note's may not need to
    if (this.kind === 'comments' && !cell.includes('!')) throw officeError('InvalidArgument', 'comments.add needs the full address with the sheet name');
    this.ctx.enqueue(() => {
      const m = this.ws.writable()[this.kind];
      const k = rectAddr(parseRect(cell));
      if (m.has(k)) throw officeError('InvalidArgument', `单元格 ${k} 已有备注`);
      // as in Excel 365: a cell holding a (threaded) comment takes no note (the other way round,
      // a comment where a note is, hosts without the notes API cannot see: not modelled)
      if (this.kind === 'notes' && this.ws.sheet().comments.has(k)) throw officeError('InvalidArgument', `单元格 ${k} 已有批注`);
      m.set(k, content);
    }, bytes(cell) + bytes(content));
  }
}

/** A Host for the controller over the fake (caps chosen by the test). */
export function fakeHost(model: WorkbookModel, opts: { notes?: boolean; comments?: boolean; merges?: boolean; file?: Uint8Array; fileName?: string } = {}) {
  const contexts: FakeContext[] = [];
  const opened: Uint8Array[] = [];
  const ribbon: boolean[] = [];
  const downloads: { bytes: Uint8Array; fileName: string; type: string }[] = [];
  return {
    contexts,
    opened,
    ribbon,
    downloads,
    host: {
      run: async <T>(fn: (ctx: Excel.RequestContext) => Promise<T>): Promise<T> => {
        const ctx = new FakeContext(model);
        contexts.push(ctx);
        return fn(ctx as unknown as Excel.RequestContext);
      },
      caps: () => ({ notes: opts.notes ?? true, comments: opts.comments ?? true, merges: opts.merges ?? true }),
      readFile: async (onProgress?: (p: number) => void) => {
        onProgress?.(1);
        return opts.file ?? new Uint8Array([0x50, 0x4b, 3, 4]);
      },
      fileName: () => opts.fileName ?? '测试工作簿.xlsx',
      openWorkbook: async (x: Uint8Array) => {
        // Excel.createWorkbook gets the workbook as base64 in one request (5 MB on the web)
        if (4 * Math.ceil(x.length / 3) > model.requestLimit) throw officeError('RequestPayloadSizeLimitExceeded', 'createWorkbook: 请求超过上限');
        opened.push(x);
      },
      download: async (bytes: Uint8Array, fileName: string, type: string) => void downloads.push({ bytes, fileName, type }),
      setOfficeButtons: async (b: boolean) => void ribbon.push(b),
      showPane: async () => undefined,
    },
  };
}
