/**
 * Unusable inputs (interfaces.md): exactly one stderr line naming the file and the reason in
 * Chinese and English, exit 2, no stack trace, and nothing written — not even half-way.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { join } from 'node:path';
import { writeSampleWorkbooks } from '../../shared/sample';
import { buildCli, craftXlsx, encryptedWorkbookBytes, inTempDir, listAll, manyRowsSheet, removeDir, runCli, sheetXml, tempDir } from './helpers';

let dir: string;
let baseFile: string;
let industrialFile: string;

beforeAll(async () => {
  buildCli();
  dir = tempDir('bad-');
  const w = await writeSampleWorkbooks(join(dir, 'sample'));
  baseFile = w.files.find((f) => f.endsWith('地块底图表.xlsx')) as string;
  industrialFile = w.files.find((f) => f.endsWith('低效工业调查表.xlsx')) as string;
});
afterAll(() => removeDir(dir));

/** Bad inputs, each made as its own file: [name, what the reason must mention, bytes]. */
const cases: [string, RegExp, () => Uint8Array][] = [
  ['说明.xlsx', /xlsx|Excel/i, () => new TextEncoder().encode('这不是 Excel 文件，只是一段文字。\nnot a workbook\n')],
  ['截断.xlsx', /./, () => {
    const full = readFileSync(industrialFile);
    return full.subarray(0, Math.floor(full.length / 2));
  }],
  ['加密.xlsx', /密码|password/i, encryptedWorkbookBytes],
  ['无表单.xlsx', /表|form/i, () => craftXlsx(sheetXml([['姓名', '电话', '地址'], ['张三', '13800000000', '十一经路1号']]))],
  ['一百万行.xlsx', /行|rows?/i, () => craftXlsx(manyRowsSheet(1_000_000), 1)],
  ['标签未闭合.xlsx', /XML.*格式错误.*not well-formed/, () => craftXlsx(sheetXml([['宗地代码', '街道'], ['120102001002GB00001', '大王庄街道']]).replace('</t></is></c><c r="B2"', '</t></is><c r="B2"'))],
  ['含DTD.xlsx', /DTD.*DOCTYPE\/ENTITY/, () => craftXlsx(sheetXml([['宗地代码', '街道']]).replace('?>', '?><!DOCTYPE worksheet [<!ENTITY a "宗地">]>'))],
  ['超长单元格.xlsx', /字符|char/i, () => craftXlsx(sheetXml([['宗地代码', '街道'], ['x'.repeat(100_000), '大王庄街道']]))],
];

function expectOneCleanLine(r: ReturnType<typeof runCli>, name: string, reason: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.errLines).toHaveLength(1);
  const line = r.errLines[0];
  expect(line).toContain(name);
  expect(line).toMatch(reason);
  expect(line).toMatch(/[\u4e00-\u9fa5]/); // Chinese
  expect(line).toMatch(/ \/ .*[a-z]{3,}/); // … / English
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe.each(cases)('%s', (name, reason, make) => {
  let work: string;
  let bad: string;
  beforeAll(() => {
    work = tempDir('case-');
    bad = join(work, name);
    writeFileSync(bad, make());
    copyFileSync(baseFile, join(work, 'base.xlsx'));
  });
  afterAll(() => removeDir(work));

  test('consolidate: one line, exit 2, no submission, no JSON, no temp file', () => {
    const r = runCli(['consolidate', join(work, 'base.xlsx'), bad, '-o', join(work, 'out.xlsx'), '--json', join(work, 'out.json')]);
    expectOneCleanLine(r, name, reason);
    expect(r.stdout).toBe('');
    expect(listAll(work)).toEqual(['base.xlsx', name].sort());
  });

  test('validate: one line, exit 2, no marked copy, no report', () => {
    const r = runCli(['validate', bad, '-o', join(work, 'checked.xlsx'), '--json', join(work, 'report.json')]);
    expectOneCleanLine(r, name, reason);
    expect(listAll(work)).toEqual(['base.xlsx', name].sort());
  });
});

