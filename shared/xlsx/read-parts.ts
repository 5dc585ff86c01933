/**
 * Handlers for the parts of an xlsx package: relationships, workbook, styles, shared strings,
 * document properties and worksheets. Each is fed by `XmlFeeder` as the part is inflated.
 */
import { parseRangeRef, type CellValue, type MergedRange } from '../grid';
import type { ReadLimits } from './limits';
import { Unusable } from './read-zip';
import { decodeEntities, decodeText, XmlHandler } from './read-xml';

/** All attributes of a (non-hot) tag, entity-decoded, by name as written (prefix kept). */
export function attrs(s: string, a: number, b: number): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  const t = s.substring(a, b);
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) out[m[1]] = decodeEntities(m[2] ?? m[3] ?? '');
  return out;
}

/** The attribute whose local name is `local` (any prefix). */
function byLocal(at: Record<string, string>, local: string): string | undefined {
  for (const k of Object.keys(at)) {
    const c = k.indexOf(':');
    if ((c >= 0 ? k.substring(c + 1) : k) === local) return at[k];
  }
  return undefined;
}

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

export class RelsHandler implements XmlHandler {
  collect = false;
  rels: Relationship[] = [];
  open(name: string, s: string, a: number, b: number): void {
    if (name !== 'Relationship') return;
    const at = attrs(s, a, b);
    this.rels.push({ id: at.Id ?? '', type: at.Type ?? '', target: at.Target ?? '', external: at.TargetMode === 'External' });
  }
  close(): void {}
  text(): void {}
}

export interface SheetRef {
  name: string;
  state: string;
  relId: string;
}

export class WorkbookHandler implements XmlHandler {
  collect = false;
  date1904 = false;
  sheets: SheetRef[] = [];
  sawWorkbook = false;
  open(name: string, s: string, a: number, b: number): void {
    if (name === 'workbook') this.sawWorkbook = true;
    else if (name === 'workbookPr') {
      const v = attrs(s, a, b).date1904;
      this.date1904 = v === '1' || v === 'true';
    } else if (name === 'sheet') {
      const at = attrs(s, a, b);
      this.sheets.push({ name: at.name ?? '', state: at.state ?? 'visible', relId: byLocal(at, 'id') ?? '' });
    }
  }
  close(): void {}
  text(): void {}
}

/** Built-in number formats that show a date or time (incl. the zh-CN/ja/ko locale ones). */
const BUILTIN_DATE = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** True when a format code shows a date/time: d, m, y or h outside quotes, brackets and escapes. */
export function isDateFormatCode(code: string): boolean {
  const stripped = code
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '');
  return /[dmyhDMYH]/.test(stripped);
}

export class StylesHandler implements XmlHandler {
  collect = false;
  private formats = new Map<number, string>();
  private xfFormats: number[] = [];
  private inCellXfs = false;
  open(name: string, s: string, a: number, b: number): void {
    if (name === 'numFmt') {
      const at = attrs(s, a, b);
      if (at.numFmtId !== undefined) this.formats.set(Number(at.numFmtId), at.formatCode ?? '');
    } else if (name === 'cellXfs') this.inCellXfs = true;
    else if (name === 'xf' && this.inCellXfs) this.xfFormats.push(Number(attrs(s, a, b).numFmtId ?? 0));
  }
  close(name: string): void {
    if (name === 'cellXfs') this.inCellXfs = false;
  }
  text(): void {}
  /** For each style index (the `s` of a cell): does it show a date? */
  dateStyles(): boolean[] {
    return this.xfFormats.map((id) => {
      const code = this.formats.get(id);
      return code !== undefined ? isDateFormatCode(code) : BUILTIN_DATE.has(id);
    });
  }
}

function tooLong(where: string, limits: ReadLimits): Unusable {
  return new Unusable(
    `${where}的文字超过 ${limits.maxCellChars} 个字符（Excel 单元格上限），文件异常`,
    `${where} holds more than ${limits.maxCellChars} characters (Excel's cell limit); the file is abnormal`,
  );
}

