/**
 * The annual plan for 2027 against a hand-worked set. Parcels as determined: A 10000 m² 低效,
 * B 6000 低效, C 20000 低效 (唐家口), D 3000 非低效, E 5000 低效, G 4000 低效 (向阳楼), H 8000 低效.
 * - P1 HD-2027-001 技改升级 A+B 大王庄, 成熟 2027 → 成熟一批 (lead 产促局, 配合 规划分局);
 * - P2 HD-2027-002 因地招商 C 唐家口, 推动 2028 → 推动一批; P3 HD-2027-003 收储出让 D, 成熟 2028 →
 *   推动一批 (a 成熟 project of a later year); P7 HD-2027-007 技改升级 Q (no determination row) 推动 2027 → 推动一批;
 * - P4 成熟 2026 实施中: in neither batch, but its 2027 milestone is in 进度时序;
 * - P5 终止 on E: out, E is a candidate; P6 已盘活 on H: out of the batches, H not a candidate.
 */
import type { PilotMilestone, PilotProject } from '../../shared/pilot/model';
import { computePlan } from '../../shared/pilot/plan';
import { determination, low, parcel } from './fixtures';
import { BUILD, PLAN, UNIT_ORDER } from './plan-fixtures';

const IND = '区产业发展促进局';
const project = (over: Partial<PilotProject> & Pick<PilotProject, 'projectId' | 'mode' | 'parcels' | 'status' | 'maturity' | 'planYear'>): PilotProject => ({
  name: `${over.projectId}项目`, street: '大王庄街道', developer: '某某公司', leadUnit: IND,
  expectedTax: null, expectedOutput: null, coordination: null, ...over,
});
const ms = (projectId: string, name: string, plannedDate: string, unit: string): PilotMilestone => ({ projectId, name, plannedDate, actualDate: null, unit });

const input = {
  unitOrder: UNIT_ORDER,
  determination: determination('2026-06-30', [
    parcel('A', low(['IND-PLOT'])),
    parcel('B', { ...low(['IND-TAX']), landArea: 6000 }),
    parcel('C', { ...low(['IND-IDLE'], '因地招商'), street: '唐家口街道', landArea: 20000 }),
    parcel('D', { landArea: 3000 }),
    parcel('E', { ...low(['IND-STOP'], '整合重组'), landArea: 5000 }),
    parcel('G', { ...low(['IND-IDLE'], '因地招商'), street: '向阳楼街道', landArea: 4000 }),
    parcel('H', { ...low(['IND-TAX'], '收储出让'), landArea: 8000 }),
  ]),
  projects: [
    project({ projectId: 'HD-2027-001', mode: '技改升级', parcels: ['A', 'B'], status: '前期', maturity: '成熟', planYear: 2027, coUnits: [PLAN], content: '厂房改造' }),
    project({ projectId: 'HD-2027-002', mode: '因地招商', parcels: ['C'], status: '谋划', maturity: '推动', planYear: 2028, street: '唐家口街道', leadUnit: '区商务局' }),
    project({ projectId: 'HD-2027-003', mode: '收储出让', parcels: ['D'], status: '前期', maturity: '成熟', planYear: 2028, leadUnit: PLAN }),
    project({ projectId: 'HD-2026-004', mode: '技改升级', parcels: ['Z'], status: '实施中', maturity: '成熟', planYear: 2026 }),
    project({ projectId: 'HD-2026-005', mode: '整合重组', parcels: ['E'], status: '终止', maturity: '成熟', planYear: 2027 }),
    project({ projectId: 'HD-2026-006', mode: '技改升级', parcels: ['H'], status: '已盘活', maturity: '成熟', planYear: 2027 }),
    project({ projectId: 'HD-2027-007', mode: '技改升级', parcels: ['Q'], status: '谋划', maturity: '推动', planYear: 2027 }),
  ],
  milestones: [
    ms('HD-2027-001', '开工', '2027-06-30', BUILD),
    ms('HD-2027-001', '方案批准', '2027-01-20', PLAN),
    ms('HD-2027-001', '竣工', '2028-03-01', BUILD),
    ms('HD-2026-004', '竣工', '2027-06-15', BUILD),
    ms('HD-2026-005', '开工', '2027-03-01', BUILD),
    ms('HD-2027-002', '方案编制', '2026-12-31', '区商务局'),
    ms('HD-2027-007', '方案编制', '2027-12-31', IND),
  ],
};
const plan = computePlan(input, 2027);

