/**
 * The project's own xlsx reader: fflate inflates each part in bounded steps, a streaming UTF-8
 * decoder turns it into text (no character is ever split between chunks, unlike exceljs 4.4's
 * streaming reader), and a small XML scanner fills the plain `WorkbookGrid`. No exceljs here: the
 * functions and the CLI read workbooks fast and with bounded memory.
 *
 * Every unusable input becomes `UnusableInputError(file, reasonZh, reasonEn)`; nothing is returned
 * half-read.
 */
import { readFile, stat } from 'node:fs/promises';
import type { SheetGrid, WorkbookGrid } from '../grid';
import { UnusableInputError } from '../types';
import { ReadLimits, parseFormKeywords, resolveLimits } from './limits';
import {
  PropsHandler, RelsHandler, Relationship, SharedStringsHandler, SheetHandler, StylesHandler, WorkbookHandler,
} from './read-parts';
import { XmlFeeder, XmlHandler } from './read-xml';
import { InflateBudget, Unusable, ZipEntry, checkDeclared, corrupt, readZipDirectory, streamPartText, unusable } from './read-zip';

export type { ReadLimits } from './limits';
export { DEFAULT_READ_LIMITS } from './limits';

const NOT_XLSX_ZH = '不是 Excel 工作簿（.xlsx）文件';
const NOT_XLSX_EN = 'not an Excel workbook (.xlsx)';

