/**
 * The project and milestone forms (pilot.md §1) read like the survey forms, the rows joined into
 * projects, and the pilot's checks (§2) on bad input: each a clear issue on its cell, the rest
 * still read and counted.
 */
import { consolidate } from '../../shared/determine';
import type { Issue } from '../../shared/issues/issue';
import { pilotChecks, pilotIssues } from '../../shared/pilot/checks';
import { pilotRecords } from '../../shared/pilot/read';
import { canonicalUnit, UNIT_NAMES } from '../../shared/pilot/units';
import { readWorkbook } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import { baseRecord, formSheet, parcel as gridParcel, workbook } from '../helpers/grid';
import { determination, low, milestoneRow, parcel, projectRow } from './fixtures';

const rs = defaultRuleSet();
const P1 = gridParcel(1);
const P2 = gridParcel(2);
const P3 = gridParcel(3);
const P4 = gridParcel(4);

const det = determination('2022-12-31', [
  parcel(P1, { ...low(['IND-PLOT']), landArea: 12000 }),
  parcel(P2, { ...low(['IND-TAX'], '收储出让') }),
  parcel(P3, { result: '非低效' }),
]);

function read(projects: Record<string, unknown>[], milestones: Record<string, unknown>[]) {
  return readWorkbook(workbook('pilot.xlsx', [formSheet('project', projects as never), formSheet('milestone', milestones as never)]), rs);
}
const codes = (issues: Issue[]) => issues.map((i) => `${i.code}@${i.sheet}!${i.column}${i.row}`).sort();

describe('pilot forms', () => {
  test('both forms are recognised from their headers; short unit names read as catalogue names with a note', () => {
    const reads = read([projectRow('HD-2027-001', P1, { leadUnit: '产促局' })], [milestoneRow('HD-2027-001', '开工', '2027-03-01', null, '住建委')]);
    expect(reads.map((r) => r.form)).toEqual(['project', 'milestone']);
    const { projects, milestones } = pilotRecords(reads);
    expect(projects[0].leadUnit).toBe('区产业发展促进局');
    expect(projects[0].coUnits).toEqual(['区住房城乡建设委', '大王庄街道']);
    expect(milestones[0].unit).toBe('区住房城乡建设委');
    expect(reads.flatMap((r) => r.issues).filter((i) => i.code === 'normalized-value').map((i) => i.value).sort()).toEqual(['产促局', '住建委', '住建委、大王庄街道']);
  });

  test('a unit not in the catalogue is invalid-enum on its cell, and that row is left out', () => {
    const reads = read([projectRow('HD-2027-001', P1)], [milestoneRow('HD-2027-001', '开工', '2027-03-01', null, '区城管委'), milestoneRow('HD-2027-001', '竣工', '2027-09-01', null)]);
    const bad = reads.flatMap((r) => r.issues).filter((i) => i.code === 'invalid-enum');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ form: 'milestone', row: 2, field: '责任单位', value: '区城管委', severity: 'error' });
    expect(pilotRecords(reads).milestones.map((m) => m.name)).toEqual(['竣工']);
  });

  test('a project over two parcels is one project with both parcels', () => {
    const { projects } = pilotRecords(read([projectRow('HD-2027-001', P1), projectRow('HD-2027-001', P2)], []));
    expect(projects).toHaveLength(1);
    expect(projects[0].parcels).toEqual([P1, P2]);
    expect(projects[0].rows!.map((r) => r.row)).toEqual([2, 3]);
  });

  test('the unit catalogue: 11 task-force members and 13 streets, short names and street names without 街道', () => {
    expect(UNIT_NAMES).toHaveLength(24);
    expect(canonicalUnit('规划资源分局')).toBe('市规划资源局河东分局');
    expect(canonicalUnit('大王庄')).toBe('大王庄街道');
    expect(canonicalUnit('大王庄街道办事处')).toBe('大王庄街道');
    expect(canonicalUnit('区城管委')).toBeNull();
  });

  test('the determination leaves pilot sheets out', () => {
    const wb = workbook('mixed.xlsx', [formSheet('base', [baseRecord(1)]), formSheet('project', [projectRow('HD-2027-001', gridParcel(1))] as never)]);
    const c = consolidate(readWorkbook(wb, rs), rs);
    expect(c.result.inputs.map((i) => i.form)).toEqual(['base']);
    expect(c.result.issues.some((i) => i.form === 'project')).toBe(false);
  });
});

