/**
 * The project's streaming xlsx writer (shared/xlsx/write.ts): what it writes is read back by
 * exceljs and opened by Gnumeric without complaint — notes, internal links, list validations,
 * merges, frozen rows, inline and shared strings, and text that looks like a formula stays text.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { defaultRuleSet } from '../../shared/rules';
import { SUBMISSION_SHEETS, writeSubmission } from '../../shared/xlsx/submission';
import { XlsxWriter } from '../../shared/xlsx/write';
import { makeConsolidation } from './write-fixtures';

async function build(): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (d: Buffer) => chunks.push(d));
  const wb = new XlsxWriter(sink, { creator: '测试' });
  const head = wb.style({ font: { name: '宋体', bold: true }, fill: 'FFD9E1F2', border: true, horizontal: 'center' });
  const num = wb.style({ numFmt: '#,##0.00', border: true });
  const ws = wb.addSheet('表一', { widths: [20, 14, 30], frozenRows: 1, print: { titleRows: [1, 1] } });
  ws.row(['宗地代码', '面积', '说明'], head);
  ws.row(['120102001002GB00001', 1234.5, '=HYPERLINK("http://x")'], [0, num, 0], undefined, [false, false, true]);
  ws.row(['+1', -2, ' 前后有空格 '], [0, num, 0]);
  ws.row(['@SUM(A1)', null, 'A&B <c> _x000D_'], 0);
  ws.merge(5, 1, 5, 3);
  ws.row(['合并'], 0);
  ws.note(2, 1, '这是批注');
  ws.internalLink(3, 1, "'表二'!A1", '表二');
  ws.listValidation({ sqref: 'B2:B10', values: ['是', '否'], error: '请选择' });
  await ws.end();
  const ws2 = wb.addSheet('表二');
  ws2.row(['宗地代码'], 0);
  await ws2.end();
  await wb.close();
  return Buffer.concat(chunks);
}

test('read back by exceljs: values, text stays text, notes, links, validations, merges, frozen header', async () => {
  const buf = await build();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  const ws = wb.getWorksheet('表一')!;
  expect(ws.getCell('A2').value).toBe('120102001002GB00001');
  expect(ws.getCell('B2').value).toBe(1234.5);
  expect(ws.getCell('B2').numFmt).toBe('#,##0.00');
  for (const a of ['C2', 'A3', 'A4']) expect(ws.getCell(a).type).toBe(ExcelJS.ValueType.String);
  expect(ws.getCell('C2').value).toBe('=HYPERLINK("http://x")');
  expect(ws.getCell('C3').value).toBe(' 前后有空格 ');
  expect(ws.getCell('C4').value).toBe('A&B <c> _x000D_');
  expect(ws.getCell('A1').font).toMatchObject({ name: '宋体', bold: true });
  expect(ws.getCell('B5').isMerged).toBe(true);
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(ws.getCell('A2').note).toBeDefined();
  expect(JSON.stringify(ws.getCell('A2').note)).toContain('这是批注');
  const files = unzipSync(new Uint8Array(buf));
  const sheet = strFromU8(files['xl/worksheets/sheet1.xml']);
  expect(sheet).not.toMatch(/<f[ >]/);
  expect(sheet).toContain('<hyperlink ref="A3" location="\'表二\'!A1" display="表二"/>');
  expect(sheet).toContain('<formula1>"是,否"</formula1>');
  expect(strFromU8(files['xl/workbook.xml'])).toContain('<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;表一&apos;!$1:$1</definedName>');
});

const noGnumeric = spawnSync('ssconvert', ['--version'], { stdio: 'ignore' }).status === 0 ? null : 'ssconvert not installed (apt: gnumeric)';
if (noGnumeric) console.log(`Gnumeric test skipped: ${noGnumeric}`);

(noGnumeric ? test.skip : test)('Gnumeric opens the writer\'s workbook and the submission workbook without a warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gnumeric-'));
  try {
    writeFileSync(join(dir, 'a.xlsx'), await build());
    await writeSubmission(makeConsolidation(12), defaultRuleSet(), join(dir, 'sub.xlsx'), { generatedAt: new Date(2023, 0, 5) });
    for (const f of ['a', 'sub']) {
      const r = spawnSync('ssconvert', ['-S', join(dir, `${f}.xlsx`), join(dir, `${f}-%s.csv`)], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(0);
      // Gnumeric reads the comments part and says so of the VML shape of every note (Excel's own too)
      expect(r.stderr.trim().split('\n').filter((l) => l && l !== 'Unhandled object of type Note')).toEqual([]);
    }
    const csv = readdirSync(dir).filter((x) => x.startsWith('sub-')).map((x) => x.slice(4, -4));
    expect(csv.sort()).toEqual([...SUBMISSION_SHEETS].sort());
    expect(readFileSync(join(dir, 'a-表一.csv'), 'utf8')).toContain('=HYPERLINK');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

/** The sheet XML of a one-sheet workbook whose rows `fill` writes. */
async function sheetXml(fill: (ws: ReturnType<XlsxWriter['addSheet']>, wb: XlsxWriter) => void | Promise<void>): Promise<{ sheet: string; shared: string }> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (d: Buffer) => chunks.push(d));
  const wb = new XlsxWriter(sink);
  const ws = wb.addSheet('表');
  await fill(ws, wb);
  await ws.end();
  await wb.close();
  const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
  return { sheet: strFromU8(files['xl/worksheets/sheet1.xml']), shared: strFromU8(files['xl/sharedStrings.xml']) };
}

