/**
 * The ledger (pilot.md §3, `ledger --json` of interfaces.md) against hand-computed figures, with
 * the boundaries: due on the as-of date, done on the planned date, done one day late, a done
 * date after the as-of date, the 60-day window's edges, a 终止 project, next null when all done.
 */
import { computeLedger, ledgerJson, milestoneState } from '../../shared/pilot/ledger';
import type { PilotMilestone, PilotProject } from '../../shared/pilot/model';
import { UNIT_NAMES } from '../../shared/pilot/units';
import { determination, low, parcel } from './fixtures';

const AS_OF = '2026-12-06';
const project = (projectId: string, parcels: string[], status = '实施中'): PilotProject => ({
  projectId, name: `${projectId}项目`, parcels, street: '大王庄街道', mode: '技改升级', developer: '某公司', leadUnit: '区产业发展促进局',
  status, expectedTax: null, expectedOutput: null, coordination: null,
});
const ms = (projectId: string, name: string, plannedDate: string, actualDate: string | null, unit = '区住房城乡建设委'): PilotMilestone => ({ projectId, name, plannedDate, actualDate, unit });

const det = determination('2022-12-31', [parcel('P1', { ...low(['IND-PLOT']), landArea: 12000 }), parcel('P2', { ...low(['IND-TAX']), landArea: 3000 }), parcel('P3', low(['IND-TAX']))]);

const projects = [project('HD-2026-002', ['P3'], '终止'), project('HD-2026-001', ['P1', 'P2']), project('HD-2027-001', ['P9'])];
const milestones = [
  ms('HD-2026-001', '方案编制', '2026-03-01', '2026-03-01', '区产业发展促进局'), // done on the planned date: on time
  ms('HD-2026-001', '方案批准', '2026-04-01', '2026-04-02', '市规划资源局河东分局'), // one day late
  ms('HD-2026-001', '施工许可', '2026-10-31', null), // overdue 36 days
  ms('HD-2026-001', '开工', '2026-12-06', null), // due on the as-of date: not overdue, due within 60 days
  ms('HD-2026-001', '竣工', '2027-02-04', null), // as-of + 60: in the window
  ms('HD-2026-001', '投产运营', '2027-02-05', null, '区产业发展促进局'), // as-of + 61: out
  ms('HD-2026-002', '方案编制', '2026-01-01', null), // 终止: counts nowhere
  ms('HD-2027-001', '方案编制', '2026-11-01', '2026-12-07', '区发展改革委'), // done after the as-of date: not done, overdue 35 days
];

describe('ledger', () => {
  const l = computeLedger({ projects, milestones, determination: det, asOf: AS_OF, unitOrder: UNIT_NAMES });
  const j = ledgerJson(l);

  test('the JSON has exactly the contract keys', () => {
    expect(Object.keys(j)).toEqual(['asOf', 'projects', 'overdue', 'units', 'issues']);
    expect(Object.keys(j.projects[0])).toEqual(['projectId', 'name', 'status', 'parcels', 'landArea', 'milestones', 'next']);
    expect(j.asOf).toBe(AS_OF);
  });

  test('per project: done, done late, overdue, due in 60 days, next, land area', () => {
    const p = j.projects.find((x) => x.projectId === 'HD-2026-001')!;
    expect(p.milestones).toEqual({ total: 6, done: 2, doneLate: 1, overdue: 1, due60: 2 });
    expect(p.next).toEqual({ name: '施工许可', due: '2026-10-31', unit: '区住房城乡建设委' });
    expect(p.landArea).toBe(15000);
    expect(p.parcels).toEqual(['P1', 'P2']);
  });

  test('a done date after the as-of date is not done; a parcel not determined gives no area', () => {
    const p = j.projects.find((x) => x.projectId === 'HD-2027-001')!;
    expect(p.milestones).toEqual({ total: 1, done: 0, doneLate: 0, overdue: 1, due60: 0 });
    expect(p.landArea).toBeNull();
  });

  test('a 终止 project counts nothing and is never overdue', () => {
    const p = j.projects.find((x) => x.projectId === 'HD-2026-002')!;
    expect(p.milestones).toEqual({ total: 0, done: 0, doneLate: 0, overdue: 0, due60: 0 });
    expect(p.next).toBeNull();
    expect(j.overdue.some((o) => o.projectId === 'HD-2026-002')).toBe(false);
    expect(l.detail.find((m) => m.projectId === 'HD-2026-002')!.state).toBe('已终止');
  });

  test('overdue oldest first with days overdue', () => {
    expect(j.overdue).toEqual([
      { projectId: 'HD-2026-001', name: '施工许可', due: '2026-10-31', unit: '区住房城乡建设委', daysOverdue: 36 },
      { projectId: 'HD-2027-001', name: '方案编制', due: '2026-11-01', unit: '区发展改革委', daysOverdue: 35 },
    ]);
  });

  test('units in catalogue order with their counts', () => {
    expect(j.units).toEqual([
      { unit: '市规划资源局河东分局', done: 1, doneLate: 1, overdue: 0, due60: 0 },
      { unit: '区发展改革委', done: 0, doneLate: 0, overdue: 1, due60: 0 },
      { unit: '区住房城乡建设委', done: 0, doneLate: 0, overdue: 1, due60: 2 },
      { unit: '区产业发展促进局', done: 1, doneLate: 0, overdue: 0, due60: 0 },
    ]);
  });

  test('milestone states', () => {
    expect(milestoneState(ms('X', 'a', '2026-03-01', '2026-03-01'), AS_OF)).toEqual({ state: '按期完成', days: 0, done: true });
    expect(milestoneState(ms('X', 'a', '2026-03-01', '2026-03-02'), AS_OF)).toEqual({ state: '逾期完成', days: 1, done: true });
    expect(milestoneState(ms('X', 'a', AS_OF, null), AS_OF)).toEqual({ state: '未到期', days: 0, done: false });
    expect(milestoneState(ms('X', 'a', '2026-12-05', null), AS_OF)).toEqual({ state: '逾期', days: 1, done: false });
  });

  test('next is null when every milestone is done; without a determination land area is null', () => {
    const one = computeLedger({ projects: [project('A', ['P1'])], milestones: [ms('A', '开工', '2026-01-01', '2026-01-01')], determination: null, asOf: AS_OF });
    expect(one.projects[0].next).toBeNull();
    expect(one.projects[0].landArea).toBeNull();
  });
});
