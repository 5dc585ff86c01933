/**
 * The project form's rows as the office fills them: 街道 and 配合单位 against the catalogues
 * (pilot.md §1), a project over several parcels whose rows give different 投资估算 / 资金来源 /
 * 实施内容, and rows left out for an error, which must feed no further check and no figure.
 * Everything goes through the reader, pilotRecords, pilotIssues and the plan / ledger, as the
 * commands do.
 */
import type { Issue } from '../../shared/issues/issue';
import { pilotIssues } from '../../shared/pilot/checks';
import { computeLedger } from '../../shared/pilot/ledger';
import { computePlan } from '../../shared/pilot/plan';
import { pilotRecords } from '../../shared/pilot/read';
import { UNIT_NAMES } from '../../shared/pilot/units';
import { readWorkbook } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import { formSheet, parcel as gridParcel, workbook } from '../helpers/grid';
import { determination, low, milestoneRow, parcel, projectRow as fixtureProjectRow } from './fixtures';

const rs = defaultRuleSet();
const P1 = gridParcel(1);
const P2 = gridParcel(2);
const P3 = gridParcel(3);
const AS_OF = '2026-12-06';

// this file's projects are 前期 with one full-named 配合单位 unless a test says otherwise
const projectRow = (id: string, parcelId: string, over: Record<string, string | number | null> = {}) =>
  fixtureProjectRow(id, parcelId, { coUnits: '区住房城乡建设委', status: '前期', ...over });

const det = determination('2022-12-31', [
  parcel(P1, { ...low(['IND-PLOT']), landArea: 12000 }),
  parcel(P2, { ...low(['IND-TAX']), landArea: 4000 }),
  parcel(P3, { ...low(['IND-TAX']), landArea: 2000 }),
]);

function read(projects: Record<string, unknown>[], milestones: Record<string, unknown>[] = []) {
  const sheets = [formSheet('project', projects as never)];
  if (milestones.length) sheets.push(formSheet('milestone', milestones as never));
  return readWorkbook(workbook('pilot.xlsx', sheets), rs);
}
function run(projects: Record<string, unknown>[], milestones: Record<string, unknown>[] = []) {
  const reads = read(projects, milestones);
  return { reads, ...pilotRecords(reads), issues: pilotIssues({ reads, determination: det, asOf: AS_OF }).issues };
}
const on = (issues: Issue[], code: string) => issues.filter((i) => i.code === code);
const at = (issues: Issue[]) => issues.map((i) => `${i.code}@${i.column}${i.row}`).sort();

describe('街道 on the project form is one of the 13 streets', () => {
  test('a street outside Hedong is invalid-enum on its cell, and the row is left out', () => {
    const { issues, projects } = run([projectRow('HD-2027-001', P1), projectRow('HD-2027-002', P2, { street: '小白楼街道' })]);
    const bad = on(issues, 'invalid-enum');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ form: 'project', row: 3, column: 'D', field: '街道', value: '小白楼街道', severity: 'error' });
    expect(bad[0].message).toContain('大王庄街道');
    expect(projects.map((p) => p.projectId)).toEqual(['HD-2027-001']);
  });

  test('a street written without 街道 (or with 办事处) reads as the full name with a note', () => {
    const { issues, projects } = run([projectRow('HD-2027-001', P1, { street: '唐家口' }), projectRow('HD-2027-002', P2, { street: '天铁街道办事处' })]);
    expect(projects.map((p) => p.street)).toEqual(['唐家口街道', '天铁街道']);
    expect(on(issues, 'normalized-value').filter((i) => i.field === '街道').map((i) => i.value)).toEqual(['唐家口', '天铁街道办事处']);
    expect(on(issues, 'invalid-enum')).toEqual([]);
  });
});