export class SharedStringsHandler implements XmlHandler {
  collect = false;
  strings: string[] = [];
  private buf = '';
  private inSi = false;
  private rph = 0;
  constructor(private readonly limits: ReadLimits) {}
  open(name: string): void {
    if (name === 'si') {
      this.inSi = true;
      this.buf = '';
    } else if (name === 't') {
      if (this.inSi && this.rph === 0) this.collect = true;
    } else if (name === 'rPh') this.rph++;
  }
  close(name: string): void {
    if (name === 't') this.collect = false;
    else if (name === 'rPh') this.rph--;
    else if (name === 'si') {
      const v = decodeText(this.buf);
      if (v.length > this.limits.maxCellChars) throw tooLong(`共享字符串第 ${this.strings.length + 1} 条 / shared string ${this.strings.length + 1}`, this.limits);
      this.strings.push(v);
      this.inSi = false;
      this.buf = '';
    }
  }
  text(raw: string): void {
    this.buf += raw;
    if (this.buf.length > this.limits.maxCellChars * 8) throw tooLong(`共享字符串第 ${this.strings.length + 1} 条 / shared string ${this.strings.length + 1}`, this.limits);
  }
}

/** docProps/core.xml and docProps/custom.xml: the text of simple child elements by local name. */
export class PropsHandler implements XmlHandler {
  collect = false;
  values: Record<string, string> = {};
  private depth = 0;
  private current = '';
  private buf = '';
  constructor(private readonly custom: boolean) {}
  open(name: string, s: string, a: number, b: number, self: boolean): void {
    this.depth++;
    if (this.custom) {
      if (name === 'property') this.current = attrs(s, a, b).name ?? '';
      else if (this.depth === 3 && this.current) {
        this.collect = true;
        this.buf = '';
      }
    } else if (this.depth === 2) {
      this.current = name;
      this.buf = '';
      this.collect = !self;
    }
  }
  close(): void {
    if (this.collect) {
      this.values[this.current] = decodeEntities(this.buf).trim();
      this.collect = false;
    }
    this.depth--;
  }
  text(raw: string): void {
    this.buf += raw;
  }
}

const MS_PER_DAY = 86_400_000;

/** Excel serial → Date (UTC), as exceljs gives it, but with the 1900 leap-year bug handled. */
export function serialToDate(v: number, date1904: boolean): Date | number {
  if (!(v >= 0) || v > 2_958_466) return v;
  let d = v;
  if (date1904) d += 1462;
  else if (d >= 1 && d < 61) d += 1; // Excel counts a 29 Feb 1900 that never was
  return new Date(Math.round((d - 25569) * MS_PER_DAY));
}

function tooManyRows(sheet: string, limits: ReadLimits): Unusable {
  return new Unusable(
    `工作表“${sheet}”的行数超过上限 ${limits.maxRowsPerSheet} 行，请拆分后提交`,
    `sheet "${sheet}" has more than ${limits.maxRowsPerSheet} rows (the limit); split it`,
  );
}

function letters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** One worksheet: values into a row array as the XML streams by. */
export class SheetHandler implements XmlHandler {
  collect = false;
  rows: CellValue[][] = [];
  /** `<mergeCell ref>` of the sheet. */
  merges: MergedRange[] = [];
  private valueRows = 0;
  private rowNum = 0;
  private col = 0;
  private inCell = false;
  private cellType = 0; // 0 n, 1 s, 2 str, 3 inlineStr, 4 b, 5 e, 6 d
  private cellStyle = 0;
  private buf = '';
  private hasV = false;
  private hasIs = false;
  private isBuf = '';
  private inIs = false;
  private rph = 0;
  private inV = false;
  private inData = false;

  constructor(
    private readonly name: string,
    private readonly sst: string[],
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
    private readonly limits: ReadLimits,
  ) {}

  open(name: string, s: string, a: number, b: number, self: boolean): void {
    switch (name) {
      case 'c':
        if (this.inData) this.openCell(s, a, b);
        break;
      case 'v':
        if (this.inCell) {
          this.inV = true;
          this.hasV = true;
          this.buf = '';
          this.collect = true;
        }
        break;
      case 'row': {
        const r = rowAttr(s, a, b);
        this.rowNum = r > 0 ? r : this.rowNum + 1;
        this.col = 0;
        break;
      }
      case 'is':
        if (this.inCell) {
          this.inIs = true;
          this.hasIs = true;
          this.isBuf = '';
        }
        break;
      case 't':
        if (this.inIs && this.rph === 0) {
          this.buf = '';
          this.collect = true;
        }
        break;
      case 'rPh':
        this.rph++;
        break;
      case 'sheetData':
        this.inData = !self;
        break;
      case 'mergeCell': {
        const m = parseRangeRef(attrs(s, a, b).ref ?? '');
        if (m && (m.bottom > m.top || m.right > m.left)) this.merges.push(m);
        break;
      }
    }
  }