test('cells are written as Excel reads them: numbers as JavaScript writes them, blanks left out but styled blanks kept, references after a gap', async () => {
  const numbers = [0, -0, 7, -42, 2147483647, 2147483648, 4294967296 * 3 + 5, 999999999999999, 1e15, -1e15 - 2, 1e21, 0.1 + 0.2, -1.5e-7, 16.996650000000002, 12345.678];
  const { sheet } = await sheetXml((ws, wb) => {
    const st = wb.style({ border: true });
    ws.row(numbers, 0);
    ws.row([null, '', 'x', NaN, Infinity, 3], [0, st, 0, 0, st, 0], 22.5, true);
  });
  const row1 = sheet.match(/<row r="1">(.*?)<\/row>/)![1];
  const cells = [...row1.matchAll(/<c r="([A-Z]+)1"><v>([^<]*)<\/v><\/c>/g)];
  expect(cells.map((m) => m[2])).toEqual(numbers.map((n) => String(n)));
  expect(cells.map((m) => m[1])).toEqual(numbers.map((_, i) => String.fromCharCode(65 + i)));
  expect(row1).toBe(cells.map((m) => m[0]).join(''));
  // A2 blank and unstyled: left out; B2 a styled blank; D2 NaN unstyled: left out; E2 Infinity styled: a styled blank
  expect(sheet).toContain('<row r="2" ht="22.5" customHeight="1"><c r="B2" s="1"/><c r="C2" t="inlineStr"><is><t>x</t></is></c><c r="E2" s="1"/><c r="F2"><v>3</v></c></row>');
});

test('rows past the writer\'s buffers: every cell read back as written, CJK and escaped text across the boundaries', async () => {
  // about 6 MB of sheet XML, each row of mixed text (one-off and shared), numbers and styled blanks,
  // a few rows of one very long text: the buffer is filled and handed on in the middle of rows
  // a row of long texts is larger than what the buffer holds past its hand-over mark (the row is cut)
  const cjk = '长'.repeat(32000) + '"';
  const amps = '&'.repeat(31990) + '<中>';
  const rowOf = (i: number): (string | number | null)[] => i % 997 === 0
    ? [i, amps, cjk.slice(i % 7), amps.slice(i % 3), amps.slice(1), amps.slice(i % 5)]
    : [i, `宗地${i}：${'调查'.repeat(i % 40)}`, i % 3 === 0 ? 'A&B <c>' : null, i * 1.25, `共享${i % 50}`, ' 前后空格 '];
  const N = 20_000;
  const { sheet, shared } = await sheetXml((ws, wb) => {
    const st = wb.style({ border: true });
    for (let i = 0; i < N; i++) ws.row(rowOf(i), [0, 0, st, 0, 0, 0], undefined, i % 997 === 0 ? true : [false, true, true, false, false, true]);
  });
  const unescape = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const sst = [...shared.matchAll(/<si><t(?: xml:space="preserve")?>([^<]*)<\/t><\/si>/g)].map((m) => unescape(m[1]));
  expect(Buffer.byteLength(sheet)).toBeGreaterThan(4 * 1024 * 1024);
  const rows = [...sheet.matchAll(/<row r="(\d+)">(.*?)<\/row>/g)];
  expect(rows.map((m) => Number(m[1]))).toEqual(Array.from({ length: N }, (_, i) => i + 1));
  // each row's cells parsed back (reference, style, type, value) and compared with what was written
  const cell = /<c r="([A-Z]+)(\d+)"( s="\d+")?(?: t="(s|inlineStr)")?(?:\/>|>(?:<v>([^<]*)<\/v>|<is><t(?: xml:space="preserve")?>([^<]*)<\/t><\/is>)<\/c>)/g;
  const bad: string[] = [];
  rows.forEach((m, i) => {
    const got = [...m[2].matchAll(cell)];
    if (got.map((c) => c[0]).join('') !== m[2]) bad.push(`row ${i + 1}: markup not all cells`);
    const want = rowOf(i);
    if (got.length !== 6) bad.push(`row ${i + 1}: ${got.length} cells`);
    for (const c of got) {
      const v = want[c[1].charCodeAt(0) - 65];
      const back = c[4] === 's' ? sst[Number(c[5])] : c[4] === 'inlineStr' ? unescape(c[6]) : c[5] !== undefined ? Number(c[5]) : c[3] === ' s="1"' ? null : 'unstyled blank';
      if (Number(c[2]) !== i + 1 || back !== v) bad.push(`${c[1]}${i + 1}: ${String(back).slice(0, 40)}`);
    }
  });
  expect(bad.slice(0, 10)).toEqual([]);
}, 60_000);

test('shared strings: each text once in the table, every cell referring to its own text, the count of references right', async () => {
  const rowOf = (i: number) => [i % 3 === 0 ? '街道甲' : '街道乙', i < 5 ? '同一' : `第${i >> 1}组`, '同一'];
  const { sheet, shared } = await sheetXml((ws) => {
    for (let i = 0; i < 40; i++) ws.row(rowOf(i), 0);
  });
  const sst = [...shared.matchAll(/<si><t>([^<]*)<\/t><\/si>/g)].map((m) => m[1]);
  expect(new Set(sst).size).toBe(sst.length);
  const refs = [...sheet.matchAll(/<c r="([A-Z])(\d+)" t="s"><v>(\d+)<\/v><\/c>/g)];
  expect(refs).toHaveLength(120);
  for (const m of refs) expect(sst[Number(m[3])]).toBe(rowOf(Number(m[2]) - 1)[m[1].charCodeAt(0) - 65]);
  expect(shared).toContain(`count="120" uniqueCount="${sst.length}"`);
});
