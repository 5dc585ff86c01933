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
