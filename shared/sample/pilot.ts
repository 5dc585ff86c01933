/**
 * The sample pilot (pilot.md §1) for the sample district: a project workbook written by the
 * office and a milestone workbook per unit group, built from a determination's 低效 parcels.
 * Deterministic for a seed and the as-of date the sample is drawn around (DEMO_AS_OF): some
 * milestones done on time, some late, some overdue, one project 已盘活 with a case, one 终止.
 * Rows are made by the forms' Chinese titles (pilot.md §1) and turned into field keys through the
 * catalogue, so nothing here restates the forms.
 */
import type { ConsolidationResultJson } from '../contract';
import { getForm, type FormId } from '../forms';
import type { Mode } from '../lists';
import type { FieldValue } from '../types';
import type { SampleRow, SampleWorkbook } from './generate';
import { Random } from './random';

/** The day the sample pilot is drawn around (the demo's "today"). */
export const DEMO_AS_OF = '2026-12-06';

/** Milestones a project of each mode passes, with the unit responsible (null: the lead unit). */
const STEPS: Record<Mode, readonly (readonly [string, string | null])[]> = {
  因地招商: [['方案编制', null], ['方案批准', '市规划资源局河东分局'], ['规划许可', '市规划资源局河东分局'], ['开工', null], ['竣工', null], ['投产运营', '区商务局']],
  技改升级: [['方案编制', null], ['方案批准', '市规划资源局河东分局'], ['施工许可', '区住房城乡建设委'], ['开工', null], ['竣工', null], ['投产运营', '区产业发展促进局']],
  整合重组: [['方案编制', null], ['方案批准', '市规划资源局河东分局'], ['规划许可', '市规划资源局河东分局'], ['施工许可', '区住房城乡建设委'], ['开工', null], ['竣工', null]],
  收储出让: [['方案编制', null], ['方案批准', '市规划资源局河东分局'], ['收储完成', '区国资委'], ['供地', '市规划资源局河东分局'], ['开工', null], ['竣工', null]],
  综合施策: [['方案编制', null], ['方案批准', '市规划资源局河东分局'], ['施工许可', '区住房城乡建设委'], ['开工', null], ['竣工', null]],
};
const LEAD: Record<Mode, string> = {
  因地招商: '区商务局', 技改升级: '区产业发展促进局', 整合重组: '区国资委', 收储出让: '市规划资源局河东分局', 综合施策: '区发展改革委',
};
/** How people write some units in their own sheets (short names the reader accepts). */
const SHORT: Record<string, string> = { 区住房城乡建设委: '住建委', 区产业发展促进局: '产促局', 市规划资源局河东分局: '规划资源分局' };
const DEVELOPERS = ['天津河东城市更新有限公司', '天津津城产业投资有限公司', '原土地使用权人', '天津东站商务区开发有限公司', '天津市河东区国有资产经营公司'];
const COORDINATION = ['需协调历史遗留产权问题', '需区财政局明确收储资金来源', '企业搬迁安置需街道配合', '需市级部门审批规划调整'];

const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10);

export interface PilotSample {
  asOf: string;
  workbooks: SampleWorkbook[];
  /** Project ids of note, for tests and the demo's summary. */
  revitalised: string;
  terminated: string;
}

function toKeys(form: FormId, byTitle: Record<string, FieldValue>): SampleRow {
  const out: SampleRow = {};
  for (const f of getForm(form).fields) out[f.key] = byTitle[f.title] ?? null;
  for (const t of Object.keys(byTitle)) if (!getForm(form).fields.some((f) => f.title === t)) throw new Error(`sample: form ${form} has no column ${t}`);
  return out;
}