  private openCell(s: string, a: number, b: number): void {
    this.inCell = true;
    this.hasV = false;
    this.hasIs = false;
    this.cellType = 0;
    this.cellStyle = 0;
    let refCol = 0;
    let refRow = 0;
    // one pass over the attributes: r="B12" s="3" t="s"
    let i = a;
    while (i < b) {
      let eq = i;
      while (eq < b && s.charCodeAt(eq) !== 61) eq++;
      if (eq >= b) break;
      let k = eq - 1;
      while (k > i && s.charCodeAt(k) === 32) k--;
      const nameCh = s.charCodeAt(k);
      const isSingle = k === i || s.charCodeAt(k - 1) === 32 || s.charCodeAt(k - 1) === 10 || s.charCodeAt(k - 1) === 9 || s.charCodeAt(k - 1) === 13;
      let q = eq + 1;
      while (s.charCodeAt(q) === 32) q++;
      const qc = s.charCodeAt(q);
      const ve = s.indexOf(qc === 39 ? "'" : '"', q + 1);
      if (ve < 0) break;
      if (isSingle) {
        if (nameCh === 114) {
          // r
          let p = q + 1;
          let c = 0;
          for (; p < ve; p++) {
            const ch = s.charCodeAt(p);
            if (ch >= 65 && ch <= 90) c = c * 26 + (ch - 64);
            else if (ch >= 97 && ch <= 122) c = c * 26 + (ch - 96);
            else if (ch !== 36) break;
          }
          let r = 0;
          for (; p < ve; p++) {
            const ch = s.charCodeAt(p);
            if (ch >= 48 && ch <= 57) r = r * 10 + (ch - 48);
          }
          refCol = c;
          refRow = r;
        } else if (nameCh === 115) {
          // s
          let v = 0;
          for (let p = q + 1; p < ve; p++) v = v * 10 + (s.charCodeAt(p) - 48);
          this.cellStyle = v;
        } else if (nameCh === 116) {
          // t
          const t = s.substring(q + 1, ve);
          this.cellType = t === 's' ? 1 : t === 'str' ? 2 : t === 'inlineStr' ? 3 : t === 'b' ? 4 : t === 'e' ? 5 : t === 'd' ? 6 : 0;
        }
      }
      i = ve + 1;
    }
    this.col = refCol > 0 ? refCol : this.col + 1;
    if (refRow > 0) this.rowNum = refRow;
    if (this.col > this.limits.maxColumns) {
      throw new Unusable(`工作表“${this.name}”的列数超过上限 ${this.limits.maxColumns}`, `sheet "${this.name}" has more than ${this.limits.maxColumns} columns`);
    }
  }

  close(name: string): void {
    switch (name) {
      case 'c':
        if (this.inCell) this.closeCell();
        break;
      case 'v':
        if (this.inV) {
          this.inV = false;
          this.collect = false;
        }
        break;
      case 't':
        if (this.inIs && this.collect) {
          this.isBuf += this.buf;
          this.collect = false;
        }
        break;
      case 'is':
        this.inIs = false;
        break;
      case 'rPh':
        this.rph--;
        break;
      case 'sheetData':
        this.inData = false;
        break;
    }
  }

  text(raw: string): void {
    this.buf += raw;
    if (this.buf.length > this.limits.maxCellChars * 8) this.cellTooLong();
  }

  private badSharedString(index: string): never {
    const cell = `${letters(this.col)}${this.rowNum}`;
    throw new Unusable(
      `工作表“${this.name}”的单元格 ${cell} 引用的共享字符串不存在（第 ${index} 项，共 ${this.sst.length} 项），文件已损坏，请在 Excel 中打开检查后重新保存`,
      `cell ${cell} of sheet "${this.name}" refers to shared string ${index}, which the table of ${this.sst.length} strings does not hold; the file is damaged, open it in Excel and save it again`,
      'malformed-xml',
    );
  }

