/**
 * The tolerant reader (domain.md §3): recognise the form of each sheet, find the header, match
 * columns by title, normalise every cell with a precompiled per-column parser, and run the checks
 * that need this form alone (shared/checks). Works on the plain grid, so the CLI, the functions and
 * the add-in share it.
 */
import * as checks from '../checks';
import type { CheckContext, RowScope } from '../checks';
import { FORMS, getForm, isFormId } from '../forms';
import type { FormDef, FormId } from '../forms/types';
import { columnLetter, isDate, type CellValue, type SheetGrid, type WorkbookGrid } from '../grid';
import type { IssueCode } from '../issues/catalogue';
import * as issueModule from '../issues/issue';
import type { Issue, SeverityOverrides } from '../issues/issue';
import type { RuleSet } from '../rules/schema';
import { UnusableInputError, type FieldValue, type FormRead, type ParsedRow } from '../types';
import { toolOutputTitle } from '../outputs';
import { headerCells, isConvincing, scanHeaders } from './header';
import * as parse from './parse';
import type { ColumnSpec } from './parse';
import * as text from './text';
import * as words from './words';

// Imported names copied into module constants once: transpiled to CommonJS (tsx, jest), each use
// of an imported name is a getter call on the other module's exports, which on the per-cell path
// costs more than the work itself.
const { checkRow, DuplicateKeys, unusedReason } = checks;
const { makeIssue } = issueModule;
const { compileColumn, fmtNum, isBlankCell, newParseOut, parseCell, S_BLANK, S_NORMALIZED, S_PLACEHOLDER, unitFactor, UNIT_LABEL } = parse;
const { isSpaceCode, normHeader, trimAll } = text;

export { HEADER_SEARCH_ROWS } from './header';

const ROW_NUMBER_HEADERS = new Set(words.ROW_NUMBER_HEADERS);
const { NOTE_WORDS, TOTAL_WORDS } = words;

/** The text without any whitespace (`合 计` → `合计`). */
function noSpaces(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) if (!isSpaceCode(v.charCodeAt(i))) out += v[i];
  return out;
}
const startsWithAny = (t: string, words: readonly string[]) => words.some((w) => t.startsWith(w));
/**
 * Speed boundary (bench 20-engine: every data row's key cells are tested): a text can only begin
 * with a total or note word when its first non-space character begins one, so the space-free copy
 * is built only then. Exact as long as no word is empty or begins with a space (checked here).
 */
const firstCodes = (words: readonly string[]): Set<number> | null =>
  words.every((w) => w.length > 0 && !text.isSpaceCode(w.charCodeAt(0))) ? new Set(words.map((w) => w.charCodeAt(0))) : null;
const TOTAL_FIRST = firstCodes(TOTAL_WORDS);
const NOTE_FIRST = firstCodes(NOTE_WORDS);
function mayBegin(v: string, first: Set<number> | null): boolean {
  if (first === null) return true;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!isSpaceCode(c)) return first.has(c);
  }
  return false;
}
const isTotalText = (v: CellValue | undefined): v is string => typeof v === 'string' && mayBegin(v, TOTAL_FIRST) && startsWithAny(noSpaces(v), TOTAL_WORDS);
const isNoteText = (v: CellValue | undefined): v is string => typeof v === 'string' && mayBegin(v, NOTE_FIRST) && startsWithAny(noSpaces(v), NOTE_WORDS);

/** Sheets that are never a form: the issue list written into checked copies. */
export const SKIPPED_SHEETS: readonly string[] = ['问题清单'];

const isSkipped = (sheet: SheetGrid) => SKIPPED_SHEETS.includes(trimAll(sheet.name));

/**
 * Which sheets hold which form. The workbook property `formId` (written by the templates) names
 * the form of the sheet that matches it best (a visible one preferred); every other sheet is
 * recognised by its header titles. Sheets named 问题清单 and sheets matching no form are skipped;
 * a hidden sheet is read unless a visible sheet holds the same form. Several visible sheets may
 * hold the same form (e.g. one per street): all are read.
 */
export function recogniseSheets(wb: WorkbookGrid): { sheet: SheetGrid; form: FormId; headerRow: number }[] {
  return classifySheets(wb).read;
}

/**
 * The sheets read (recogniseSheets) and the hidden sheets holding a form that a visible sheet
 * also holds, which are not read (callers say so: nothing is left out unseen).
 */