/** About `count` projects over the determination's 低效 parcels (a few over two parcels). */
export function generatePilotSample(det: ConsolidationResultJson, opts: { count?: number; seed?: number; asOf?: string } = {}): PilotSample {
  const asOf = opts.asOf ?? DEMO_AS_OF;
  const rnd = new Random(opts.seed ?? 2027);
  const low = det.parcels.filter((p) => p.result === '低效' && p.mode !== null);
  const count = Math.min(opts.count ?? 40, low.length);
  const year = Number(asOf.slice(0, 4));
  const projects: Record<string, FieldValue>[] = [];
  const milestones: Record<string, FieldValue>[] = [];
  let next = 0;
  let revitalised = '';
  let terminated = '';
  for (let i = 0; i < count && next < low.length; i++) {
    const first = low[next++];
    const parcels = [first];
    // every seventh project takes the next 低效 parcel of the same street too (its suggested mode may differ: mode-differs)
    if (i % 7 === 3) {
      const j = low.findIndex((p, k) => k >= next && p.street === first.street);
      if (j >= 0) parcels.push(...low.splice(j, 1));
    }
    const mode = first.mode as Mode;
    const planYear = i < 26 ? year : year + 1;
    const id = `HD-${planYear}-${String(i + 1).padStart(3, '0')}`;
    const status = i === 5 ? '已盘活' : i === 11 ? '终止' : i === 17 ? '暂缓' : planYear > year ? rnd.pick(['谋划', '前期'] as const) : i % 4 === 0 ? '前期' : '实施中';
    if (status === '已盘活') revitalised = id;
    if (status === '终止') terminated = id;
    const lead = LEAD[mode];
    // the project's schedule: first milestone 2025-03 … for this year's projects, next year's start in the year
    const start = planYear > year ? `${planYear}-0${rnd.int(2, 6)}-15` : addDays(`${year - 1}-03-01`, rnd.int(0, 300));
    const steps = STEPS[mode];
    let due = start;
    const dues: string[] = [];
    for (let s = 0; s < steps.length; s++) {
      due = addDays(due, rnd.int(45, 110));
      dues.push(due);
    }
    const plannedStart = dues[steps.findIndex((s) => s[0] === '开工')] ?? null;
    const plannedEnd = dues[dues.length - 1];
    const expectedTax = Math.round(first.landArea / 666.67 * rnd.range(4, 12) * 100) / 100;
    for (const p of parcels) {
      projects.push({
        项目编号: id, 项目名称: `${p.street.replace(/街道$/, '')}${mode === '收储出让' ? '收储' : '更新'}项目${i + 1}`, 宗地代码: p.parcelId, 街道: p.street,
        再开发模式: mode, 开发主体: DEVELOPERS[i % DEVELOPERS.length], 实施内容: `${mode}：${p.category}用地再开发`,
        计划年度: planYear, 成熟度: planYear === year || i % 3 === 0 ? '成熟' : '推动',
        计划开工日期: plannedStart, 计划完成日期: plannedEnd, '投资估算(万元)': Math.round(rnd.range(800, 12000)),
        资金来源: rnd.pick(['企业自筹', '社会资本', '财政资金', '专项债'] as const), 牵头单位: i % 5 === 2 ? SHORT[lead] ?? lead : lead,
        配合单位: `${p.street}、区住房城乡建设委`, 方案状态: status === '谋划' ? '未编制' : status === '前期' ? '编制中' : '已批准', 项目状态: status,
        '预期新增税收(万元/年)': expectedTax, '预期新增产值(万元/年)': Math.round(expectedTax * rnd.range(8, 15) * 100) / 100,
        需协调事项: i % 6 === 1 ? COORDINATION[i % COORDINATION.length] : null,
      });
    }
    steps.forEach(([name, unit], s) => {
      const planned = dues[s];
      let actual: string | null = null;
      if (status === '已盘活') actual = addDays(planned, s === steps.length - 1 ? 0 : rnd.int(-10, 5));
      else if (status !== '终止' && status !== '暂缓' && planned < asOf) {
        const r = rnd.next();
        // most past milestones done (some late), about one in six still open: overdue
        actual = r < 0.62 ? addDays(planned, -rnd.int(0, 20)) : r < 0.84 ? addDays(planned, rnd.int(1, 40)) : null;
        if (actual !== null && actual > asOf) actual = asOf;
      }
      const resp = unit ?? lead;
      milestones.push({
        项目编号: id, 节点名称: name, 计划完成日期: planned, 实际完成日期: actual,
        责任单位: s % 4 === 1 ? SHORT[resp] ?? resp : resp, 责任人: null,
        进展情况: actual ? '已完成' : planned < asOf ? '推进中，已滞后' : null,
      });
    });
  }
  const projectRows = projects.map((r) => toKeys('project', r));
  const milestoneRows = milestones.map((r) => toKeys('milestone', r));
  const workbooks: SampleWorkbook[] = [
    {
      file: '工作专班办公室-低效用地再开发项目表.xlsx', department: '工作专班办公室',
      sheets: [{ form: 'project', rows: projectRows, shape: { sheetName: '项目表', title: `河东区低效用地再开发项目表（${year}—${year + 1}年）`, numberColumn: '序号', mergeDown: 'projectId' } }],
    },
    {
      file: '各责任单位-项目节点表.xlsx', department: '工作专班办公室',
      sheets: [{ form: 'milestone', rows: milestoneRows, shape: { sheetName: '节点表', title: '低效用地再开发项目节点表', subtitle: `填报日期：${asOf}`, numberColumn: '序号', noteLines: [['注：实际完成日期未填写的为尚未完成的节点。']] } }],
    },
  ];
  return { asOf, workbooks, revitalised, terminated };
}