test('成熟一批 and 推动一批', () => {
  expect(plan.mature.map((p) => p.projectId)).toEqual(['HD-2027-001']);
  expect(plan.push.map((p) => p.projectId)).toEqual(['HD-2027-002', 'HD-2027-003', 'HD-2027-007']);
  expect(plan.mature[0]).toMatchObject({ landArea: 16000, landAreaMu: 24, content: '厂房改造', coUnits: [PLAN] });
  expect(plan.push[2]).toMatchObject({ landArea: 0, landAreaMu: 0 });
});

test('计划汇总 by mode × street, by mode, by batch', () => {
  expect(plan.summary.byModeStreet.map((r) => [r.mode, r.street, r.projects, r.parcels, r.area, r.areaMu])).toEqual([
    ['因地招商', '唐家口街道', 1, 1, 20000, 30],
    ['技改升级', '大王庄街道', 2, 3, 16000, 24],
    ['收储出让', '大王庄街道', 1, 1, 3000, 4.5],
  ]);
  expect(plan.summary.byMode.map((r) => [r.mode, r.projects])).toEqual([['因地招商', 1], ['技改升级', 2], ['整合重组', 0], ['收储出让', 1], ['综合施策', 0]]);
  expect(plan.summary.byBatch.map((r) => [r.batch, r.projects, r.parcels, r.area, r.areaMu])).toEqual([['成熟一批', 1, 2, 16000, 24], ['推动一批', 3, 3, 23000, 34.5]]);
  expect(plan.summary.total).toEqual({ projects: 4, parcels: 5, area: 39000, areaMu: 58.5 });
});

test('进度时序: milestones of 2027 of projects not 终止, by month × unit in catalogue order', () => {
  expect(plan.milestones.map((m) => [m.projectId, m.name, m.month])).toEqual([
    ['HD-2027-001', '方案批准', 1], ['HD-2026-004', '竣工', 6], ['HD-2027-001', '开工', 6], ['HD-2027-007', '方案编制', 12],
  ]);
  expect(plan.schedule.map((r) => [r.unit, r.total, r.months.flatMap((n, i) => (n ? [[i + 1, n]] : []))])).toEqual([
    [PLAN, 1, [[1, 1]]], [BUILD, 2, [[6, 2]]], [IND, 1, [[12, 1]]],
  ]);
});

test('责任清单: each unit with the batch projects it leads or supports and its milestones of the year', () => {
  expect(plan.responsibilities.map((u) => [u.unit, u.projects.map((p) => `${p.projectId}${p.role}`), u.milestones.map((m) => m.name)])).toEqual([
    [PLAN, ['HD-2027-001配合', 'HD-2027-003牵头'], ['方案批准']],
    [BUILD, [], ['竣工', '开工']],
    [IND, ['HD-2027-001牵头', 'HD-2027-007牵头'], ['方案编制']],
    ['区商务局', ['HD-2027-002牵头'], []],
  ]);
});

test('待纳入地块: 低效 parcels in no project that is not 终止', () => {
  expect(plan.candidates.map((c) => [c.parcelId, c.street, c.mode, c.landArea, c.areaMu])).toEqual([
    ['E', '大王庄街道', '整合重组', 5000, 7.5],
    ['G', '向阳楼街道', '因地招商', 4000, 6],
  ]);
});

test('without a determination: no areas, no candidates, the batches unchanged', () => {
  const p = computePlan({ ...input, determination: null }, 2027);
  expect(p.summary.total).toEqual({ projects: 4, parcels: 5, area: null, areaMu: null });
  expect(p.candidates).toEqual([]);
  expect(p.push.map((x) => x.projectId)).toEqual(plan.push.map((x) => x.projectId));
});
