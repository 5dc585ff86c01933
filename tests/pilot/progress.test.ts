/** Brief and report figures against the hand-worked set of progress-fixtures.ts. */
import { compareDeterminations } from '../../shared/pilot/compare';
import { computeBrief, computeReport } from '../../shared/pilot/progress';
import { comparePair } from './fixtures';
import { AS_OF, progressInput } from './progress-fixtures';

describe('computeBrief as of 2026-12-06', () => {
  const b = computeBrief(progressInput());

  test('第18期, 2026-11-01 to the as-of date; next period 2027 1–2', () => {
    expect([b.issue, b.period.start, b.period.end, b.asOf]).toEqual([18, '2026-11-01', '2026-12-31', AS_OF]);
    expect([b.next.issue, b.next.start, b.next.end]).toEqual([19, '2027-01-01', '2027-02-28']);
  });

  test('总体进展: low land as determined, projects without 终止, started/completed/盘活 in period and total', () => {
    expect(b.overview).toMatchObject({
      lowParcels: 4, lowArea: 41000, lowAreaMu: 61.5,
      projects: 3, projectParcels: 4, projectAreaMu: 58.5,
      startedInPeriod: 1, startedTotal: 2,
      completedInPeriod: 0, completedTotal: 1,
      revitalisedInPeriod: 1, revitalisedTotal: 1, revitalisedAreaMuInPeriod: 30, revitalisedAreaMuTotal: 30,
    });
    const m = Object.fromEntries(b.overview.byMode.map((r) => [r.mode, [r.projects, r.parcels, r.areaMu, r.started, r.completed, r.revitalised, r.revitalisedAreaMu]]));
    expect(m).toEqual({
      因地招商: [1, 1, 30, 1, 1, 1, 30],
      技改升级: [1, 2, 24, 1, 0, 0, 0],
      整合重组: [0, 0, 0, 0, 0, 0, 0],
      收储出让: [1, 1, 4.5, 0, 0, 0, 0],
      综合施策: [0, 0, 0, 0, 0, 0, 0],
    });
  });

  test('本期主要工作: milestones done from 11-01 to the as-of date, late ones marked', () => {
    expect(b.done.map((d) => [d.projectId, d.name, d.actualDate, d.late])).toEqual([
      ['HD-2026-001', '开工', '2026-11-05', true],
      ['HD-2026-002', '投产运营', '2026-11-20', false],
    ]);
  });

  test('存在问题: overdue by unit in catalogue order; due on the as-of date is not overdue; a future actual date is not done', () => {
    expect(b.overdueTotal).toBe(2);
    expect(b.overdueByUnit.map((u) => [u.unit, u.milestones.map((m) => [m.name, m.daysOverdue])])).toEqual([
      ['市规划资源局河东分局', [['规划许可', 21]]],
      ['区国资委', [['收储完成', 67]]],
    ]);
    expect(b.coordination).toEqual([{ projectId: 'HD-2026-001', projectName: 'HD-2026-001项目', leadUnit: '区产业发展促进局', text: '需协调供电扩容' }]);
  });

  test('下步计划: not done and planned in 2027 1–2', () => {
    expect(b.nextDue.map((d) => [d.projectId, d.name, d.plannedDate])).toEqual([
      ['HD-2026-001', '竣工', '2027-01-15'],
      ['HD-2026-003', '供地', '2027-02-28'],
    ]);
  });

  test('the chart series: 盘活 land per mode per half year from 2024 H1', () => {
    expect(b.revitalisedByHalfYear.map((h) => h.half)).toEqual(['2024H1', '2024H2', '2025H1', '2025H2', '2026H1', '2026H2']);
    expect(b.revitalisedByHalfYear[5].areaMu.因地招商).toBe(30);
    const total = b.revitalisedByHalfYear.reduce((s, h) => s + Object.values(h.areaMu).reduce((x, y) => x + y, 0), 0);
    expect(total).toBe(30);
  });

  test('one day later the milestone due on 12-06 is overdue by one day', () => {
    const later = computeBrief(progressInput('2026-12-07'));
    const rp = later.overdueByUnit.find((u) => u.unit === '市规划资源局河东分局')!;
    expect(rp.milestones.map((m) => [m.name, m.daysOverdue])).toEqual([['规划许可', 22], ['方案编制', 1]]);
  });

  test('in the next period (2027-01-10, 第19期) the November work is no longer this period\'s', () => {
    const jan = computeBrief(progressInput('2027-01-10'));
    expect(jan.issue).toBe(19);
    expect(jan.done).toEqual([]);
    expect(jan.overview.startedInPeriod).toBe(0);
    expect(jan.overview.startedTotal).toBe(2);
  });
});

describe('computeReport as of 2026-12-06 (2026 H2)', () => {
  const { older, newer } = comparePair();
  const r = computeReport(progressInput(), compareDeterminations(older, newer));

  test('the half year and its work', () => {
    expect([r.period.start, r.period.end, r.next.start, r.next.end]).toEqual(['2026-07-01', '2026-12-31', '2027-01-01', '2027-06-30']);
    expect(r.done.map((d) => d.name)).toEqual(['开工', '投产运营']);
    expect(r.overview.completedInPeriod).toBe(0); // 竣工 2026-06-10 is H1
    expect(r.nextDue.map((d) => d.name)).toEqual(['竣工', '供地']);
  });

  test('盘活案例: P2 with its parcel figures before (from the determination) and the expected gains', () => {
    expect(r.cases).toHaveLength(1);
    const c = r.cases[0];
    expect([c.projectId, c.mode, c.revitalisedOn, c.areaMu, c.expectedTax, c.expectedOutput]).toEqual(['HD-2026-002', '因地招商', '2026-11-20', 30, 300, 8000]);
    expect(c.parcels).toEqual([{ parcelId: 'C', street: '大王庄街道', category: '工业', result: '低效', hits: ['IND-IDLE'], landArea: 20000, plotRatio: 0.3, taxPerMu: 1.5, outputPerMu: 20 }]);
  });

  test('the survey change is the comparison given', () => {
    expect(r.surveyChange!.totals.left.count).toBe(1);
    expect(computeReport(progressInput()).surveyChange).toBeNull();
  });
});
