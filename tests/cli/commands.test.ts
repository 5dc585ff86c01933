/**
 * The built `land-survey` command, run as a user runs it (node bin/land-survey.js …): every
 * command, its exit codes, its outputs and its JSON.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { consolidationResultSchema } from '../../shared/contract';
import { FORMS, getForm, type FormId } from '../../shared/forms';
import { ISSUE_LIST_TITLES } from '../../shared/issues/list';
import { recogniseSheets } from '../../shared/read';
import { writeSampleWorkbooks, type SampleData } from '../../shared/sample';
import { readXlsxFile } from '../../shared/xlsx/read';
import { buildCli, inTempDir, listAll, removeDir, ROOT, runCli, tempDir } from './helpers';

let dir: string;
let inputs: string;
let data: SampleData;
let files: string[];
const file = (name: string) => files.find((f) => f.endsWith(name)) as string;

beforeAll(async () => {
  buildCli();
  dir = tempDir('cmd-');
  inputs = join(dir, 'inputs');
  const w = await writeSampleWorkbooks(inputs);
  data = w.data;
  files = w.files;
});
afterAll(() => removeDir(dir));

describe('help and usage', () => {
  test('--help explains every command in Chinese and English, exit 0', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['template', 'validate', 'consolidate', 'demo']) expect(r.stdout).toContain(`land-survey ${cmd}`);
    expect(r.stdout).toMatch(/退出码/);
    expect(r.stdout).toMatch(/Exit codes/);
  });

  test.each([
    [['frobnicate'], /未知命令.*unknown command/],
    [['consolidate', 'x.xlsx', '-o', 'y.xlsx', '--colour'], /未知选项 --colour.*unknown option --colour/],
    [['consolidate', 'x.xlsx'], /-o/],
    [['template', 'nosuchform', '-o', 'x.xlsx'], /未知表单.*unknown form/],
    [['consolidate', 'x.xlsx', '-o', 'y.xlsx', '--evaluation-date', '2022-02-30'], /评价基准日.*evaluation date/],
  ])('%j: one clear line on stderr, exit 2', (args, re) => {
    const r = runCli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(re);
    expect(r.stdout).toBe('');
  });
});

describe('template', () => {
  test('all: one workbook per form, each recognised as its form by the reader', async () => {
    const out = join(dir, 'templates');
    mkdirSync(out);
    const r = runCli(['template', 'all', '-o', out]);
    expect(r.code).toBe(0);
    const written = listAll(out);
    expect(written).toHaveLength(FORMS.length);
    for (const f of FORMS) {
      const wb = await readXlsxFile(join(out, `${f.title}.xlsx`));
      expect(wb.properties?.formId).toBe(f.id);
      expect(recogniseSheets(wb).map((s) => s.form)).toEqual([f.id]);
    }
  });

  test('one form to a file, and the folder gets no temp files', async () => {
    const out = join(dir, 'one');
    mkdirSync(out);
    const r = runCli(['template', 'industrial', '-o', join(out, '工业.xlsx')]);
    expect(r.code).toBe(0);
    expect(listAll(out)).toEqual(['工业.xlsx']);
    expect((await readXlsxFile(join(out, '工业.xlsx'))).properties?.formId).toBe('industrial');
  });

  test('--base pre-fills the industrial template with the base map\'s industrial parcels only', async () => {
    const out = join(dir, 'prefilled.xlsx');
    const r = runCli(['template', 'industrial', '-o', out, '--base', file('地块底图表.xlsx')]);
    expect(r.code).toBe(0);
    const wb = await readXlsxFile(out);
    const cells = new Set(wb.sheets[0].rows.flat().filter((v): v is string => typeof v === 'string'));
    const industrialCodes = new Set(['0601', '0602', '0508']);
    for (const b of data.forms.base) {
      expect({ parcel: b.parcelId, listed: cells.has(b.parcelId as string) }).toEqual({ parcel: b.parcelId, listed: industrialCodes.has(b.landUseCode as string) });
    }
  });
});

describe('validate', () => {
  test('a messy workbook: exit 1, marked copy written, the report lists the issue codes', async () => {
    const checked = join(dir, 'checked.xlsx');
    const report = join(dir, 'report.json');
    const r = runCli(['validate', file('区产业发展促进局-低效工业调查表.xlsx'), '-o', checked, '--json', report]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/错误/);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.forms).toEqual([{ form: 'industrial', sheet: '工业企业', rows: expect.any(Number) }]);
    const codes = new Set(rep.issues.map((i: { code: string }) => i.code));
    for (const c of ['invalid-uscc', 'missing-value', 'footprint-exceeds-land', 'foreign-parcel', 'duplicate-key', 'unknown-column', 'inconsistent-plot-ratio', 'normalized-value']) expect(codes).toContain(c);
    // Cross-form codes need the base: not there without --base.
    expect(codes).not.toContain('parcel-not-in-base');
    expect(rep.counts.error).toBe(rep.issues.filter((i: { severity: string }) => i.severity === 'error').length);
    expect(rep.issues[0]).not.toHaveProperty('hint');
    const marked = await readXlsxFile(checked);
    expect(marked.sheets.map((s) => s.name)).toContain('问题清单');
    // the shared layout: header in row 3 (under title and counts), then every issue of the report, errors first
    const list = marked.sheets.find((s) => s.name === '问题清单')!;
    const at = (r: number) => list.rows[r - (list.firstRow ?? 1)] ?? [];
    expect(at(3).slice(0, ISSUE_LIST_TITLES.length)).toEqual([...ISSUE_LIST_TITLES]);
    const sev = ISSUE_LIST_TITLES.indexOf('严重程度');
    const listed = rep.issues.map((_: unknown, k: number) => at(4 + k)[sev]);
    expect(listed).toHaveLength(rep.issues.length);
    expect(listed.slice(0, rep.counts.error).every((s: unknown) => s === '错误')).toBe(true);
    expect(listed.slice(rep.counts.error).includes('错误')).toBe(false);
  });

  test('--base adds the cross-form issues; --json - prints the report on stdout only', () => {
    const r = runCli(['validate', file('区产业发展促进局-低效工业调查表.xlsx'), '--base', file('地块底图表.xlsx'), '--json', '-']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout);
    const codes = new Set(rep.issues.map((i: { code: string }) => i.code));
    expect(codes).toContain('parcel-not-in-base');
    expect(codes).toContain('category-mismatch');
    expect(r.stderr).toBe('');
  });

  test('a workbook holding the base map and a survey form is checked against its own base', async () => {
    const sheets = data.workbooks.flatMap((w) => w.sheets).filter((x) => x.form === 'base' || x.shape.sheetName === '工业企业');
    const work = join(dir, 'combined');
    await writeSampleWorkbooks(work, { data: { ...data, workbooks: [{ file: '合并.xlsx', department: '测试', sheets }] } });
    const r = runCli(['validate', join(work, '合并.xlsx'), '--json', '-']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout);
    expect(rep.forms.map((f: { form: string }) => f.form)).toEqual(['base', 'industrial']);
    expect(rep.issues.map((i: { code: string }) => i.code)).toContain('parcel-not-in-base');
    // Without a base anywhere, the summary says how to add the cross-form checks.
    const plain = runCli(['validate', file('区产业发展促进局-低效工业调查表.xlsx')]);
    expect(plain.stdout).toContain('--base');
  });

  test('a workbook with warnings but no error: exit 0', () => {
    const r = runCli(['validate', file('区城市管理委-低效设施调查表.xlsx'), '--json', '-']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.counts.error).toBe(0);
    expect(rep.issues.map((i: { code: string }) => i.code)).toContain('date-after-evaluation');
  });
});

describe('consolidate', () => {
  test('the sample folder: exit 0, submission workbook, --json - validates against the contract', async () => {
    const out = join(dir, '报送表.xlsx');
    const r = runCli(['consolidate', inputs, '-o', out, '--json', '-']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const result = consolidationResultSchema.parse(JSON.parse(r.stdout));
    expect(result.parcels).toHaveLength(data.forms.base.length);
    // Inputs: every sheet of every workbook, rows as written (nothing lost).
    const rowsWritten: Record<string, number> = {};
    // the survey sample (the pilot's forms are written by the demo's second part, not consolidated)
    for (const [form, rows] of Object.entries(data.forms)) if (getForm(form as FormId).kind !== 'pilot') rowsWritten[form] = rows.length;
    const rowsRead: Record<string, number> = {};
    for (const i of result.inputs) rowsRead[i.form] = (rowsRead[i.form] ?? 0) + i.rows;
    expect(rowsRead).toEqual(rowsWritten);
    const wb = await readXlsxFile(out);
    expect(wb.sheets.map((s) => s.name)).toEqual(expect.arrayContaining(['汇总', '认定结果', '低效用地数据库', '历史遗留用地数据库', '问题清单', '一宗一卡']));
    // A 问题描述 typed as "=厂房闲置…" comes out as that text, and no sheet holds a formula.
    const lookalike = data.forms.industrial.find((r) => typeof r.problemDesc === 'string' && r.problemDesc.startsWith('='))!.problemDesc as string;
    const texts = wb.sheets.flatMap((s) => s.rows.flat()).filter((v): v is string => typeof v === 'string');
    expect(texts).toContain(lookalike);
    const parts = unzipSync(readFileSync(out), { filter: (f) => f.name.startsWith('xl/worksheets/') });
    for (const [name, bytes] of Object.entries(parts)) expect({ name, formula: /<f[ >]/.test(strFromU8(bytes)) }).toEqual({ name, formula: false });
  });

  test('conservation per input: rows = rows used + rows only in the issue list, as the deliberate mistakes say', () => {
    const out = join(dir, 'c2.xlsx');
    const json = join(dir, 'c2.json');
    const r = runCli(['consolidate', ...files, '-o', out, '--json', json]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/宗地 \d+ 宗/);
    const result = JSON.parse(readFileSync(json, 'utf8'));
    const dropping = new Set(['invalid-uscc', 'missing-value', 'footprint-exceeds-land', 'foreign-parcel', 'parcel-not-in-base', 'duplicate-key', 'category-mismatch', 'vacancy-exceeds-floor-area', 'other-year', 'formula-error']);
    const expected: Record<string, number> = {};
    for (const m of data.mistakes) if (dropping.has(m.code)) expected[m.form] = (expected[m.form] ?? 0) + 1;
    const issueRows: Record<string, number> = {};
    for (const i of result.inputs) if (i.issueRows) issueRows[i.form] = (issueRows[i.form] ?? 0) + i.issueRows;
    expect(issueRows).toEqual(expected);
    // The files were given in this order: the inputs follow it (§8.7).
    expect([...new Set(result.inputs.map((i: { file: string }) => i.file))]).toEqual(files);
  });

  test('--evaluation-date and --rules are applied; the output inside the input folder is not read back', () => {
    const work = join(dir, 'rules-case');
    mkdirSync(work);
    for (const f of files) copyFileSync(f, join(work, f.slice(inputs.length + 1)));
    writeFileSync(join(work, '~$区税务局-企业纳税及行业亩均税收.xlsx'), 'lock file of an open workbook');
    const rules = JSON.parse(readFileSync(join(__dirname, '..', '..', 'shared', 'rules', 'hedong-default.json'), 'utf8'));
    rules.version = 'test-1';
    writeFileSync(join(work, 'rules.json'), JSON.stringify(rules));
    const out = join(work, 'out.xlsx');
    const first = runCli(['consolidate', work, '-o', out, '--rules', join(work, 'rules.json'), '--evaluation-date', '2023-12-31', '--json', '-']);
    expect(first.code).toBe(0);
    const res = JSON.parse(first.stdout);
    expect(res.ruleSet).toEqual({ id: 'hedong-default', version: 'test-1' });
    expect(res.evaluationDate).toBe('2023-12-31');
    // Run again: out.xlsx now sits in the folder and must be skipped (else its sheets would be read).
    const again = runCli(['consolidate', work, '-o', out, '--rules', join(work, 'rules.json'), '--evaluation-date', '2023-12-31', '--json', '-']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).inputs).toEqual(res.inputs);
  });

  test('template --base never writes over its base map (one file or all templates into its folder)', () => {
    inTempDir('tclash-', (work) => {
      const base = join(work, '地块底图表.xlsx');
      copyFileSync(file('地块底图表.xlsx'), base);
      const before = readFileSync(base);
      for (const args of [['base', '--base', base, '-o', base], ['all', '--base', base, '-o', work]]) {
        const r = runCli(['template', ...args]);
        expect(r.code).toBe(2);
        expect(r.errLines[0]).toMatch(/覆盖输入文件.*overwrite the input/);
      }
      expect(readFileSync(base).equals(before)).toBe(true);
      expect(listAll(work)).toEqual(['地块底图表.xlsx']);
    });
  });

  test('validate -o onto its own input, through a symbolic or a hard link, is refused and the workbook left as it was', () => {
    inTempDir('vclash-', (work) => {
      const a = join(work, '工业.xlsx');
      copyFileSync(file('低效工业调查表.xlsx'), a);
      symlinkSync(a, join(work, 'link.xlsx'));
      linkSync(a, join(work, 'hard.xlsx'));
      const before = readFileSync(a);
      for (const args of [[a, '-o', a], [join(work, 'link.xlsx'), '-o', a], [a, '-o', join(work, 'link.xlsx')], [a, '-o', join(work, 'hard.xlsx')], [a, '--json', a]]) {
        const r = runCli(['validate', ...args]);
        expect(r.code).toBe(2);
        expect(r.errLines).toHaveLength(1);
        expect(r.errLines[0]).toMatch(/覆盖输入文件.*overwrite the input/);
      }
      expect(readFileSync(a).equals(before)).toBe(true);
      expect(listAll(work).sort()).toEqual(['hard.xlsx', 'link.xlsx', '工业.xlsx']);
      const csv = runCli(['validate', a, '-o', join(work, 'marked.csv')]);
      expect(csv.code).toBe(2);
      expect(csv.errLines[0]).toMatch(/应以 \.xlsx 结尾/);
    });
  });

  test("last week's submission workbook put back among the inputs is refused as an output of this tool, not read as a base map", () => {
    inTempDir('rerun-', (work) => {
      const first = join(dir, 'rerun-first.xlsx');
      expect(runCli(['consolidate', inputs, '-o', first]).code).toBe(0);
      copyFileSync(first, join(work, '上周报送表.xlsx'));
      for (const f of files) copyFileSync(f, join(work, f.slice(inputs.length + 1)));
      const r = runCli(['consolidate', work, '-o', join(dir, 'rerun-out.xlsx')]);
      expect(r.code).toBe(2);
      expect(r.errLines).toHaveLength(1);
      expect(r.errLines[0]).toMatch(/上周报送表\.xlsx.*本工具生成的.*报送表.*output of this tool/);
      expect(existsSync(join(dir, 'rerun-out.xlsx'))).toBe(false);
      // validate says the same of it
      const v = runCli(['validate', join(work, '上周报送表.xlsx')]);
      expect(v.code).toBe(2);
      expect(v.errLines[0]).toMatch(/本工具生成的/);
    });
  });

  test('a folder holding an old .xls among the workbooks: refused naming it, nothing written', () => {
    inTempDir('mixdir-', (work) => {
      copyFileSync(file('地块底图表.xlsx'), join(work, 'base.xlsx'));
      writeFileSync(join(work, '工业.xls'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]));
      const r = runCli(['consolidate', work, '-o', join(work, 'out.xlsx')]);
      expect(r.code).toBe(2);
      expect(r.errLines).toHaveLength(1);
      expect(r.errLines[0]).toContain('工业.xls');
      expect(r.errLines[0]).toMatch(/\.xls/);
      expect(listAll(work).sort()).toEqual(['base.xlsx', '工业.xls']);
    });
  });

  test('an output that would overwrite an input is refused before anything is read or written', () => {
    const work = tempDir('clash-');
    try {
      const a = join(work, 'base.xlsx');
      copyFileSync(file('地块底图表.xlsx'), a);
      const before = readFileSync(a);
      const r = runCli(['consolidate', a, '-o', a]);
      expect(r.code).toBe(2);
      expect(r.errLines).toHaveLength(1);
      expect(r.errLines[0]).toMatch(/覆盖输入文件.*overwrite the input/);
      expect(readFileSync(a).equals(before)).toBe(true);
      expect(listAll(work)).toEqual(['base.xlsx']);
    } finally {
      removeDir(work);
    }
  });

  test.each([
    ['not JSON', '{ "id": ', /不是有效的 JSON.*not valid JSON/],
    ['schema-invalid', JSON.stringify({ id: 'x' }), /规则集无效.*invalid rule set/],
  ])('a bad --rules file (%s): exit 2, one line naming it, nothing written', (_what, text, re) => {
    const work = tempDir('rules-bad-');
    try {
      const rulesFile = join(work, 'bad-rules.json');
      writeFileSync(rulesFile, text);
      const r = runCli(['consolidate', file('地块底图表.xlsx'), '-o', join(work, 'out.xlsx'), '--rules', rulesFile, '--json', join(work, 'r.json')]);
      expect(r.code).toBe(2);
      expect(r.errLines).toHaveLength(1);
      expect(r.errLines[0]).toContain('bad-rules.json');
      expect(r.errLines[0]).toMatch(re);
      expect(listAll(work)).toEqual(['bad-rules.json']);
    } finally {
      removeDir(work);
    }
  });
});

// `script` (util-linux) runs the command with a terminal; stdout is redirected to a file inside it,
// so what `script` captures is what went to the terminal on stderr.
const hasScript = spawnSync('script', ['--version']).status === 0;
(hasScript ? test : test.skip)('progress goes to stderr only when stderr is a terminal, never into --json - on stdout', () => {
  const json = join(dir, 'tty.json');
  const q = (x: string) => `'${x.replace(/'/g, `'\\''`)}'`;
  const cmd = `${q(process.execPath)} ${q(join(ROOT, 'bin', 'land-survey.js'))} consolidate ${q(inputs)} -o ${q(join(dir, 'tty.xlsx'))} --json - > ${q(json)}`;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/读取 \/ reading \d+\/\d+/);
  expect(consolidationResultSchema.safeParse(JSON.parse(readFileSync(json, 'utf8'))).success).toBe(true);
});

describe('demo', () => {
  test('writes the department workbooks, the submission workbook and result.json, and summarises', () => {
    const out = join(dir, 'demo');
    const r = runCli(['demo', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(listAll(join(out, 'inputs'))).toEqual([...data.workbooks.map((w) => w.file)].sort());
    expect(existsSync(join(out, '报送表.xlsx'))).toBe(true);
    const result = consolidationResultSchema.parse(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')));
    const low = result.parcels.filter((p) => p.result === '低效').length;
    expect(r.stdout).toContain(`低效 ${low}`);
    expect(r.stdout).toContain(`历史遗留用地`);
    expect(r.stdout).toMatch(/错误 \d+，警告 \d+，提示 \d+/);
    expect(r.stdout).toContain(join(out, '报送表.xlsx'));
    expect(listAll(out)).toEqual(['2027年度实施计划.xlsx', 'brief.json', 'inputs', 'ledger.json', 'pilot', 'result.json', '工作简报.docx', '工作进展情况报告.docx', '报送表.xlsx', '项目台账.xlsx']);
  });
});