describe('配合单位: each unit it names is in the catalogue', () => {
  test('short names read as full names, with one note on the cell', () => {
    const { issues, projects } = run([projectRow('HD-2027-001', P1, { coUnits: '住建委、大王庄；区财政局' })]);
    expect(projects[0].coUnits).toEqual(['区住房城乡建设委', '大王庄街道', '区财政局']);
    const notes = on(issues, 'normalized-value').filter((i) => i.field === '配合单位');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ column: 'O', row: 2, value: '住建委、大王庄；区财政局', severity: 'info' });
    expect(notes[0].message).toContain('区住房城乡建设委、大王庄街道、区财政局');
  });

  test('full names only: no note', () => {
    const { issues } = run([projectRow('HD-2027-001', P1, { coUnits: '区住房城乡建设委、大王庄街道' })]);
    expect(issues.filter((i) => i.field === '配合单位')).toEqual([]);
  });

  test('a unit outside the catalogue makes the cell invalid-enum naming the bad units; the row is left out of every output', () => {
    const { issues, projects } = run([
      projectRow('HD-2027-001', P1, { coUnits: '住建委，区城管委 天津市规划局' }),
      projectRow('HD-2027-002', P2, { coUnits: '发改委' }),
    ]);
    const bad = on(issues, 'invalid-enum');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ form: 'project', row: 2, column: 'O', field: '配合单位', severity: 'error', parcelId: P1, value: '住建委，区城管委 天津市规划局' });
    expect(bad[0].message).toContain('不在可选项中');
    expect(bad[0].message).toContain('区住房城乡建设委');
    expect(bad[0].message).toContain('其中“区城管委”“天津市规划局”不是可选项');
    expect(projects.map((p) => p.projectId)).toEqual(['HD-2027-002']);
    const plan = computePlan({ projects, milestones: [], determination: det }, 2027);
    expect(plan.mature.map((p) => p.projectId)).toEqual(['HD-2027-002']);
    expect(plan.candidates.map((c) => c.parcelId)).toEqual([P1, P3]); // P1 is in no project that was read
  });

  test('the reader checks it, as the add-in’s in-place 校验 does: the rule set’s severity for invalid-enum applies', () => {
    const sheets = [formSheet('project', [projectRow('HD-2027-001', P1, { coUnits: '区城管委' })] as never)];
    const strict = readWorkbook(workbook('pilot.xlsx', sheets), rs)[0];
    expect(strict.issues.find((i) => i.field === '配合单位')).toMatchObject({ code: 'invalid-enum', severity: 'error' });
    expect(strict.rows[0].hasError).toBe(true);
    const lenient = readWorkbook(workbook('pilot.xlsx', sheets), { ...rs, severities: { ...rs.severities, 'invalid-enum': 'warning' } })[0];
    expect(lenient.issues.find((i) => i.field === '配合单位')).toMatchObject({ code: 'invalid-enum', severity: 'warning' });
    expect(pilotRecords([lenient]).projects.map((p) => p.projectId)).toEqual(['HD-2027-001']);
    expect(pilotRecords([strict]).projects).toEqual([]);
  });

  test('a short name of a bad cell is not also a note (the cell is an error)', () => {
    const { issues } = run([projectRow('HD-2027-001', P1, { coUnits: '住建委、区城管委' })]);
    expect(issues.filter((i) => i.field === '配合单位').map((i) => i.code)).toEqual(['invalid-enum']);
  });
});

describe('a project over several parcels: values its rows give differently', () => {
  const plan = (projects: Record<string, unknown>[]) => {
    const r = run(projects);
    return { ...r, p: computePlan({ projects: r.projects, milestones: [], determination: det }, 2027).mature[0] };
  };

  test('different amounts are the parcels’ parts: the project’s 投资估算 is their sum', () => {
    const { p, issues } = plan([
      projectRow('HD-2027-001', P1, { investment: 3000 }),
      projectRow('HD-2027-001', P2, { investment: 1500 }),
      projectRow('HD-2027-001', P3, { investment: 500 }),
    ]);
    expect(p.investment).toBe(5000);
    expect(on(issues, 'project-rows-disagree')).toEqual([]);
  });

  test('one amount repeated on every row (or a merged cell) is the project’s total, counted once', () => {
    expect(plan([projectRow('HD-2027-001', P1, { investment: 5000 }), projectRow('HD-2027-001', P2, { investment: 5000 })]).p.investment).toBe(5000);
  });

  test('an amount given on one row only is the project’s', () => {
    expect(plan([projectRow('HD-2027-001', P1, { investment: null }), projectRow('HD-2027-001', P2, { investment: 4200 })]).p.investment).toBe(4200);
    expect(plan([projectRow('HD-2027-001', P1, { investment: null }), projectRow('HD-2027-001', P2, { investment: null })]).p.investment).toBeNull();
  });

  test('资金来源 and 实施内容: every different one of the rows, in row order, none repeated', () => {
    const { p } = plan([
      projectRow('HD-2027-001', P1, { fundSource: '企业自筹', content: '厂房改造' }),
      projectRow('HD-2027-001', P2, { fundSource: '社会资本', content: '新建研发楼' }),
      projectRow('HD-2027-001', P3, { fundSource: '企业自筹', content: '厂房改造' }),
    ]);
    expect(p.fundSource).toBe('企业自筹、社会资本');
    expect(p.content).toBe('厂房改造；新建研发楼');
  });

  test('配合单位: every unit any row names, once', () => {
    const { projects } = run([projectRow('HD-2027-001', P1, { coUnits: '住建委、大王庄' }), projectRow('HD-2027-001', P2, { coUnits: '区住房城乡建设委、财政局' })]);
    expect(projects[0].coUnits).toEqual(['区住房城乡建设委', '大王庄街道', '区财政局']);
  });

  test('the same on every row is shown once', () => {
    const { p } = plan([projectRow('HD-2027-001', P1, { fundSource: '专项债' }), projectRow('HD-2027-001', P2, { fundSource: '专项债' })]);
    expect(p).toMatchObject({ fundSource: '专项债', content: '厂房改造' });
  });

  test('the expected new tax and output follow the amounts’ rule; 需协调事项 lists each row’s own in the ledger', () => {
    const { projects } = run([
      projectRow('HD-2027-001', P1, { expectedTax: 120, expectedOutput: 900, coordination: '需协调供电扩容' }),
      projectRow('HD-2027-001', P2, { expectedTax: 80, expectedOutput: 900, coordination: '企业搬迁需街道配合' }),
    ]);
    expect(projects[0]).toMatchObject({ expectedTax: 200, expectedOutput: 900 });
    const l = computeLedger({ projects, milestones: [], determination: det, asOf: AS_OF, unitOrder: UNIT_NAMES });
    expect(l.extra['HD-2027-001'].coordination).toBe('需协调供电扩容；企业搬迁需街道配合');
  });
});