function startsWith(d: Uint8Array, bytes: number[]): boolean {
  if (d.length < bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (d[i] !== bytes[i]) return false;
  return true;
}

/** Does `d` contain `text` encoded as UTF-16LE (CFB directory entry names)? */
function containsUtf16(d: Uint8Array, text: string): boolean {
  const n = text.length * 2;
  const c0 = text.charCodeAt(0);
  outer: for (let i = 0; i + n <= d.length; i++) {
    if (d[i] !== c0 || d[i + 1] !== 0) continue;
    for (let k = 1; k < text.length; k++) {
      if (d[i + 2 * k] !== text.charCodeAt(k) || d[i + 2 * k + 1] !== 0) continue outer;
    }
    return true;
  }
  return false;
}

/** Says what a file that is not a zip is, as precisely as cheaply possible. */
function identifyNonZip(d: Uint8Array): Unusable {
  if (d.length === 0) return new Unusable('文件为空', 'the file is empty');
  if (startsWith(d, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    if (containsUtf16(d, 'EncryptedPackage') || containsUtf16(d, 'EncryptionInfo')) {
      return new Unusable(
        '工作簿设置了打开密码（已加密），无法读取；请在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密）后另存为 .xlsx',
        'the workbook is password-protected (encrypted); remove the password in Excel and save it again as .xlsx',
      );
    }
    return new Unusable(
      '这是旧版 Excel 97-2003 工作簿（.xls），请在 Excel 中“另存为” Excel 工作簿（.xlsx）后再提交',
      'this is a legacy Excel 97-2003 workbook (.xls); save it as an Excel workbook (.xlsx) and submit that',
    );
  }
  if (startsWith(d, [0x25, 0x50, 0x44, 0x46])) {
    return new Unusable(`这是 PDF 文件，${NOT_XLSX_ZH}`, `this is a PDF file, ${NOT_XLSX_EN}`);
  }
  if (startsWith(d, [0x09, 0x08]) || startsWith(d, [0x09, 0x04]) || startsWith(d, [0x09, 0x02])) {
    return new Unusable('这是旧版 Excel 工作表（.xls），请另存为 .xlsx', 'this is a legacy Excel sheet (.xls); save it as .xlsx');
  }
  const head = new TextDecoder().decode(d.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<html') || head.startsWith('<!doctype html') || head.includes('<table')) {
    return new Unusable(`这是网页（HTML）文件，${NOT_XLSX_ZH}，请在 Excel 中另存为 .xlsx`, `this is an HTML file, ${NOT_XLSX_EN}; save it as .xlsx in Excel`);
  }
  if (head.startsWith('<?xml')) {
    return new Unusable(`这是 XML 文件（可能是 Excel 2003 XML 表格），${NOT_XLSX_ZH}`, `this is an XML file (Excel 2003 XML?), ${NOT_XLSX_EN}`);
  }
  return new Unusable(`${NOT_XLSX_ZH}（可能是文本或其他格式）`, `${NOT_XLSX_EN} (text or another format)`);
}

/** `target` of a relationship, resolved against the folder of the part that owns it. */
function resolveTarget(baseDir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : baseDir + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

function relsPathOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.substring(0, slash + 1)}_rels/${part.substring(slash + 1)}.rels`;
}

class Package {
  readonly budget: InflateBudget;
  constructor(
    private readonly data: Uint8Array,
    readonly entries: Map<string, ZipEntry>,
    limits: ReadLimits,
    private readonly keep?: Map<string, Uint8Array>,
  ) {
    this.budget = { used: 0, limits };
  }
  get(name: string): ZipEntry | undefined {
    return this.entries.get(name.toLowerCase());
  }
  /** Streams one part through `h`; false when the part is absent. */
  parse(name: string, h: XmlHandler): boolean {
    const e = this.get(name);
    if (!e) return false;
    const feeder = new XmlFeeder(h, e.name);
    let bytes: Uint8Array | undefined;
    streamPartText(this.data, e, this.budget, (t) => feeder.feed(t), this.keep && ((b) => (bytes = b)));
    feeder.finish();
    if (bytes) this.keep?.set(e.name, bytes);
    return true;
  }
}

function readRels(pkg: Package, part: string): Relationship[] {
  const h = new RelsHandler();
  pkg.parse(relsPathOf(part), h);
  return h.rels;
}

/** What a reader's caller may ask for besides the grid. */
export interface ReadOptions {
  /**
   * Filled with the inflated bytes of every part read, by its name as stored (validate -o hands
   * them to the marked copy, which then inflates nothing the read already did). Only parts read
   * whole and well-formed are given.
   */
  parts?: Map<string, Uint8Array>;
}

async function readPackage(data: Uint8Array, limits: ReadLimits, file: string, opts: ReadOptions = {}): Promise<WorkbookGrid> {
  if (data.length > limits.maxFileBytes) {
    const mb = Math.round(limits.maxFileBytes / 1024 / 1024);
    throw new Unusable(`文件超过 ${mb} MB 上限`, `the file is larger than the ${mb} MB limit`);
  }
  const isZip = startsWith(data, [0x50, 0x4b, 0x03, 0x04]) || startsWith(data, [0x50, 0x4b, 0x05, 0x06]);
  if (!isZip) throw identifyNonZip(data);
  const pkg = new Package(data, readZipDirectory(data), limits, opts.parts);

  // Where is the workbook? The package relationships say; xl/workbook.xml is the usual answer.
  let workbookPart = 'xl/workbook.xml';
  const rootRels = new RelsHandler();
  if (pkg.parse('_rels/.rels', rootRels)) {
    const doc = rootRels.rels.find((r) => /\/officeDocument$/.test(r.type));
    if (doc) workbookPart = resolveTarget('', doc.target);
  }
  if (!pkg.get(workbookPart)) {
    if (pkg.get('xl/workbook.bin')) {
      throw new Unusable('这是 Excel 二进制工作簿（.xlsb），请另存为 .xlsx', 'this is an Excel binary workbook (.xlsb); save it as .xlsx');
    }
    if (pkg.get('content.xml') && pkg.get('mimetype')) {
      throw new Unusable('这是 OpenDocument 表格（.ods），请另存为 Excel 工作簿（.xlsx）', 'this is an OpenDocument spreadsheet (.ods); save it as .xlsx');
    }
    if (pkg.get('word/document.xml')) {
      throw new Unusable(`这是 Word 文档，${NOT_XLSX_ZH}`, `this is a Word document, ${NOT_XLSX_EN}`);
    }
    throw new Unusable('压缩包中没有 xl/workbook.xml，不是 Excel 工作簿（.xlsx）', 'the zip has no xl/workbook.xml: not an Excel workbook (.xlsx)');
  }
  const baseDir = workbookPart.substring(0, workbookPart.lastIndexOf('/') + 1);
  const rels = readRels(pkg, workbookPart);
  const relById = new Map(rels.map((r) => [r.id, r]));
  const relOfType = (suffix: string) => rels.find((r) => r.type.endsWith(suffix));

  const wb = new WorkbookHandler();
  pkg.parse(workbookPart, wb);
  if (!wb.sawWorkbook) throw corrupt('no <workbook> element');

  const sheetParts = wb.sheets.map((s, i) => {
    const rel = relById.get(s.relId);
    if (rel) return { ref: s, part: !rel.external && /\/worksheet$/.test(rel.type) ? resolveTarget(baseDir, rel.target) : undefined };
    // no relationship (a damaged or hand-made package): the conventional part name, when present
    const guess = `${baseDir}worksheets/sheet${i + 1}.xml`;
    return { ref: s, part: pkg.get(guess) ? guess : undefined };
  });
  const stylesRel = relOfType('/styles');
  const sstRel = relOfType('/sharedStrings');
  const stylesPart = stylesRel ? resolveTarget(baseDir, stylesRel.target) : `${baseDir}styles.xml`;
  const sstPart = sstRel ? resolveTarget(baseDir, sstRel.target) : `${baseDir}sharedStrings.xml`;

  // Declared sizes first: a zip bomb that admits its size is refused before anything is inflated.
  const toRead = [stylesPart, sstPart, 'docProps/core.xml', 'docProps/custom.xml', ...sheetParts.map((s) => s.part)];
  let declared = pkg.budget.used;
  for (const name of toRead) {
    const e = name ? pkg.get(name) : undefined;
    if (!e) continue;
    checkDeclared(e, { used: declared, limits });
    declared += e.size;
  }

  const styles = new StylesHandler();
  pkg.parse(stylesPart, styles);
  const dateStyles = styles.dateStyles();
  const sst = new SharedStringsHandler(limits);
  pkg.parse(sstPart, sst);

  const sheets: SheetGrid[] = [];
  for (const { ref, part } of sheetParts) {
    if (!part) continue; // chart sheets, dialog sheets, macro sheets
    // let other work (a server's other requests) run between sheets
    await new Promise<void>((r) => (typeof setImmediate === 'function' ? setImmediate(r) : setTimeout(r, 0)));
    const h = new SheetHandler(ref.name, sst.strings, dateStyles, wb.date1904, limits);
    if (!pkg.parse(part, h)) throw corrupt(`sheet "${ref.name}" (${part}) is missing`);
    const grid: SheetGrid = { name: ref.name, rows: h.finish() };
    if (h.merges.length) grid.merges = h.merges;
    if (ref.state === 'hidden' || ref.state === 'veryHidden') grid.hidden = true;
    sheets.push(grid);
  }

  const core = new PropsHandler(false);
  pkg.parse('docProps/core.xml', core);
  const custom = new PropsHandler(true);
  pkg.parse('docProps/custom.xml', custom);
  const out: WorkbookGrid = { file, sheets, properties: buildProperties(core.values, custom.values) };
  if (wb.date1904) out.date1904 = true;
  return out;
}

/** Workbook properties as `WorkbookGrid.properties` (shared with exceljs-grid). */
export function buildProperties(core: Record<string, string | undefined>, custom: Record<string, string | undefined> = {}): NonNullable<WorkbookGrid['properties']> {
  const props: NonNullable<WorkbookGrid['properties']> = {};
  for (const k of ['title', 'subject', 'keywords', 'category', 'creator', 'description'] as const) {
    const v = core[k];
    if (typeof v === 'string' && v !== '') props[k] = v;
  }
  const fromKeywords = parseFormKeywords(core.keywords);
  if (fromKeywords.formId) props.formId = fromKeywords.formId;
  if (fromKeywords.templateVersion) props.templateVersion = fromKeywords.templateVersion;
  for (const [k, v] of Object.entries(custom)) {
    if (typeof v === 'string' && v !== '' && k !== '') props[k] = v;
  }
  return props;
}

/**
 * Reads an xlsx workbook into the plain grid. Throws `UnusableInputError` for anything that is not
 * a readable, reasonable xlsx (see `ReadLimits`).
 */
export async function readXlsx(data: Uint8Array, file: string, limits?: Partial<ReadLimits>, opts?: ReadOptions): Promise<WorkbookGrid> {
  const lim = resolveLimits(limits);
  try {
    return await readPackage(data, lim, file, opts);
  } catch (e) {
    if (e instanceof Unusable) throw unusable(file, e);
    if (e instanceof UnusableInputError) throw e;
    if (e instanceof RangeError) {
      // V8's own limits (string or array length): the file is far beyond anything a form holds.
      throw new UnusableInputError(file, '文件内容过大，无法读取', `the workbook is too large to read (${e.message})`);
    }
    const c = corrupt((e as Error)?.message);
    throw unusable(file, c);
  }
}

/** Reads an xlsx file from disk (see `readXlsx`). */
export async function readXlsxFile(path: string, limits?: Partial<ReadLimits>): Promise<WorkbookGrid> {
  const lim = resolveLimits(limits);
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new UnusableInputError(path, '这是文件夹，不是 Excel 工作簿文件', 'this is a folder, not a workbook file');
    size = st.size;
  } catch (e) {
    if (e instanceof UnusableInputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UnusableInputError(path, '文件不存在', 'file not found');
    throw new UnusableInputError(path, '无法打开文件', `cannot open the file (${code ?? (e as Error).message})`);
  }
  if (size > lim.maxFileBytes) {
    const mb = Math.round(lim.maxFileBytes / 1024 / 1024);
    throw new UnusableInputError(path, `文件超过 ${mb} MB 上限`, `the file is larger than the ${mb} MB limit`);
  }
  let data: Uint8Array;
  try {
    data = await readFile(path);
  } catch (e) {
    throw new UnusableInputError(path, '无法读取文件', `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return readXlsx(data, path, lim);
}