function classifySheets(wb: WorkbookGrid): { read: { sheet: SheetGrid; form: FormId; headerRow: number }[]; leftOut: { sheet: string; form: FormId }[] } {
  const found = new Map<SheetGrid, { form: FormId; rowIndex: number }>();
  const sheets = wb.sheets.filter((s) => !isSkipped(s));
  const prop = wb.properties?.formId;
  if (typeof prop === 'string' && isFormId(prop)) {
    const fi = FORMS.findIndex((f) => f.id === prop);
    let pick: { sheet: SheetGrid; rowIndex: number; score: number; hidden: boolean } | null = null;
    for (const sheet of sheets) {
      const c = scanHeaders(sheet, fi)[0];
      if (!c) continue;
      const hidden = !!sheet.hidden;
      if (!pick || (pick.hidden && !hidden) || (pick.hidden === hidden && c.score > pick.score)) pick = { sheet, rowIndex: c.rowIndex, score: c.score, hidden };
    }
    if (pick) found.set(pick.sheet, { form: prop, rowIndex: pick.rowIndex });
  }
  for (const sheet of sheets) {
    if (found.has(sheet)) continue;
    const best = scanHeaders(sheet)[0];
    if (best && isConvincing(best)) found.set(sheet, { form: best.form.id, rowIndex: best.rowIndex });
  }
  // a hidden sheet holding the same form as a visible one (an old copy, a lookup sheet) is not read
  const visibleForms = new Set(sheets.filter((s) => !s.hidden && found.has(s)).map((s) => found.get(s)!.form));
  const read: { sheet: SheetGrid; form: FormId; headerRow: number }[] = [];
  const leftOut: { sheet: string; form: FormId }[] = [];
  for (const sheet of sheets) {
    const f = found.get(sheet);
    if (!f) continue;
    if (sheet.hidden && visibleForms.has(f.form)) leftOut.push({ sheet: sheet.name, form: f.form });
    else read.push({ sheet, form: f.form, headerRow: (sheet.firstRow ?? 1) + f.rowIndex });
  }
  return { read, leftOut };
}

/**
 * The hidden sheets that hold a form but are not read because a visible sheet holds the same form
 * (recogniseSheets), each with the Chinese and English line that says so.
 */
export function hiddenSheetsLeftOut(wb: WorkbookGrid): { sheet: string; form: FormId; zh: string; en: string }[] {
  if (!wb.sheets.some((s) => s.hidden)) return [];
  return classifySheets(wb).leftOut.map((h) => ({
    ...h,
    zh: `隐藏工作表“${h.sheet}”（${getForm(h.form).title}）未读取：同一表单已有可见工作表；如需计入请取消隐藏`,
    en: `hidden sheet "${h.sheet}" (${h.form}) not read: a visible sheet holds the same form; unhide it to count it`,
  }));
}

/** Read one sheet as one form: tolerant reading + the checks that need this form alone. */
export function readForm(sheet: SheetGrid, form: FormId, opts: { file: string; ruleSet: RuleSet; headerRow?: number; date1904?: boolean }): FormRead {
  const def = getForm(form);
  let rowIndex: number;
  if (opts.headerRow !== undefined) rowIndex = opts.headerRow - (sheet.firstRow ?? 1);
  else {
    const c = scanHeaders(sheet, FORMS.indexOf(def))[0];
    if (!c) {
      throw new UnusableInputError(
        opts.file,
        `工作表“${sheet.name}”中未找到“${def.title}”的表头（表头须使用模板列标题）`,
        `no header of form "${form}" found in sheet "${sheet.name}"`,
      );
    }
    rowIndex = c.rowIndex;
  }
  return new SheetReader(sheet, def, opts.file, opts.ruleSet, rowIndex, !!opts.date1904).read();
}

/**
 * Every recognised form of a workbook; throws UnusableInputError when none is recognised, and for
 * an output of this tool (a submission, plan, ledger or comparison put back among the inputs).
 */
export function readWorkbook(wb: WorkbookGrid, ruleSet: RuleSet): FormRead[] {
  const output = toolOutputTitle(wb.properties);
  if (output !== null) {
    throw new UnusableInputError(
      wb.file,
      `这是本工具生成的“${output}”，不是调查表或参考数据表，不作为输入读取；请将其移出输入（文件夹）`,
      `this is an output of this tool ("${output}"), not a survey or reference form: remove it from the inputs`,
    );
  }
  const found = recogniseSheets(wb);
  if (found.length === 0) {
    throw new UnusableInputError(
      wb.file,
      '未识别出任何标准表格（工作表的表头须包含模板的列标题，如“宗地代码”“统一社会信用代码”）',
      'no survey form recognised (sheet headers must use the template column titles)',
    );
  }
  return found.map((f) => readForm(f.sheet, f.form, { file: wb.file, ruleSet, headerRow: f.headerRow, date1904: !!wb.date1904 }));
}