  private cellTooLong(): never {
    throw tooLong(`工作表“${this.name}”的单元格 ${letters(this.col)}${this.rowNum} / cell ${letters(this.col)}${this.rowNum} of sheet "${this.name}"`, this.limits);
  }

  private closeCell(): void {
    this.inCell = false;
    let value: CellValue = null;
    const raw = this.buf;
    switch (this.cellType) {
      case 0:
        if (this.hasV && raw.length) {
          const n = Number(raw);
          value = Number.isNaN(n) ? parseFloat(raw) : n;
          if (this.dateStyles[this.cellStyle] && Number.isFinite(value)) value = serialToDate(value as number, this.date1904);
        }
        break;
      case 1:
        if (this.hasV) {
          const i = parseInt(raw, 10);
          // a cell pointing past the table (or at nothing) is a damaged file, as Excel says; read as blank it would lose the value unseen
          if (!(i >= 0 && i < this.sst.length)) this.badSharedString(raw.trim());
          value = this.sst[i];
        }
        break;
      case 2:
        if (this.hasV) value = decodeText(raw);
        break;
      case 3:
        if (this.hasIs) value = decodeText(this.isBuf);
        else if (this.hasV) value = decodeText(raw);
        break;
      case 4:
        if (this.hasV) value = raw === '1' || raw === 'true';
        break;
      case 5:
        if (this.hasV) value = { error: decodeEntities(raw) };
        break;
      case 6:
        if (this.hasV) {
          const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw : `${raw}Z`);
          value = Number.isNaN(d.getTime()) ? decodeText(raw) : d;
        }
        break;
    }
    this.buf = '';
    this.isBuf = '';
    if (value === null) return;
    if (typeof value === 'string' && value.length > this.limits.maxCellChars) this.cellTooLong();
    const r = this.rowNum - 1;
    let row = this.rows[r];
    if (row === undefined) {
      if (++this.valueRows > this.limits.maxRowsPerSheet) throw tooManyRows(this.name, this.limits);
      if (r >= 1_048_576) throw new Unusable(`工作表“${this.name}”的行号超出 Excel 范围`, `sheet "${this.name}" has a row number beyond Excel's range`);
      row = this.rows[r] = [];
    }
    row[this.col - 1] = value;
  }

  /** The dense grid: every row up to the last one holding a value, every row as wide as the widest. */
  finish(): CellValue[][] {
    const rows = this.rows;
    let last = rows.length;
    while (last > 0 && rows[last - 1] === undefined) last--;
    let width = 0;
    for (let i = 0; i < last; i++) {
      const row = rows[i];
      if (row !== undefined && row.length > width) width = row.length;
    }
    if (last * width > this.limits.maxCells) {
      throw new Unusable(
        `工作表“${this.name}”的已用区域过大（${last} 行 × ${width} 列）`,
        `the used area of sheet "${this.name}" is too large (${last} rows × ${width} columns)`,
      );
    }
    const out: CellValue[][] = new Array(last);
    for (let i = 0; i < last; i++) {
      const row = rows[i];
      if (row === undefined) {
        out[i] = new Array(width).fill(null);
        continue;
      }
      for (let c = 0; c < width; c++) if (row[c] === undefined) row[c] = null;
      out[i] = row;
    }
    this.rows = [];
    return out;
  }
}

/** The `r` attribute of a `<row>` as a number, 0 when absent (looks only inside the tag). */
function rowAttr(s: string, a: number, b: number): number {
  for (let i = a + 1; i + 2 < b; i++) {
    if (s.charCodeAt(i) !== 114 || s.charCodeAt(i + 1) !== 61) continue; // r=
    const before = s.charCodeAt(i - 1);
    if (before === 32 || before === 10 || before === 9 || before === 13) {
      let v = 0;
      for (let p = i + 3; p < b; p++) {
        const ch = s.charCodeAt(p);
        if (ch < 48 || ch > 57) break;
        v = v * 10 + (ch - 48);
      }
      return v;
    }
  }
  return 0;
}