describe('pilot checks (pilot.md §2)', () => {
  const AS_OF = '2026-12-06';
  const reads = read(
    [
      projectRow('HD-2027-001', P1, { mode: '技改升级' }),
      projectRow('HD-2027-001', P2, { developer: '另一公司' }), // rows disagree; mode differs from P2's 收储出让
      projectRow('HD-2027-002', P3, { plannedStart: '2027-06-01', plannedEnd: '2027-05-01' }), // not 低效; dates inverted
      projectRow('HD-2027-003', P4), // not in the determination
      projectRow('HD-2027-004', P1, { status: '终止' }), // P1 again, but terminated: fine
      projectRow('HD-2027-005', P1, { status: '前期' }), // P1 in a second active project
    ],
    [
      milestoneRow('HD-2027-001', '方案编制', '2026-11-30', null), // overdue 6 days
      milestoneRow('HD-2027-001', '方案批准', '2026-12-06', null), // due today: not overdue
      milestoneRow('HD-2027-001', '施工许可', '2026-12-10', '2026-12-08'), // done in the future
      milestoneRow('HD-2099-009', '开工', '2027-01-01', null), // unknown project
      milestoneRow('HD-2027-002', '方案编制', '2026-06-06', '2026-06-06'), // done exactly 6 months back: not stalled
    ],
  );
  const issues = pilotChecks({ reads, determination: det, asOf: AS_OF });

  test('each problem is one issue on its cell', () => {
    // the rows' 配合单位 “住建委、大王庄街道” also get the §1 note of a short name (project-rows.test.ts)
    expect(codes(issues.filter((i) => !(i.code === 'normalized-value' && i.field === '配合单位')))).toEqual([
      'milestone-in-future@项目节点表!D4',
      'milestone-overdue@项目节点表!C2',
      'milestone-without-project@项目节点表!A5',
      'mode-differs@低效用地再开发项目表!E3',
      'parcel-in-two-projects@低效用地再开发项目表!C7',
      'parcel-not-in-base@低效用地再开发项目表!C5',
      'plan-dates-inverted@低效用地再开发项目表!K4',
      'project-parcel-not-low@低效用地再开发项目表!C4',
      'project-rows-disagree@低效用地再开发项目表!F3',
      'project-stalled@低效用地再开发项目表!Q2',
      'project-stalled@低效用地再开发项目表!Q5',
    ]);
  });

  test('severities and messages say what is wrong', () => {
    const by = (c: string) => issues.find((i) => i.code === c)!;
    expect(by('milestone-overdue')).toMatchObject({ severity: 'warning', message: '节点计划于2026-11-30完成，截至2026-12-06尚未完成（逾期6天）' });
    expect(by('parcel-in-two-projects')).toMatchObject({ severity: 'error', value: P1 });
    expect(by('parcel-in-two-projects').message).toContain('HD-2027-001、HD-2027-005');
    expect(by('project-parcel-not-low')).toMatchObject({ severity: 'warning', message: `项目宗地“${P3}”在认定结果中为“非低效”，不是低效用地` });
    expect(by('parcel-not-in-base').severity).toBe('error');
    expect(by('mode-differs')).toMatchObject({ severity: 'info', value: '技改升级' });
  });

  test('the rest is still read: every project and the valid milestones are in the records', () => {
    const { projects, milestones } = pilotRecords(reads);
    expect(projects.map((p) => p.projectId)).toEqual(['HD-2027-001', 'HD-2027-002', 'HD-2027-003', 'HD-2027-004', 'HD-2027-005']);
    expect(milestones).toHaveLength(5);
  });

  test('without a determination the parcel checks are not made', () => {
    const none = pilotChecks({ reads, determination: null, asOf: AS_OF }).map((i) => i.code);
    expect(none).not.toContain('parcel-not-in-base');
    expect(none).not.toContain('project-parcel-not-low');
    expect(none).toContain('milestone-overdue');
  });
});

describe('the file of each pilot issue', () => {
  test('two units’ milestone sheets of the same name: each check issue and each reader issue names its own file', () => {
    const AS_OF = '2026-12-06';
    const sheetOf = (file: string, rows: Record<string, string | null>[]) => readWorkbook(workbook(file, [formSheet('milestone', rows as never)]), rs);
    const reads = [
      ...readWorkbook(workbook('项目.xlsx', [formSheet('project', [projectRow('HD-2027-001', P1)] as never)]), rs),
      ...sheetOf('住建委.xlsx', [milestoneRow('HD-2027-001', '施工许可', '2026-12-01', null)]), // overdue
      ...sheetOf('大王庄.xlsx', [milestoneRow('HD-2027-001', '开工', '2026-11-01', null, '大王庄街道'), milestoneRow('HD-2027-001', '竣工', '2027-12-31', '完成')]), // overdue; a bad date
    ];
    expect(reads[1].sheet).toBe(reads[2].sheet);
    const { issues, fileOf } = pilotIssues({ reads, determination: det, asOf: AS_OF });
    const overdue = issues.filter((i) => i.code === 'milestone-overdue');
    expect(overdue.map((i) => [i.value, fileOf(i)])).toEqual([
      ['2026-12-01', '住建委.xlsx'],
      ['2026-11-01', '大王庄.xlsx'],
    ]);
    const bad = issues.find((i) => i.value === '完成')!;
    expect(bad.severity).toBe('error');
    expect(fileOf(bad)).toBe('大王庄.xlsx');
    // the same issues as the reader's plus pilotChecks', in that order
    expect(issues.map((i) => i.code)).toEqual([...reads.flatMap((r) => r.issues), ...pilotChecks({ reads, determination: det, asOf: AS_OF })].map((i) => i.code));
  });
});