/**
 * A function building a row's values object from the parsed values in field order. A generated
 * object literal gives every row the same hidden class with named stores (much faster than keyed
 * stores per cell); where code generation is not allowed (a strict Content-Security-Policy) a
 * plain loop is used.
 */
let codegenAllowed = true;
const builders = new Map<string, (vals: FieldValue[]) => Record<string, FieldValue>>();

function valuesBuilder(keys: readonly string[]): (vals: FieldValue[]) => Record<string, FieldValue> {
  const id = keys.join(',');
  const known = builders.get(id);
  if (known) return known;
  let f: ((vals: FieldValue[]) => Record<string, FieldValue>) | null = null;
  if (codegenAllowed) {
    try {
      const body = `return {${keys.map((k, i) => `${JSON.stringify(k)}: a[${i}]`).join(', ')}};`;
      f = new Function('a', body) as (vals: FieldValue[]) => Record<string, FieldValue>;
      f(keys.map(() => null));
    } catch {
      codegenAllowed = false; // tried once; not again on every read
      f = null;
    }
  }
  if (!f) {
    f = (vals) => {
      const o: Record<string, FieldValue> = {};
      for (let i = 0; i < keys.length; i++) o[keys[i]] = vals[i];
      return o;
    };
  }
  builders.set(id, f);
  return f;
}

/** Reads the data rows of one sheet; one instance per read. */
class SheetReader implements RowScope {
  private readonly issues: Issue[] = [];
  private readonly severities: SeverityOverrides;
  private readonly specs: ColumnSpec[] = [];
  private readonly statusOf: Int8Array;
  private readonly keyIndex = new Map<string, number>();
  private readonly ctx: CheckContext;
  private readonly columns: Record<string, string> = {};
  private readonly headerNorm: (string | null)[] = [];
  private readonly rawCells: (CellValue | undefined)[];
  /** Grid columns whose header names a row-number column (序号 …). */
  private readonly rowNumberCols = new Set<number>();
  /** `row:letter` of cells that only repeat a vertically merged value (not the range's first row). */
  private readonly mergedBelow = new Set<string>();
  // state of the row being read
  values: Record<string, FieldValue> = {};
  private row = 0;
  private parcelId: string | null = null;
  private rowHasError = false;

  constructor(
    private readonly sheet: SheetGrid,
    private readonly form: FormDef,
    private readonly file: string,
    private readonly ruleSet: RuleSet,
    private readonly headerIndex: number,
    private readonly date1904 = false,
  ) {
    this.severities = ruleSet.severities as SeverityOverrides;
    this.statusOf = new Int8Array(form.fields.length);
    this.rawCells = new Array(form.fields.length);
    const evaluationYear = Number(ruleSet.evaluationDate.slice(0, 4));
    this.ctx = { form, ruleSet, evaluationDate: ruleSet.evaluationDate, evaluationYear };
    form.fields.forEach((f, i) => this.keyIndex.set(f.key, i));
    this.matchColumns(evaluationYear);
  }

  private get firstRow(): number {
    return this.sheet.firstRow ?? 1;
  }

  private letter(col: number): string {
    return columnLetter((this.sheet.firstCol ?? 1) + col);
  }

  private push(code: IssueCode, row: number | null, column: string | null, field: string | null, value: unknown, expected?: string | number | null, detail?: string | null): void {
    // an invalid Date (a broken date cell) has no ISO text: show it as Excel would
    if (isDate(value) && Number.isNaN(value.getTime())) value = '#VALUE!';
    const issue = makeIssue(
      code,
      { form: this.form.id, sheet: this.sheet.name, row, column, field, parcelId: row === null ? null : this.parcelId, value, expected, detail },
      this.severities,
    );
    if (row !== null && issue.severity === 'error') this.rowHasError = true;
    // a merged value is reported once, on the first row of its range (§9.4); the rows below share it
    if (row !== null && column !== null && this.mergedBelow.size > 0 && this.mergedBelow.has(`${row}:${column}`)) return;
    this.issues.push(issue);
  }

