/** `land-survey compare` end to end: the workbook, the JSON, and what is not a determination. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { compareDeterminations } from '../../shared/pilot/compare';
import { COMPARE_SHEETS } from '../../shared/pilot/compare-xlsx';
import { buildCli, listAll, removeDir, runCli, tempDir } from '../cli/helpers';
import { comparePair } from './fixtures';

let dir: string;
let oldFile: string;
let newFile: string;

beforeAll(() => {
  buildCli();
  dir = tempDir('compare-');
  const { older, newer } = comparePair();
  oldFile = join(dir, 'old.json');
  newFile = join(dir, 'new.json');
  writeFileSync(oldFile, JSON.stringify(older));
  writeFileSync(newFile, JSON.stringify(newer));
});
afterAll(() => removeDir(dir));

function rowsOf(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
  return out;
}

test('writes the formatted comparison workbook and the JSON of the same figures', async () => {
  const xlsx = join(dir, 'change.xlsx');
  const json = join(dir, 'change.json');
  const r = runCli(['compare', oldFile, newFile, '-o', xlsx, '--json', json]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('退出低效（盘活成效）1 宗 15.00 亩');
  const { older, newer } = comparePair();
  expect(JSON.parse(require('node:fs').readFileSync(json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(compareDeterminations(older, newer))));

  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsx);
  expect(wb.worksheets.map((w) => w.name)).toEqual([...COMPARE_SHEETS]);
  const sum = wb.getWorksheet('变化汇总')!;
  const rows = rowsOf(sum);
  expect(rows.find((x) => x[0] === '退出低效（盘活成效）')).toEqual(['退出低效（盘活成效）', 1, 10000, 15]);
  expect(rows.find((x) => x[0] === '新增低效')).toEqual(['新增低效', 1, 6000, 9]);
  // 低效 → 待核实/不参评 has its own line and columns (none in this pair), never inside 退出低效
  expect(rows.find((x) => x[0] === '原低效、现待核实或不参评（未计入退出）')).toEqual(['原低效、现待核实或不参评（未计入退出）', 0, 0, 0]);
  expect(rows.find((x) => x[0] === '街道')).toContain('转待核实宗数');
  // by street: 大王庄 −19000 m² = −28.5 亩
  expect(rows.find((x) => x[0] === '大王庄街道')?.slice(-1)).toEqual([-28.5]);
  expect(sum.getCell('A1').font?.name).toBe('宋体');
  expect(sum.pageSetup.orientation).toBe('landscape');
  expect(sum.headerFooter.oddFooter).toContain('第 &P 页 共 &N 页');

  const left = rowsOf(wb.getWorksheet('退出低效')!);
  expect(left.slice(3).map((x) => x[0])).toEqual(['A']);
  const only = rowsOf(wb.getWorksheet('仅一次认定')!).slice(3).map((x) => [x[0], x[3]]);
  expect(only).toEqual([['G', '仅在新认定中'], ['F', '仅在原认定中']]);
  const each = wb.getWorksheet('宗地对比')!;
  expect(each.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
  const a = rowsOf(each).find((x) => x[0] === 'A')!;
  expect(a.slice(3, 8)).toEqual(['退出低效', '低效', '非低效', undefined, 'IND-PLOT、IND-TAX']);
});

test('--json - writes the comparison to stdout', () => {
  const r = runCli(['compare', oldFile, newFile, '-o', join(dir, 'c2.xlsx'), '--json', '-']);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).totals.became.area).toBe(6000);
});

test.each([
  ['not JSON', '{"ruleSet":', /不是有效的 JSON/],
  ['another shape (a ledger JSON)', JSON.stringify({ asOf: '2026-12-31', projects: [], overdue: [], units: [], issues: [] }), /不是认定结果/],
  ['a parcel with an unknown result', JSON.stringify({ ...comparePair().older, parcels: [{ ...comparePair().older.parcels[0], result: '很低效' }] }), /parcels\.0\.result/],
])('%s is an unusable input: exit 2, one line naming the file, nothing written', (_label, text, message) => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, text);
  const out = join(dir, 'bad-out.xlsx');
  const before = listAll(dir);
  const r = runCli(['compare', oldFile, bad, '-o', out]);
  expect(r.code).toBe(2);
  expect(r.errLines).toHaveLength(1);
  expect(r.errLines[0]).toContain('bad.json');
  expect(r.errLines[0]).toMatch(message);
  expect(existsSync(out)).toBe(false);
  expect(listAll(dir)).toEqual(before);
});

test('usage: two files and -o are required', () => {
  expect(runCli(['compare', oldFile, '-o', join(dir, 'x.xlsx')]).code).toBe(2);
  expect(runCli(['compare', oldFile, newFile]).code).toBe(2);
});
