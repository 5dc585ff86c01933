/**
 * The annual implementation plan workbook (年度实施计划, pilot.md §3): 计划汇总, 成熟一批, 推动一批,
 * 进度时序, 责任清单, 待纳入地块, in the formal layout of domain.md §7 (formal-xlsx.ts). Every figure
 * comes from the computed plan (plan.ts).
 */
import type { Writable } from 'node:stream';
import { writeOutput } from '../xlsx/atomic';
import { safeText } from '../xlsx/safe';
import { OUTPUT_TITLES, WORKBOOK_CREATOR } from '../outputs';
import { XlsxWriter, type CellValue } from '../xlsx/write';
import type { Issue } from '../issues/issue';
import { SPEC, stamp, writeIssueTable, writeTable, type Column, type Ctx, type Styles } from './formal-xlsx';
import type { CandidateParcel, Plan, PlanFigures, PlanProject, ScheduleRow } from './plan';

export const PLAN_SHEETS = ['计划汇总', '成熟一批', '推动一批', '进度时序', '责任清单', '待纳入地块', '问题清单'] as const;

export interface PlanWorkbookOptions {
  district?: string;
  generatedAt?: Date;
  /** The issues of the plan's inputs (the rows they left out are in no other sheet), and the file of each. */
  issues?: readonly Issue[];
  fileOf?: (is: Issue) => string;
}

const t = (v: unknown): string | null => safeText(v);

interface SummaryLine extends PlanFigures {
  group: string;
  label: string;
}

function summaryLines(p: Plan): SummaryLine[] {
  return [
    ...p.summary.byBatch.map((x) => ({ group: '按批次', label: x.batch, ...x })),
    ...p.summary.byMode.map((x) => ({ group: '按再开发模式', label: x.mode, ...x })),
    ...p.summary.byModeStreet.map((x) => ({ group: '按模式和街道', label: `${x.mode}·${x.street}`, ...x })),
    { group: '合计', label: '', ...p.summary.total },
  ];
}

const figureColumns = <T extends PlanFigures>(): Column<T>[] => [
  { title: '项目数', width: 8, kind: 'integer', get: (x) => x.projects },
  { title: '宗地数', width: 8, kind: 'integer', get: (x) => x.parcels },
  { title: '用地面积(㎡)', width: 14, kind: 'amount', get: (x) => x.area },
  { title: '用地面积(亩)', width: 12, kind: 'amount', get: (x) => x.areaMu },
];

function projectColumns(): Column<PlanProject>[] {
  return [
    { title: '项目编号', width: 14, kind: 'center', get: (p) => t(p.projectId) },
    { title: '项目名称', width: 22, kind: 'text', get: (p) => t(p.name) },
    { title: '街道', width: 11, kind: 'center', get: (p) => t(p.street) },
    { title: '再开发模式', width: 10, kind: 'center', get: (p) => t(p.mode) },
    { title: '开发主体', width: 20, kind: 'text', get: (p) => t(p.developer) },
    { title: '实施内容', width: 24, kind: 'text', get: (p) => t(p.content) },
    { title: '计划年度', width: 8, kind: 'center', get: (p) => p.planYear },
    { title: '计划开工日期', width: 12, kind: 'center', get: (p) => p.plannedStart },
    { title: '计划完成日期', width: 12, kind: 'center', get: (p) => p.plannedEnd },
    { title: '宗地数', width: 7, kind: 'integer', get: (p) => p.parcels.length },
    { title: '用地面积(亩)', width: 11, kind: 'amount', get: (p) => p.landAreaMu },
    { title: '投资估算(万元)', width: 12, kind: 'amount', get: (p) => p.investment },
    { title: '资金来源', width: 10, kind: 'center', get: (p) => t(p.fundSource) },
    { title: '牵头单位', width: 18, kind: 'text', get: (p) => t(p.leadUnit) },
    { title: '配合单位', width: 22, kind: 'text', get: (p) => t(p.coUnits.join('、')) },
    { title: '项目状态', width: 9, kind: 'center', get: (p) => t(p.status) },
  ];
}