  /** Matches header cells to fields: moved columns, unknown columns, missing required columns, units in headers. */
  private matchColumns(evaluationYear: number): void {
    const fi = FORMS.indexOf(this.form);
    const cells = headerCells(this.sheet, this.headerIndex, fi);
    const colOf = new Map<string, { col: number; text: string; unit: string | null }>();
    for (const h of cells) {
      const ref = h.match.refs.find((r) => r.form === fi);
      if (!ref) {
        if (ROW_NUMBER_HEADERS.has(normHeader(h.text))) this.rowNumberCols.add(h.col);
        else if (h.rowIndex === this.headerIndex) this.push('unknown-column', null, this.letter(h.col), null, trimAll(h.text));
        continue;
      }
      const key = this.form.fields[ref.field].key;
      if (colOf.has(key)) {
        // the same field twice: the first column is read, the second is reported
        this.push('unknown-column', null, this.letter(h.col), null, trimAll(h.text), null, '（与前一列重复）');
        continue;
      }
      colOf.set(key, { col: h.col, text: h.text, unit: h.match.unit });
    }
    for (const field of this.form.fields) {
      const m = colOf.get(field.key);
      let scale = 1;
      if (m?.unit) {
        const f = unitFactor(field.unit, normHeader(m.unit));
        if (f !== undefined && f !== 1) {
          scale = f;
          // 元 → 万元 is ÷10000 (×0.0001 would print as ×0 at two decimals)
          const how = f < 1 ? `÷${fmtNum(1 / f)}` : `×${fmtNum(f)}`;
          this.push('normalized-value', null, this.letter(m.col), field.title, trimAll(m.text), `${m.unit}换算为${UNIT_LABEL[field.unit ?? 'none'] || field.title}（${how}）`);
        }
      }
      const letter = m ? this.letter(m.col) : null;
      if (m && letter) this.columns[field.key] = letter;
      this.specs.push(compileColumn(field, m ? m.col : -1, letter, m ? m.text : null, scale, evaluationYear, this.ruleSet.countyCode, this.date1904));
      this.headerNorm.push(m ? normHeader(m.text) : null);
      if (!m && field.required) this.push('missing-column', null, null, field.title, null);
    }
  }

  /** A row that only repeats the header (a header pasted again, a printed page's header). */
  private isHeaderRepeat(cells: CellValue[]): boolean {
    let same = 0;
    let matched = 0;
    for (let i = 0; i < this.specs.length; i++) {
      const c = this.specs[i].col;
      if (c < 0) continue;
      matched++;
      const v = cells[c];
      if (typeof v === 'string' && v.length < 60 && normHeader(v) === this.headerNorm[i]) same++;
    }
    return same > 0 && same * 2 >= matched;
  }

  /** Whether field i must be filled on this row (required, or required by another field's value). */
  private requiredNow(i: number, values: Record<string, FieldValue>, required: boolean[], when: ({ index: number; values: readonly string[] } | null)[]): boolean {
    if (required[i]) return true;
    const w = when[i];
    if (w === null) return false;
    const ctl = values[this.specs[w.index].key];
    return typeof ctl === 'string' && w.values.includes(ctl);
  }

  wasBlank(key: string): boolean {
    const i = this.keyIndex.get(key);
    return i === undefined || this.statusOf[i] === S_BLANK;
  }

  emit(code: IssueCode, key: string | null, value: unknown, expected?: string | number | null, detail?: string | null): void {
    const i = key === null ? undefined : this.keyIndex.get(key);
    const spec = i === undefined ? null : this.specs[i];
    this.push(code, this.row, spec?.letter ?? null, spec?.field.title ?? null, value, expected, detail);
  }

