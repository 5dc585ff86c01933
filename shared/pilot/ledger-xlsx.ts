/**
 * The ledger workbook (pilot.md §3): 台账, 节点明细, 逾期节点, 单位责任, in the formal layout of
 * domain.md §7 (formal-xlsx.ts). Every figure comes from the computed ledger (ledger.ts).
 */
import type { Writable } from 'node:stream';
import { mu } from '../determine/util';
import { writeOutput } from '../xlsx/atomic';
import { safeText } from '../xlsx/safe';
import { OUTPUT_TITLES, WORKBOOK_CREATOR } from '../outputs';
import { XlsxWriter } from '../xlsx/write';
import type { Issue } from '../issues/issue';
import { SPEC, stamp, writeIssueTable, writeTable, type Column, type Ctx, type Styles } from './formal-xlsx';
import type { Ledger, LedgerMilestone, LedgerOverdue, LedgerProject, LedgerUnit } from './ledger';

export const LEDGER_SHEETS = ['台账', '节点明细', '逾期节点', '单位责任', '问题清单'] as const;

export interface LedgerWorkbookOptions {
  district?: string;
  generatedAt?: Date;
  /** The file each issue came from (shared/pilot/read.ts issueFileOf). */
  fileOf?: (is: Issue) => string;
}

const t = (v: unknown): string | null => safeText(v);

function projectColumns(l: Ledger): Column<LedgerProject>[] {
  const x = (p: LedgerProject) => l.extra[p.projectId];
  return [
    { title: '项目编号', width: 14, kind: 'center', get: (p) => t(p.projectId) },
    { title: '项目名称', width: 24, kind: 'text', get: (p) => t(p.name) },
    { title: '街道', width: 12, kind: 'center', get: (p) => t(x(p)?.street) },
    { title: '再开发模式', width: 10, kind: 'center', get: (p) => t(x(p)?.mode) },
    { title: '牵头单位', width: 18, kind: 'text', get: (p) => t(x(p)?.leadUnit) },
    { title: '项目状态', width: 9, kind: 'center', get: (p) => t(p.status) },
    { title: '宗地数', width: 7, kind: 'integer', get: (p) => p.parcels.length },
    { title: '用地面积(亩)', width: 11, kind: 'amount', get: (p) => (p.landArea === null ? null : mu(p.landArea)) },
    { title: '节点数', width: 7, kind: 'integer', get: (p) => p.milestones.total },
    { title: '已完成', width: 7, kind: 'integer', get: (p) => p.milestones.done },
    { title: '其中逾期完成', width: 8, kind: 'integer', get: (p) => p.milestones.doneLate },
    { title: '逾期未完成', width: 8, kind: 'integer', get: (p) => p.milestones.overdue },
    { title: '60日内到期', width: 8, kind: 'integer', get: (p) => p.milestones.due60 },
    { title: '下一节点', width: 12, kind: 'center', get: (p) => t(p.next?.name) },
    { title: '计划完成日期', width: 12, kind: 'center', get: (p) => p.next?.due ?? null },
    { title: '责任单位', width: 18, kind: 'text', get: (p) => t(p.next?.unit) },
    { title: '需协调事项', width: 28, kind: 'text', get: (p) => t(x(p)?.coordination) },
  ];
}

function detailColumns(): Column<LedgerMilestone>[] {
  return [
    { title: '项目编号', width: 14, kind: 'center', get: (m) => t(m.projectId) },
    { title: '项目名称', width: 22, kind: 'text', get: (m) => t(m.projectName) },
    { title: '节点名称', width: 12, kind: 'center', get: (m) => t(m.name) },
    { title: '计划完成日期', width: 12, kind: 'center', get: (m) => m.plannedDate },
    { title: '实际完成日期', width: 12, kind: 'center', get: (m) => m.actualDate },
    { title: '状态', width: 10, kind: 'center', get: (m) => m.state },
    { title: '逾期天数', width: 8, kind: 'integer', get: (m) => (m.state === '逾期' || m.state === '逾期完成' ? m.days : null) },
    { title: '责任单位', width: 18, kind: 'text', get: (m) => t(m.unit) },
    { title: '责任人', width: 10, kind: 'center', get: (m) => t(m.person) },
    { title: '进展情况', width: 28, kind: 'text', get: (m) => t(m.progress) },
  ];
}

function overdueColumns(l: Ledger): Column<LedgerOverdue>[] {
  const name = new Map(l.projects.map((p) => [p.projectId, p.name]));
  return [
    { title: '责任单位', width: 20, kind: 'text', get: (o) => t(o.unit) },
    { title: '项目编号', width: 14, kind: 'center', get: (o) => t(o.projectId) },
    { title: '项目名称', width: 24, kind: 'text', get: (o) => t(name.get(o.projectId)) },
    { title: '节点名称', width: 12, kind: 'center', get: (o) => t(o.name) },
    { title: '计划完成日期', width: 12, kind: 'center', get: (o) => o.due },
    { title: '逾期天数', width: 9, kind: 'integer', get: (o) => o.daysOverdue },
  ];
}

function unitColumns(): Column<LedgerUnit>[] {
  return [
    { title: '责任单位', width: 22, kind: 'text', get: (u) => t(u.unit) },
    { title: '已完成节点', width: 10, kind: 'integer', get: (u) => u.done },
    { title: '其中按期完成', width: 10, kind: 'integer', get: (u) => u.done - u.doneLate },
    { title: '其中逾期完成', width: 10, kind: 'integer', get: (u) => u.doneLate },
    { title: '逾期未完成', width: 10, kind: 'integer', get: (u) => u.overdue },
    { title: '60日内到期', width: 10, kind: 'integer', get: (u) => u.due60 },
  ];
}

/** Writes the ledger workbook to a path (via a temporary file renamed when complete) or a stream. */
export async function writeLedger(l: Ledger, out: string | Writable, opts: LedgerWorkbookOptions = {}): Promise<void> {
  await writeOutput(out, async (stream) => {
    const district = opts.district ?? '河东区';
    const wb = new XlsxWriter(stream, { creator: WORKBOOK_CREATOR, title: OUTPUT_TITLES.ledger(district), created: opts.generatedAt });
    const st = {} as Styles;
    for (const k of Object.keys(SPEC) as (keyof typeof SPEC)[]) st[k] = wb.style(SPEC[k]);
    const ctx: Ctx = { wb, st, district, subtitle: `截至 ${l.asOf}　项目 ${l.projects.length} 个，逾期未完成节点 ${l.overdue.length} 个　生成时间：${stamp(opts.generatedAt ?? new Date())}` };
    // 逾期节点 by unit (catalogue order), oldest first within a unit
    const unitRank = new Map(l.units.map((u, i) => [u.unit, i]));
    const overdue = [...l.overdue].sort((a, b) => (unitRank.get(a.unit) ?? 0) - (unitRank.get(b.unit) ?? 0) || (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
    await writeTable(ctx, '台账', OUTPUT_TITLES.ledger(district), projectColumns(l), l.projects);
    await writeTable(ctx, '节点明细', `${district}低效用地再开发项目节点明细`, detailColumns(), l.detail);
    await writeTable(ctx, '逾期节点', `${district}逾期未完成节点（按责任单位）`, overdueColumns(l), overdue);
    await writeTable(ctx, '单位责任', `${district}各单位节点完成情况`, unitColumns(), l.units);
    await writeIssueTable(ctx, l.issues, opts.fileOf ?? (() => ''));
    await wb.close();
  });
}