describe('rows left out for an error feed no further check and no figure', () => {
  test('a milestone row left out (unknown 责任单位) raises no milestone-overdue and counts nowhere in the ledger', () => {
    const { issues, projects, milestones } = run(
      [projectRow('HD-2027-001', P1)],
      [milestoneRow('HD-2027-001', '方案编制', '2026-10-01', null, '区城管委'), milestoneRow('HD-2027-001', '方案批准', '2026-11-01', null)],
    );
    expect(at(on(issues, 'milestone-overdue'))).toEqual(['milestone-overdue@C3']);
    const l = computeLedger({ projects, milestones, determination: det, asOf: AS_OF, unitOrder: UNIT_NAMES });
    expect(l.projects[0].milestones).toMatchObject({ total: 1, overdue: 1 });
    expect(l.overdue.map((o) => o.name)).toEqual(['方案批准']);
  });

  test('a done milestone left out does not keep a 实施中 project from project-stalled', () => {
    const { issues } = run(
      [projectRow('HD-2027-001', P1, { status: '实施中' })],
      [milestoneRow('HD-2027-001', '方案编制', '2026-10-01', '2026-10-01', '区城管委')],
    );
    expect(at(on(issues, 'project-stalled'))).toEqual(['project-stalled@Q2']);
  });

  test('a project row left out (bad 计划完成日期) raises no project-stalled, and its milestones no overdue nor "without project"', () => {
    const { issues, projects } = run(
      [projectRow('HD-2027-001', P1, { status: '实施中', plannedEnd: '待定' }), projectRow('HD-2027-002', P2, { status: '实施中' })],
      [milestoneRow('HD-2027-001', '方案编制', '2026-10-01', null), milestoneRow('HD-2027-002', '方案编制', '2026-10-01', null)],
    );
    expect(projects.map((p) => p.projectId)).toEqual(['HD-2027-002']);
    expect(at(on(issues, 'project-stalled'))).toEqual(['project-stalled@Q3']);
    expect(at(on(issues, 'milestone-overdue'))).toEqual(['milestone-overdue@C3']);
    expect(on(issues, 'milestone-without-project')).toEqual([]);
  });

  test('a project row left out puts its parcel in no project (no parcel-in-two-projects) and disagrees with no row', () => {
    const { issues } = run([
      projectRow('HD-2027-001', P1, { plannedEnd: '待定', developer: '另一公司' }),
      projectRow('HD-2027-001', P2),
      projectRow('HD-2027-002', P1),
    ]);
    expect(on(issues, 'parcel-in-two-projects')).toEqual([]);
    expect(on(issues, 'project-rows-disagree')).toEqual([]);
  });

  test('a row’s own cells are still checked when it is left out, so it can be mended in one go', () => {
    const { issues } = run([projectRow('HD-2027-001', P1, { coUnits: '区城管委', plannedStart: '2027-06-01', plannedEnd: '2027-05-01' })]);
    expect(at(issues.filter((i) => i.severity === 'error'))).toEqual(['invalid-enum@O2', 'plan-dates-inverted@K2']);
  });
});