  read(): FormRead {
    const { sheet, form, specs } = this;
    const n = specs.length;
    const out = newParseOut();
    const statusOf = this.statusOf;
    const rawCells = this.rawCells;
    const buildValues = valuesBuilder(specs.map((s) => s.key));
    const vals: FieldValue[] = new Array(n).fill(null);
    const matchedCols = specs.filter((s) => s.col >= 0).map((s) => s.col);
    const parcelIdx = this.keyIndex.get('parcelId') ?? -1;
    const required = specs.map((s) => !!s.field.required);
    const when = specs.map((s) => {
      const w = s.field.requiredWhen;
      return w ? { index: this.keyIndex.get(w.field)!, values: w.in, title: this.form.fields[this.keyIndex.get(w.field)!].title } : null;
    });
    const dup = new DuplicateKeys(form);
    const keyFields = form.key.map((k) => this.keyIndex.get(k)!);
    const rows: ParsedRow[] = [];
    const codes: (IssueCode | null)[] = new Array(n).fill(null);
    const expecteds: string[] = new Array(n).fill('');
    const details: string[] = new Array(n).fill('');
    const firstRow = this.firstRow;
    const placeholder = new Uint8Array(n);
    const grid = this.recordGrid();
    // key columns of §9.2–3: 宗地代码 where the form has it, else the form's first key field
    const keyCols = (parcelIdx >= 0 ? [parcelIdx] : [keyFields[0]]).map((i) => specs[i].col).filter((c) => c >= 0);
    // the answer is made before the rows are read: code after the row loop has no type feedback
    // when the loop is optimized on the stack, and a property access there (`this.file`, `form.id`)
    // threw the optimized code away at the end of every read, so each sheet's rows began unoptimized
    const answer = { file: this.file, form: form.id, sheet: sheet.name, headerRow: firstRow + this.headerIndex, columns: this.columns, rows, issues: this.issues, notRecords: 0 } satisfies FormRead;

    for (let r = this.headerIndex + 1; r < grid.length; r++) {
      const cells = grid[r];
      if (!cells) continue;
      let any = false;
      for (let k = 0; k < matchedCols.length; k++) {
        if (!isBlankCell(cells[matchedCols[k]])) {
          any = true;
          break;
        }
      }
      if (!any && !this.hasTextOutside(cells)) continue;
      const nr = this.nonRecord(cells, keyCols);
      if (nr !== null) {
        this.row = firstRow + r;
        this.parcelId = null;
        this.push(nr.code, this.row, this.letter(nr.col), null, trimAll(nr.text));
        answer.notRecords++;
        continue;
      }
      if (!any || this.isHeaderRepeatQuick(cells, parcelIdx)) continue;

      this.row = firstRow + r;
      this.rowHasError = false;
      let anyIssue = false;
      for (let i = 0; i < n; i++) {
        const spec = specs[i];
        const raw = spec.col >= 0 ? cells[spec.col] : undefined;
        const st = parseCell(raw, spec, out);
        vals[i] = out.value;
        if (st === S_PLACEHOLDER) {
          // blank for every purpose; said once below unless missing-value says more
          statusOf[i] = S_BLANK;
          anyIssue = true;
          placeholder[i] = 1;
          rawCells[i] = raw;
          continue;
        }
        statusOf[i] = st;
        if (st >= S_NORMALIZED) {
          anyIssue = true;
          rawCells[i] = raw;
          codes[i] = out.code;
          expecteds[i] = out.expected;
          details[i] = out.detail;
        }
      }
      const values = buildValues(vals);
      this.values = values;
      this.parcelId = parcelIdx >= 0 && typeof values.parcelId === 'string' ? values.parcelId : null;
      if (anyIssue) {
        for (let i = 0; i < n; i++) {
          const st = statusOf[i];
          if (placeholder[i] === 1 && !this.requiredNow(i, values, required, when)) {
            const spec = specs[i];
            this.push('normalized-value', this.row, spec.letter, spec.field.title, rawCells[i], '空白（未填写）');
          }
          if (st < S_NORMALIZED) continue;
          const spec = specs[i];
          if (st === S_NORMALIZED) this.push('normalized-value', this.row, spec.letter, spec.field.title, rawCells[i], expecteds[i]);
          else this.push(codes[i]!, this.row, spec.letter, spec.field.title, rawCells[i], expecteds[i], details[i]);
          rawCells[i] = undefined;
        }
      }
      // required values (a missing column is reported once for the sheet, not per row)
      for (let i = 0; i < n; i++) {
        if (statusOf[i] !== S_BLANK) continue;
        const spec = specs[i];
        if (required[i]) {
          if (spec.col >= 0) this.push('missing-value', this.row, spec.letter, spec.field.title, placeholder[i] === 1 ? rawCells[i] : null);
          continue;
        }
        const w = when[i];
        if (w !== null) {
          const ctl = values[specs[w.index].key];
          if (typeof ctl === 'string' && w.values.includes(ctl)) {
            this.push('missing-value', this.row, spec.letter, spec.field.title, placeholder[i] === 1 ? rawCells[i] : null, null, `（${w.title}为“${ctl}”时必填）`);
          }
        }
      }
      if (anyIssue) {
        placeholder.fill(0);
        rawCells.fill(undefined);
      }
      checkRow(this.ctx, this);
      // the key parts straight from the parsed values in field order (one- and two-part keys)
      const first =
        keyFields.length === 1 ? dup.checkParts(vals[keyFields[0]], '', this.row, values)
        : keyFields.length === 2 ? dup.checkParts(vals[keyFields[0]], vals[keyFields[1]], this.row, values)
        : dup.check(values, this.row);
      if (first !== null) {
        const k0 = specs[keyFields[0]];
        const title = keyFields.map((i) => specs[i].field.title).join('+');
        this.push('duplicate-key', this.row, k0.letter, title, first.key, `第${first.firstRow}行`);
      }
      const unused = unusedReason(this.ctx, this);
      const parsed: ParsedRow = { row: this.row, values, hasError: this.rowHasError };
      if (unused !== null) parsed.unused = unused;
      rows.push(parsed);
    }
    return answer;
  }