test('validate -o: a part the reader does not read (chart, properties, comments) that is not well-formed or declares a DTD is refused too: exit 2, no copy', () => {
  const parts = unzipSync(new Uint8Array(readFileSync(industrialFile)));
  const chart = '<?xml version="1.0" encoding="UTF-8"?><c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart/></c:chartSpace>';
  const variants: [string, Record<string, string>, RegExp][] = [
    ['图表DTD.xlsx', { 'xl/charts/chart1.xml': chart.replace('?>', '?><!DOCTYPE c [<!ENTITY x "y">]>') }, /DTD.*xl\/charts\/chart1\.xml/],
    ['属性残缺.xlsx', { 'docProps/app.xml': '<?xml version="1.0"?><Properties><Application>Microsoft Excel</Properties>' }, /XML.*格式错误.*docProps\/app\.xml/],
    ['批注残缺.xlsx', { 'xl/comments9.xml': '<?xml version="1.0"?><comments><commentList><comment ref="A1"></commentList></comments>' }, /XML.*格式错误.*xl\/comments9\.xml/],
  ];
  inTempDir('unread-parts-', (work) => {
    // the same extra part, well-formed: the copy is written
    const good = join(work, '好图表.xlsx');
    writeFileSync(good, zipSync({ ...parts, 'xl/charts/chart1.xml': strToU8(chart) }));
    expect(runCli(['validate', good, '-o', join(work, 'good-out.xlsx')]).code).toBe(1);
    for (const [name, extra, reason] of variants) {
      const bad = join(work, name);
      const files = { ...parts };
      for (const [k, v] of Object.entries(extra)) files[k] = strToU8(v);
      writeFileSync(bad, zipSync(files));
      const out = join(work, `out-${name}`);
      expectOneCleanLine(runCli(['validate', bad, '-o', out]), name, reason);
      expect(listAll(work)).not.toContain(`out-${name}`);
    }
  });
});

test('a file that does not exist, and a folder given to validate', () => {
  const missing = join(dir, '不存在.xlsx');
  const r = runCli(['consolidate', missing, '-o', join(dir, 'o.xlsx')]);
  expectOneCleanLine(r, '不存在.xlsx', /不存在|no such|not found/);
  const v = runCli(['validate', dir]);
  expectOneCleanLine(v, dir, /文件夹|folder/);
});

test('a bad file in a folder of good ones stops the whole run: nothing written', () => {
  const work = tempDir('mixed-');
  try {
    copyFileSync(baseFile, join(work, 'a-base.xlsx'));
    copyFileSync(industrialFile, join(work, 'b-industrial.xlsx'));
    writeFileSync(join(work, 'c-broken.xlsx'), 'PK\u0003\u0004 broken');
    const r = runCli(['consolidate', work, '-o', join(work, 'out.xlsx'), '--json', '-']);
    expectOneCleanLine(r, 'c-broken.xlsx', /./);
    expect(r.stdout).toBe('');
    expect(listAll(work)).toEqual(['a-base.xlsx', 'b-industrial.xlsx', 'c-broken.xlsx']);
  } finally {
    removeDir(work);
  }
});

test('a JSON report that cannot be written (written in pieces) takes the marked copy with it: exit 2, nothing written', () => {
  const work = tempDir('unwritable-json-');
  try {
    writeFileSync(join(work, 'not-a-folder'), 'a file where the report folder should be');
    const json = join(work, 'not-a-folder', 'r.json');
    const r = runCli(['validate', industrialFile, '-o', join(work, 'marked.xlsx'), '--json', json]);
    expectOneCleanLine(r, json, /无法写出.*cannot write/);
    expect(listAll(work)).toEqual(['not-a-folder']); // no marked copy, no temp file left
  } finally {
    removeDir(work);
  }
});

test('an output that cannot be written: one line naming it, exit 2, nothing else written', () => {
  const work = tempDir('unwritable-');
  try {
    writeFileSync(join(work, 'not-a-folder'), 'a file where the output folder should be');
    const out = join(work, 'not-a-folder', 'out.xlsx');
    const r = runCli(['consolidate', baseFile, '-o', out, '--json', join(work, 'r.json')]);
    expectOneCleanLine(r, out, /无法写出.*cannot write/);
    expect(listAll(work)).toEqual(['not-a-folder']);
  } finally {
    removeDir(work);
  }
});

test('a place that takes no new files (a /proc folder): the output named, exit 2, not an internal error', () => {
  inTempDir('proc-', (work) => {
    const r = runCli(['consolidate', baseFile, '-o', '/proc/out.xlsx', '--json', join(work, 'r.json')]);
    expectOneCleanLine(r, '/proc/out.xlsx', /无法写出.*cannot write/);
    expect(r.errLines[0]).not.toMatch(/\.tmp|内部错误|internal error/);
    expect(listAll(work)).toEqual([]);
  });
});

test("Excel's lock file (~$…) given by mistake: said to be one, with the workbook's own name", () => {
  inTempDir('lock-', (work) => {
    const lock = join(work, '~$工业调查表.xlsx');
    writeFileSync(lock, Buffer.concat([Buffer.from([0x06]), Buffer.from('张三', 'utf16le'), Buffer.alloc(150, 0x20)]));
    const r = runCli(['validate', lock]);
    expectOneCleanLine(r, lock, /临时锁定文件.*“工业调查表\.xlsx”.*lock file/);
  });
});
