/**
 * The comparison workbook of `land-survey compare … -o <change.xlsx>` (pilot.md §4), formatted as
 * the office sends workbooks up (domain.md §7): merged title, 宋体/仿宋, borders, `#,##0.00`,
 * frozen header, autofilter, A4 landscape, header rows repeated, footer 第 &P 页 共 &N 页. Written
 * with the project's writer (`shared/xlsx/write.ts`); every value comes from the `Comparison`
 * object that is also the command's JSON.
 *
 * | sheet | content |
 * |---|---|
 * | 变化汇总 | both determinations' rule set and date; 低效 before/after, left (盘活成效), became, stayed; by street; by category |
 * | 宗地对比 | every parcel of either: results before/after, hits added/removed, 亩均税收/亩均产值/容积率 before, after, change |
 * | 退出低效 | parcels that left 低效 (盘活成效) |
 * | 新增低效 | parcels that became 低效 |
 * | 仅一次认定 | parcels found in only one of the two |
 */
import { writeOutput } from '../xlsx/atomic';
import type { Writable } from 'node:stream';
import { mu } from '../determine/util';
import { safeText } from '../xlsx/safe';
import { OUTPUT_TITLES, WORKBOOK_CREATOR } from '../outputs';
import { XlsxWriter } from '../xlsx/write';
import { fill, newSheet, SPEC, stamp, writeHeader, writeTable, writeTitle, type Column, type Ctx, type Styles } from './formal-xlsx';
import { TRANSITION_LABEL, type Comparison, type CountArea, type GroupChange, type ParcelChange } from './compare';

export const COMPARE_SHEETS = ['变化汇总', '宗地对比', '退出低效', '新增低效', '仅一次认定'] as const;

export interface CompareWorkbookOptions {
  district?: string;
  generatedAt?: Date;
}

/** Writes the workbook to a path (via a temporary file renamed when complete) or a stream. */
export async function writeComparison(c: Comparison, out: string | Writable, opts: CompareWorkbookOptions = {}): Promise<void> {
  await writeOutput(out, (stream) => writeTo(c, stream, opts));
}

async function writeTo(c: Comparison, stream: Writable, opts: CompareWorkbookOptions): Promise<void> {
  const district = opts.district ?? '河东区';
  const wb = new XlsxWriter(stream, { creator: WORKBOOK_CREATOR, title: OUTPUT_TITLES.comparison(district), created: opts.generatedAt });
  const st = {} as Styles;
  for (const k of Object.keys(SPEC) as (keyof typeof SPEC)[]) st[k] = wb.style(SPEC[k]);
  const side = (label: string, s: Comparison['old']) =>
    `${label}：规则集 ${safeText(s.ruleSet.id)} 版本 ${safeText(s.ruleSet.version)}，评价基准日 ${s.evaluationDate}，宗地 ${s.parcels} 宗`;
  const ctx: Ctx = {
    wb,
    st,
    district,
    subtitle: `${side('原认定', c.old)}；${side('新认定', c.new)}　生成时间：${stamp(opts.generatedAt ?? new Date())}`,
  };
  await writeSummary(ctx, c);
  await writeTable(ctx, '宗地对比', `${district}低效用地认定前后逐宗对比`, parcelColumns(), c.parcels);
  await writeTable(ctx, '退出低效', `${district}退出低效宗地清单（盘活成效）`, changedColumns('before'), c.parcels.filter((p) => p.transition === 'left'));
  await writeTable(ctx, '新增低效', `${district}新增低效宗地清单`, changedColumns('after'), c.parcels.filter((p) => p.transition === 'became'));
  await writeTable(ctx, '仅一次认定', `${district}仅在一次认定中出现的宗地`, onlyColumns(), c.parcels.filter((p) => p.transition === 'oldOnly' || p.transition === 'newOnly'));
  await wb.close();
}

const t = (v: unknown): string | null => {
  const s = safeText(v);
  return s === '' ? null : s;
};
const hitsText = (h: readonly string[]): string | null => (h.length ? h.join('、') : null);

