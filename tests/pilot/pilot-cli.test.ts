/**
 * The pilot on the demo set, through the real command: `demo` writes the sample project and
 * milestone workbooks and the ledger, brief and report; `ledger`, `brief`, `report` run on them
 * with --json; unusable inputs exit 2 with nothing written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { LEDGER_SHEETS } from '../../shared/pilot/ledger-xlsx';
import { PLAN_SHEETS } from '../../shared/pilot/plan-xlsx';
import { buildCli, listAll, removeDir, runCli, tempDir } from '../cli/helpers';
import { libreOfficeMissing, sofficeConvert } from '../helpers/libreoffice';

let dir: string;
const AS_OF = '2026-12-06';

beforeAll(() => {
  buildCli();
  dir = tempDir('pilot-cli-');
  const r = runCli(['demo', '-o', join(dir, 'demo')]);
  expect(r.code).toBe(0);
}, 120_000);
afterAll(() => removeDir(dir));

const demo = (f: string) => join(dir, 'demo', f);

describe('demo: the whole pilot in one command', () => {
  test('writes the sample pilot workbooks, the ledger, the brief and the report', () => {
    for (const f of ['pilot/工作专班办公室-低效用地再开发项目表.xlsx', 'pilot/各责任单位-项目节点表.xlsx', '项目台账.xlsx', '2027年度实施计划.xlsx', '工作简报.docx', '工作进展情况报告.docx', 'ledger.json', 'brief.json']) {
      expect(existsSync(demo(f))).toBe(true);
    }
    const ledger = JSON.parse(readFileSync(demo('ledger.json'), 'utf8'));
    expect(ledger.projects.length).toBe(40);
    // some overdue, some done late, one 已盘活, one 终止
    expect(ledger.overdue.length).toBeGreaterThan(0);
    expect(ledger.projects.some((p: { milestones: { doneLate: number } }) => p.milestones.doneLate > 0)).toBe(true);
    expect(ledger.projects.filter((p: { status: string }) => p.status === '已盘活')).toHaveLength(1);
    const brief = JSON.parse(readFileSync(demo('brief.json'), 'utf8'));
    expect(brief.issue).toBe(18);
  });
});

describe('ledger, brief, report on the demo set', () => {
  test('ledger --json - prints the ledger; its figures agree with the workbook', async () => {
    const out = join(dir, 'l.xlsx');
    const r = runCli(['ledger', demo('pilot'), '--determination', demo('result.json'), '--as-of', AS_OF, '-o', out, '--json', '-']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.asOf).toBe(AS_OF);
    expect(Object.keys(j)).toEqual(['asOf', 'projects', 'overdue', 'units', 'issues']);
    // the issue objects as in consolidate's JSON: exactly its keys, no hint
    expect(j.issues.length).toBeGreaterThan(0);
    const consolidateIssue = JSON.parse(readFileSync(demo('result.json'), 'utf8')).issues[0];
    for (const i of j.issues) expect(Object.keys(i)).toEqual(Object.keys(consolidateIssue));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...LEDGER_SHEETS]);
    const ws = wb.getWorksheet('逾期节点')!;
    // title, subtitle, header, then one row per overdue milestone
    expect(ws.actualRowCount).toBe(3 + j.overdue.length);
    expect(wb.getWorksheet('台账')!.actualRowCount).toBe(3 + j.projects.length);
  });

  test('plan --year 2027: its sheets, batches as computed, and --year is required', async () => {
    const out = join(dir, 'p.xlsx');
    const r = runCli(['plan', '--year', '2027', demo('pilot'), '--determination', demo('result.json'), '-o', out, '--json', '-']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.year).toBe(2027);
    expect(plan.mature.every((p: { maturity: string; planYear: number }) => p.maturity === '成熟' && p.planYear === 2027)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...PLAN_SHEETS]);
    expect(wb.getWorksheet('成熟一批')!.actualRowCount).toBe(3 + Math.max(1, plan.mature.length));
    expect(wb.getWorksheet('待纳入地块')!.actualRowCount).toBe(3 + Math.max(1, plan.candidates.length));
    const bad = runCli(['plan', demo('pilot'), '--determination', demo('result.json'), '-o', join(dir, 'p2.xlsx')]);
    expect(bad.code).toBe(2);
    expect(existsSync(join(dir, 'p2.xlsx'))).toBe(false);
  });

  test('brief and report write Word documents whose JSON carries the figures', () => {
    const b = runCli(['brief', demo('pilot'), '--determination', demo('result.json'), '--as-of', AS_OF, '-o', join(dir, 'b.docx'), '--json', join(dir, 'b.json')]);
    expect(b.code).toBe(0);
    const bj = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
    expect(bj.kind).toBe('brief');
    expect(bj.period).toMatchObject({ start: '2026-11-01', end: '2026-12-31' });
    const r = runCli(['report', demo('pilot'), '--determination', demo('result.json'), '--previous', demo('result.json'), '--as-of', AS_OF, '-o', join(dir, 'r.docx'), '--json', '-']);
    expect(r.code).toBe(0);
    const rj = JSON.parse(r.stdout);
    expect(rj.kind).toBe('report');
    expect(rj.cases).toHaveLength(1);
    expect(rj.surveyChange.totals.left.count).toBe(0);
    expect(readFileSync(join(dir, 'b.docx')).subarray(0, 2).toString()).toBe('PK');
  });

  const lo = libreOfficeMissing();
  (lo ? test.skip : test)('the demo brief opens in LibreOffice Writer and renders to a page with its title', () => {
    const pdfDir = sofficeConvert([demo('工作简报.docx')], 'pdf');
    const pdf = join(pdfDir, '工作简报.pdf');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('河东区低效用地再开发试点工作简报');
    expect(text).toMatch(/第\s*18\s*期/);
    execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', pdf, join(pdfDir, 'page')]);
    expect(listAll(pdfDir).some((f) => f.endsWith('.png'))).toBe(true);
  }, 120_000);
});

describe('rows the checks leave out are listed, not lost', () => {
  test('a milestone whose 实际完成日期 is not a date: out of 节点明细, in the ledger’s and the plan’s 问题清单 with its file and cell, and said on stdout', async () => {
    const src = new ExcelJS.Workbook();
    await src.xlsx.readFile(demo('pilot/各责任单位-项目节点表.xlsx'));
    const ws = src.worksheets.find((w) => w.state !== 'hidden')!;
    let header = 0;
    let doneCol = 0;
    ws.eachRow((row, r) => {
      row.eachCell((c, col) => {
        if (!header && String(c.value).startsWith('实际完成日期')) [header, doneCol] = [r, col];
      });
    });
    expect(doneCol).toBeGreaterThan(0);
    ws.getCell(header + 1, doneCol).value = '已完成';
    const letter = ws.getColumn(doneCol).letter;
    const sub = join(dir, 'bad-milestone');
    execFileSync('mkdir', ['-p', sub]);
    writeFileSync(join(sub, '节点.xlsx'), Buffer.from(await src.xlsx.writeBuffer()));
    writeFileSync(join(sub, '项目.xlsx'), readFileSync(demo('pilot/工作专班办公室-低效用地再开发项目表.xlsx')));

    const out = join(dir, 'bad-l.xlsx');
    const r = runCli(['ledger', sub, '--determination', demo('result.json'), '--as-of', AS_OF, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/输入问题 \d+ 条（其中错误 [1-9]\d* 条，有错误的行未采用），详见工作簿“问题清单”/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const list = wb.getWorksheet('问题清单')!;
    const head = (list.getRow(3).values as unknown[]).slice(1);
    const rows = [];
    for (let i = 4; i <= list.actualRowCount; i++) rows.push(Object.fromEntries(head.map((h, k) => [h, list.getRow(i).getCell(k + 1).value])));
    const bad = rows.find((x) => x['位置'] === `${letter}${header + 1}`);
    expect(bad).toMatchObject({ 报表: '项目节点表', 严重程度: '错误', 填报值: '已完成' });
    expect(String(bad!['文件'])).toBe(join(sub, '节点.xlsx')); // the file as given, as in the submission's list
    // the row is left out of the milestones, and the list has one row per issue of the JSON
    const j = JSON.parse(runCli(['ledger', sub, '--determination', demo('result.json'), '--as-of', AS_OF, '-o', join(dir, 'bad-l2.xlsx'), '--json', '-']).stdout);
    expect(rows).toHaveLength(j.issues.length);
    const total = j.projects.reduce((s: number, p: { milestones: { total: number } }) => s + p.milestones.total, 0);
    const full = JSON.parse(runCli(['ledger', demo('pilot'), '--determination', demo('result.json'), '--as-of', AS_OF, '-o', join(dir, 'full-l.xlsx'), '--json', '-']).stdout);
    expect(total).toBe(full.projects.reduce((s: number, p: { milestones: { total: number } }) => s + p.milestones.total, 0) - 1);

    const plan = runCli(['plan', '--year', '2027', sub, '--determination', demo('result.json'), '--as-of', AS_OF, '-o', join(dir, 'bad-p.xlsx'), '--json', '-']);
    expect(plan.code).toBe(0);
    const pj = JSON.parse(plan.stdout);
    const consolidateIssue = JSON.parse(readFileSync(demo('result.json'), 'utf8')).issues[0];
    expect(pj.issues.length).toBe(j.issues.length);
    for (const i of pj.issues) expect(Object.keys(i)).toEqual(Object.keys(consolidateIssue));
    const pw = new ExcelJS.Workbook();
    await pw.xlsx.readFile(join(dir, 'bad-p.xlsx'));
    expect(pw.getWorksheet('问题清单')!.actualRowCount).toBe(3 + pj.issues.length);
  }, 60_000);
});

describe('unusable inputs', () => {
  test('a determination that is not one: exit 2, nothing written', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ parcels: 'none' }));
    const out = join(dir, 'x.docx');
    const r = runCli(['brief', demo('pilot'), '--determination', bad, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('不是认定结果');
    expect(existsSync(out)).toBe(false);
  });

  test('a workbook with neither pilot form: exit 2 naming it', () => {
    const out = join(dir, 'y.xlsx');
    const survey = join(dir, 'demo', 'inputs', listAll(join(dir, 'demo', 'inputs')).find((f) => f.endsWith('.xlsx'))!);
    const r = runCli(['ledger', survey, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('未找到项目表或项目节点表');
    expect(existsSync(out)).toBe(false);
  });

  test('brief without --determination and a bad --as-of are usage errors', () => {
    expect(runCli(['brief', demo('pilot'), '-o', join(dir, 'z.docx')]).code).toBe(2);
    const r = runCli(['ledger', demo('pilot'), '--as-of', '2026-13-01', '-o', join(dir, 'z.xlsx')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--as-of');
    // before the pilot's first reporting period (2024 1–2): a usage error, not an internal one
    for (const [cmd, date] of [['brief', '2023-12-31'], ['report', '2023-06-30'], ['report', '1999-06-30']]) {
      const early = runCli([cmd, demo('pilot'), '--determination', demo('result.json'), '--as-of', date, '-o', join(dir, 'early.docx')]);
      expect(early.code).toBe(2);
      expect(early.errLines).toHaveLength(1);
      expect(early.errLines[0]).toMatch(/早于试点报告期.*before the pilot's reporting periods/);
      expect(existsSync(join(dir, 'early.docx'))).toBe(false);
    }
  });
});