  /**
   * The rows to read, with the value of each vertical merge over record rows copied into every row
   * of its range (first column of the range only, §9.4). The caller's grid is not changed.
   */
  private recordGrid(): CellValue[][] {
    const { sheet } = this;
    const merges = sheet.merges;
    if (!merges || merges.length === 0) return sheet.rows;
    const firstRow = this.firstRow;
    const firstCol = this.sheet.firstCol ?? 1;
    let rows: CellValue[][] | null = null;
    for (const m of merges) {
      const top = m.top - firstRow;
      const c = m.left - firstCol;
      if (m.bottom <= m.top || top <= this.headerIndex || c < 0) continue;
      const v = sheet.rows[top]?.[c];
      if (isBlankCell(v)) continue;
      rows ??= sheet.rows.slice();
      const letter = this.letter(c);
      for (let r = top + 1; r <= m.bottom - firstRow && r < rows.length; r++) {
        const src = rows[r];
        if (!src || !isBlankCell(src[c])) continue;
        const copy = src === sheet.rows[r] ? src.slice() : src;
        copy[c] = v!;
        rows[r] = copy;
        this.mergedBelow.add(`${firstRow + r}:${letter}`);
      }
    }
    return rows ?? sheet.rows;
  }

  /** A non-blank text cell outside the form's columns (a 合计 or 注： in a 序号 or unknown column). */
  private hasTextOutside(cells: CellValue[]): boolean {
    for (let c = 0; c < cells.length; c++) {
      const v = cells[c];
      if (typeof v === 'string' && !isBlankCell(v)) return true;
    }
    return false;
  }

  /**
   * A total row (§9.2) or a note row (§9.3): key cells blank (or holding the word itself). A
   * row-number column's number (序号 on a pre-numbered template, §9.1) does not make it a record;
   * the word itself may stand there (合计 in the 序号 column).
   */
  private nonRecord(cells: CellValue[], keyCols: number[]): { code: IssueCode; col: number; text: string } | null {
    for (const c of keyCols) {
      const v = cells[c];
      if (!isBlankCell(v) && !isTotalText(v) && !isNoteText(v)) return null;
    }
    let note: { col: number; text: string } | null = null;
    let allNotes = true;
    const numbers = this.rowNumberCols;
    for (let c = 0; c < cells.length; c++) {
      const v = cells[c];
      if (isBlankCell(v)) continue;
      if (isTotalText(v)) return { code: 'total-row', col: c, text: v };
      if (isNoteText(v)) note ??= { col: c, text: v };
      else if (!numbers.has(c)) allNotes = false;
    }
    return note && allNotes ? { code: 'note-row', ...note } : null;
  }

  /** Cheap pre-test before isHeaderRepeat: the first matched column holds text starting like its header. */
  private isHeaderRepeatQuick(cells: CellValue[], _parcelIdx: number): boolean {
    for (let i = 0; i < this.specs.length; i++) {
      const c = this.specs[i].col;
      if (c < 0) continue;
      const v = cells[c];
      const h = this.specs[i].header;
      if (typeof v !== 'string' || h === null) continue;
      const a = trimAll(v);
      const b = trimAll(h);
      if (a.length > 0 && b.length > 0 && a.charCodeAt(0) === b.charCodeAt(0) && a.length < 60) return this.isHeaderRepeat(cells);
      return false;
    }
    return false;
  }
}