function parcelColumns(): Column<ParcelChange>[] {
  return [
    { title: '宗地代码', width: 22, kind: 'text', get: (p) => t(p.parcelId) },
    { title: '街道', width: 12, kind: 'center', get: (p) => t(p.street) },
    { title: '用地类别', width: 8, kind: 'center', get: (p) => p.category },
    { title: '变化', width: 12, kind: 'center', get: (p) => TRANSITION_LABEL[p.transition] },
    { title: '原认定结果', width: 9, kind: 'center', get: (p) => p.before?.result ?? null },
    { title: '新认定结果', width: 9, kind: 'center', get: (p) => p.after?.result ?? null },
    { title: '新增命中规则', width: 16, kind: 'text', get: (p) => hitsText(p.hitsAdded) },
    { title: '消除命中规则', width: 16, kind: 'text', get: (p) => hitsText(p.hitsRemoved) },
    { title: '原亩均税收（万元/亩）', width: 11, kind: 'amount', get: (p) => p.before?.taxPerMu ?? null },
    { title: '新亩均税收（万元/亩）', width: 11, kind: 'amount', get: (p) => p.after?.taxPerMu ?? null },
    { title: '亩均税收变化', width: 11, kind: 'amount', get: (p) => p.delta.taxPerMu },
    { title: '原亩均产值（万元/亩）', width: 11, kind: 'amount', get: (p) => p.before?.outputPerMu ?? null },
    { title: '新亩均产值（万元/亩）', width: 11, kind: 'amount', get: (p) => p.after?.outputPerMu ?? null },
    { title: '亩均产值变化', width: 11, kind: 'amount', get: (p) => p.delta.outputPerMu },
    { title: '原容积率', width: 9, kind: 'amount', get: (p) => p.before?.plotRatio ?? null },
    { title: '新容积率', width: 9, kind: 'amount', get: (p) => p.after?.plotRatio ?? null },
    { title: '容积率变化', width: 9, kind: 'amount', get: (p) => p.delta.plotRatio },
    { title: '土地面积（㎡）', width: 13, kind: 'amount', get: (p) => (p.after ?? p.before)?.landArea ?? null },
  ];
}

function changedColumns(which: 'before' | 'after'): Column<ParcelChange>[] {
  const low = (p: ParcelChange) => (which === 'before' ? p.before : p.after)!;
  return [
    { title: '宗地代码', width: 22, kind: 'text', get: (p) => t(p.parcelId) },
    { title: '街道', width: 12, kind: 'center', get: (p) => t(p.street) },
    { title: '用地类别', width: 8, kind: 'center', get: (p) => p.category },
    { title: '土地面积（㎡）', width: 13, kind: 'amount', get: (p) => low(p).landArea },
    { title: '土地面积（亩）', width: 11, kind: 'amount', get: (p) => mu(low(p).landArea) },
    { title: which === 'before' ? '原命中规则' : '新命中规则', width: 18, kind: 'text', get: (p) => hitsText(low(p).hits) },
    { title: which === 'before' ? '原建议再开发模式' : '建议再开发模式', width: 12, kind: 'center', get: (p) => low(p).mode },
    { title: which === 'before' ? '新认定结果' : '原认定结果', width: 9, kind: 'center', get: (p) => (which === 'before' ? p.after : p.before)?.result ?? null },
    { title: '亩均税收变化', width: 11, kind: 'amount', get: (p) => p.delta.taxPerMu },
    { title: '亩均产值变化', width: 11, kind: 'amount', get: (p) => p.delta.outputPerMu },
    { title: '容积率变化', width: 9, kind: 'amount', get: (p) => p.delta.plotRatio },
  ];
}

function onlyColumns(): Column<ParcelChange>[] {
  const s = (p: ParcelChange) => (p.after ?? p.before)!;
  return [
    { title: '宗地代码', width: 22, kind: 'text', get: (p) => t(p.parcelId) },
    { title: '街道', width: 12, kind: 'center', get: (p) => t(p.street) },
    { title: '用地类别', width: 8, kind: 'center', get: (p) => p.category },
    { title: '出现于', width: 12, kind: 'center', get: (p) => TRANSITION_LABEL[p.transition] },
    { title: '认定结果', width: 9, kind: 'center', get: (p) => s(p).result },
    { title: '命中规则', width: 18, kind: 'text', get: (p) => hitsText(s(p).hits) },
    { title: '土地面积（㎡）', width: 13, kind: 'amount', get: (p) => s(p).landArea },
  ];
}