function scheduleColumns(): Column<ScheduleRow>[] {
  const months: Column<ScheduleRow>[] = Array.from({ length: 12 }, (_, i) => ({ title: `${i + 1}月`, width: 6, kind: 'integer' as const, get: (r: ScheduleRow): CellValue => r.months[i] || null }));
  return [{ title: '责任单位', width: 22, kind: 'text', get: (r) => t(r.unit) }, ...months, { title: '合计', width: 7, kind: 'integer', get: (r) => r.total }];
}

interface DutyLine {
  unit: string;
  kind: string;
  projectId: string;
  name: string;
  date: string | null;
}

function dutyLines(p: Plan): DutyLine[] {
  const out: DutyLine[] = [];
  for (const u of p.responsibilities) {
    for (const x of u.projects) out.push({ unit: u.unit, kind: `项目（${x.role}）`, projectId: x.projectId, name: x.name, date: null });
    for (const m of u.milestones) out.push({ unit: u.unit, kind: `节点：${m.name}`, projectId: m.projectId, name: m.projectName, date: m.plannedDate });
  }
  return out;
}

function candidateColumns(): Column<CandidateParcel>[] {
  return [
    { title: '宗地代码', width: 22, kind: 'center', get: (c) => t(c.parcelId) },
    { title: '街道', width: 11, kind: 'center', get: (c) => t(c.street) },
    { title: '用地类别', width: 9, kind: 'center', get: (c) => t(c.category) },
    { title: '命中规则', width: 22, kind: 'text', get: (c) => t(c.hits.join('、')) },
    { title: '建议再开发模式', width: 12, kind: 'center', get: (c) => t(c.mode) },
    { title: '用地面积(㎡)', width: 13, kind: 'amount', get: (c) => c.landArea },
    { title: '用地面积(亩)', width: 11, kind: 'amount', get: (c) => c.areaMu },
  ];
}

/** Writes the plan workbook to a path (via a temporary file renamed when complete) or a stream. */
export async function writePlan(p: Plan, out: string | Writable, opts: PlanWorkbookOptions = {}): Promise<void> {
  await writeOutput(out, async (stream) => {
    const district = opts.district ?? '河东区';
    const wb = new XlsxWriter(stream, { creator: WORKBOOK_CREATOR, title: OUTPUT_TITLES.plan(district, p.year), created: opts.generatedAt });
    const st = {} as Styles;
    for (const k of Object.keys(SPEC) as (keyof typeof SPEC)[]) st[k] = wb.style(SPEC[k]);
    const ctx: Ctx = { wb, st, district, subtitle: `${p.year}年度：成熟一批 ${p.mature.length} 个项目，推动一批 ${p.push.length} 个项目，待纳入地块 ${p.candidates.length} 宗　生成时间：${stamp(opts.generatedAt ?? new Date())}` };
    const title = (s: string) => `${district}低效用地再开发${p.year}年度实施计划——${s}`;
    await writeTable<SummaryLine>(ctx, '计划汇总', title('计划汇总'), [
      { title: '分类', width: 14, kind: 'center', get: (x) => x.group },
      { title: '项目', width: 22, kind: 'text', get: (x) => t(x.label) },
      ...figureColumns<SummaryLine>(),
    ], summaryLines(p));
    await writeTable(ctx, '成熟一批', title('成熟一批'), projectColumns(), p.mature);
    await writeTable(ctx, '推动一批', title('推动一批'), projectColumns(), p.push);
    await writeTable(ctx, '进度时序', title('进度时序（节点数，按月×单位）'), scheduleColumns(), p.schedule);
    await writeTable<DutyLine>(ctx, '责任清单', title('责任清单'), [
      { title: '单位', width: 22, kind: 'text', get: (x) => t(x.unit) },
      { title: '责任', width: 16, kind: 'text', get: (x) => t(x.kind) },
      { title: '项目编号', width: 14, kind: 'center', get: (x) => t(x.projectId) },
      { title: '项目名称', width: 24, kind: 'text', get: (x) => t(x.name) },
      { title: '计划完成日期', width: 12, kind: 'center', get: (x) => x.date },
    ], dutyLines(p));
    await writeTable(ctx, '待纳入地块', title('待纳入地块（滚动开发）'), candidateColumns(), p.candidates);
    await writeIssueTable(ctx, opts.issues ?? [], opts.fileOf ?? (() => ''));
    await wb.close();
  });
}
