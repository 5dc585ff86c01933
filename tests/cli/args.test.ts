/** The hand-written argument parser and the option checks that do not need a workbook. */
import { parseArgs, UsageError, type OptionSpec } from '../../cli/args';
import { isRealIsoDate, loadRuleSet } from '../../cli/common';
import { expandInputs } from '../../cli/consolidate';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, tempDir } from './helpers';

const specs: OptionSpec[] = [
  { key: 'output', names: ['-o', '--output'], value: true },
  { key: 'json', names: ['--json'], value: true },
  { key: 'flag', names: ['--flag'], value: false },
];

describe('parseArgs', () => {
  test('positionals, short and long options, --name=value, and "-" as a value', () => {
    const p = parseArgs(['a.xlsx', '-o', 'out.xlsx', 'b.xlsx', '--json', '-', '--flag'], specs);
    expect(p.positional).toEqual(['a.xlsx', 'b.xlsx']);
    expect(p.options).toEqual({ output: 'out.xlsx', json: '-', flag: true });
    expect(parseArgs(['--output=x.xlsx', '--json=r.json'], specs).options).toEqual({ output: 'x.xlsx', json: 'r.json' });
  });

  test('"--" ends the options (a file may start with a dash)', () => {
    expect(parseArgs(['--', '-odd.xlsx'], specs).positional).toEqual(['-odd.xlsx']);
  });

  test('help anywhere', () => {
    expect(parseArgs(['x', '--help'], specs).help).toBe(true);
    expect(parseArgs(['-h'], specs).help).toBe(true);
  });

  test.each([
    [['--nope'], /未知选项 --nope/],
    [['-o'], /缺少取值/],
    [['-o', '--json', 'x'], /缺少取值/],
    [['-o', 'a', '-o', 'b'], /重复/],
    [['--flag=1'], /不带取值/],
  ])('%j is a usage error with a Chinese and English reason', (argv, re) => {
    let err: unknown;
    try {
      parseArgs(argv, specs);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).zh).toMatch(re);
    expect((err as UsageError).en).toMatch(/[a-z]/);
  });
});

describe('option values', () => {
  test('evaluation dates must be real calendar dates', () => {
    expect(isRealIsoDate('2022-12-31')).toBe(true);
    expect(isRealIsoDate('2024-02-29')).toBe(true);
    expect(isRealIsoDate('2023-02-29')).toBe(false);
    expect(isRealIsoDate('2022-1-5')).toBe(false);
    expect(isRealIsoDate('20221231')).toBe(false);
    expect(loadRuleSet(undefined, '2023-06-30').evaluationDate).toBe('2023-06-30');
    expect(() => loadRuleSet(undefined, '2023-13-01')).toThrow(UsageError);
  });

  describe('expandInputs', () => {
    let dir: string;
    beforeAll(() => {
      dir = tempDir('expand-');
      mkdirSync(join(dir, 'in'));
      for (const n of ['b.xlsx', 'a.xlsx', '~$a.xlsx', '.hidden.xlsx', 'notes.txt', 'C.XLSX', 'out.xlsx']) writeFileSync(join(dir, 'in', n), 'x');
      writeFileSync(join(dir, 'single.xlsx'), 'x');
    });
    afterAll(() => removeDir(dir));

    test('a folder gives its .xlsx files by name, without lock files, hidden files or the output', () => {
      const files = expandInputs([join(dir, 'in')], join(dir, 'in', 'out.xlsx'));
      expect(files.map((f) => f.slice(join(dir, 'in').length + 1))).toEqual(['C.XLSX', 'a.xlsx', 'b.xlsx']);
    });

    test('files keep the order given; a file given twice is read once', () => {
      const single = join(dir, 'single.xlsx');
      const files = expandInputs([single, join(dir, 'in'), single], null);
      expect(files[0]).toBe(single);
      expect(files.filter((f) => f === single)).toHaveLength(1);
      expect(files).toContain(join(dir, 'in', 'out.xlsx'));
    });

    test("a folder's files of other table formats are taken (to be refused as what they are); subfolders are named, not read", () => {
      mkdirSync(join(dir, 'mixed'));
      mkdirSync(join(dir, 'mixed', '街道'));
      for (const n of ['base.xlsx', '工业.xls', '工业.csv', 'notes.txt', '说明.docx']) writeFileSync(join(dir, 'mixed', n), 'x');
      const notices: string[] = [];
      const files = expandInputs([join(dir, 'mixed')], null, (zh) => notices.push(zh));
      expect(files.map((f) => f.slice(join(dir, 'mixed').length + 1))).toEqual(['base.xlsx', '工业.csv', '工业.xls']);
      expect(notices).toEqual([`未读取子文件夹“${join(dir, 'mixed', '街道')}”：只读取所给文件夹本层的文件`]);
    });

    test('a missing path or a folder without workbooks is an unusable input', () => {
      expect(() => expandInputs([join(dir, 'nope.xlsx')], null)).toThrow(/不存在/);
      mkdirSync(join(dir, 'empty'));
      expect(() => expandInputs([join(dir, 'empty')], null)).toThrow(/没有 \.xlsx/);
    });
  });
});