async function writeSummary(ctx: Ctx, c: Comparison): Promise<void> {
  const { st } = ctx;
  const widths = [22, 10, 13, 10, 13, 10, 13, 10, 13, 10, 13, 14];
  const ncol = widths.length;
  const ws = newSheet(ctx, '变化汇总', widths, 2);
  writeTitle(ctx, ws, `${ctx.district}低效用地认定前后对比汇总表`, ncol, widths);
  const section = (title: string) => {
    const r = ws.next;
    ws.row([title, ...fill(ncol - 1, null)], st.section);
    ws.merge(r, 1, r, ncol);
  };
  section('一、总体变化');
  writeHeader(ctx, ws, ['项目', '宗数', '面积（㎡）', '面积（亩）'], widths);
  const line = (label: string, x: CountArea) => ws.row([label, x.count, x.area, x.mu], [st.text, st.integer, st.amount, st.amount]);
  line('原认定低效用地', c.totals.lowBefore);
  line('新认定低效用地', c.totals.lowAfter);
  line('退出低效（盘活成效）', c.totals.left);
  line('新增低效', c.totals.became);
  line('仍为低效', c.totals.stayed);
  line('原低效、现待核实或不参评（未计入退出）', c.totals.unsettled);
  const count = (label: string, n: number) => ws.row([label, n], [st.text, st.integer]);
  count('两次认定均有的宗地', c.totals.inBoth);
  count('仅在原认定中的宗地', c.totals.oldOnly);
  count('仅在新认定中的宗地', c.totals.newOnly);
  count('其他认定结果变化（非低效之间）', c.totals.resultChanged);
  count('命中规则有变化的宗地', c.totals.hitsChanged);
  ws.skip();

  const groupHeader = (first: string) =>
    writeHeader(ctx, ws, [first, '原低效宗数', '原低效面积（亩）', '新低效宗数', '新低效面积（亩）', '退出低效宗数', '退出低效面积（亩）', '新增低效宗数', '新增低效面积（亩）', '转待核实宗数', '转待核实面积（亩）', '低效面积增减（亩）'], widths);
  const groupRow = (g: GroupChange, total = false) =>
    ws.row(
      [g.key, g.lowBefore.count, g.lowBefore.mu, g.lowAfter.count, g.lowAfter.mu, g.left.count, g.left.mu, g.became.count, g.became.mu, g.unsettled.count, g.unsettled.mu, mu(g.areaChange)],
      total
        ? [st.total, st.totalInteger, st.totalAmount, st.totalInteger, st.totalAmount, st.totalInteger, st.totalAmount, st.totalInteger, st.totalAmount, st.totalInteger, st.totalAmount, st.totalAmount]
        : [st.center, st.integer, st.amount, st.integer, st.amount, st.integer, st.amount, st.integer, st.amount, st.integer, st.amount, st.amount],
    );
  const totalGroup: GroupChange = {
    key: '合计',
    lowBefore: c.totals.lowBefore,
    lowAfter: c.totals.lowAfter,
    left: c.totals.left,
    became: c.totals.became,
    unsettled: c.totals.unsettled,
    areaChange: c.totals.lowAfter.area - c.totals.lowBefore.area,
    countChange: c.totals.lowAfter.count - c.totals.lowBefore.count,
  };
  section('二、按街道');
  groupHeader('街道');
  for (const g of c.byStreet) groupRow({ ...g, key: safeText(g.key) });
  groupRow(totalGroup, true);
  ws.skip();
  section('三、按用地类别');
  groupHeader('用地类别');
  for (const g of c.byCategory) groupRow(g);
  groupRow(totalGroup, true);
  await ws.end();
}
