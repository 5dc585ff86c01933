/**
 * The work brief and the progress report as Word documents, written with the `docx` library
 * (no hand-written OOXML). Layout as the office's briefs: red title 河东区低效用地再开发试点工作简报,
 * 第N期, 工作专班办公室编 and the date over a red rule; 黑体 headings 一、二、…; 仿宋 body; tables in
 * 仿宋; page numbers in the footer. Every figure and table cell comes from the computed `Brief` /
 * `Report` object (`progress.ts`), which is also the command's JSON.
 */
import {
  AlignmentType, BorderStyle, Document, Footer, ImageRun, Packer, PageNumber, Paragraph, Table, TableCell, TableRow,
  TableLayoutType, TabStopType, TextRun, VerticalAlign, WidthType,
} from 'docx';
import { TRANSITION_LABEL } from './compare';
import { revitalisedChartPng } from './chart';
import { chineseDate, periodLabel } from './periods';
import type { Brief, ProgressCommon, Report } from './progress';

export const BRIEF_TITLE = '河东区低效用地再开发试点工作简报';
export const REPORT_TITLE = '河东区低效用地再开发试点工作进展情况报告';
export const EDITOR = '工作专班办公室';

const FANGSONG = { ascii: '仿宋', eastAsia: '仿宋', hAnsi: '仿宋', cs: '仿宋' };
const HEITI = { ascii: '黑体', eastAsia: '黑体', hAnsi: '黑体', cs: '黑体' };
const SONG = { ascii: '宋体', eastAsia: '宋体', hAnsi: '宋体', cs: '宋体' };
/** Sizes in half-points: 二号 22pt, 三号 16pt, 四号 14pt, 小四 12pt, 五号 10.5pt. */
const SIZE = { title: 44, body: 32, table: 21, sub: 28 };
const RED = 'C00000';

export interface DocxOptions {
  /** CJK font file for the chart (default: the first found of chart.ts's candidates). */
  chartFont?: string | null;
}

const amount = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const int = (x: number) => String(x);

function body(text: string, opts: { indent?: boolean; bold?: boolean } = {}): Paragraph {
  return new Paragraph({
    indent: opts.indent === false ? undefined : { firstLine: 640 },
    spacing: { line: 560, lineRule: 'exact' as never },
    alignment: AlignmentType.JUSTIFIED,
    children: [new TextRun({ text, font: FANGSONG, size: SIZE.body, bold: opts.bold })],
  });
}

function heading(text: string): Paragraph {
  return new Paragraph({
    indent: { firstLine: 640 },
    spacing: { before: 120, line: 560, lineRule: 'exact' as never },
    keepNext: true,
    children: [new TextRun({ text, font: HEITI, size: SIZE.body })],
  });
}

function subheading(text: string): Paragraph {
  return new Paragraph({
    indent: { firstLine: 640 },
    spacing: { line: 560, lineRule: 'exact' as never },
    keepNext: true,
    children: [new TextRun({ text, font: FANGSONG, size: SIZE.body, bold: true })],
  });
}

function caption(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 120, after: 60 },
    keepNext: true,
    children: [new TextRun({ text, font: HEITI, size: SIZE.table + 3 })],
  });
}

function cell(text: string, header = false, align: 'left' | 'center' | 'right' = 'center'): TableCell {
  return new TableCell({
    verticalAlign: VerticalAlign.CENTER,
    shading: header ? { fill: 'D9E1F2', type: 'clear' as never, color: 'auto' } : undefined,
    margins: { left: 60, right: 60, top: 30, bottom: 30 },
    children: [
      new Paragraph({
        alignment: align === 'left' ? AlignmentType.LEFT : align === 'right' ? AlignmentType.RIGHT : AlignmentType.CENTER,
        children: [new TextRun({ text, font: header ? HEITI : FANGSONG, size: SIZE.table })],
      }),
    ],
  });
}

/** A full-width bordered table; header repeated on each page; `align` per column. */
/** Text width of the A4 page between the margins (twips). */
const TEXT_WIDTH = 11906 - 1588 - 1474;

function table(header: string[], rows: string[][], align?: ('left' | 'center' | 'right')[], weights?: number[]): Table {
  const w = weights ?? header.map(() => 1);
  const total = w.reduce((s, x) => s + x, 0);
  const columnWidths = w.map((x) => Math.floor((x / total) * TEXT_WIDTH));
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths,
    layout: TableLayoutType.FIXED,
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: header.map((h) => cell(h, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((v, i) => cell(v, false, align?.[i] ?? 'center')) })),
    ],
  });
}

function masthead(title: string, second: string, asOf: string): Paragraph[] {
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 600, after: 240 },
      children: [new TextRun({ text: title, font: SONG, size: SIZE.title, bold: true, color: RED })],
    }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: second, font: FANGSONG, size: SIZE.body })] }),
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: 8840 }],
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 6 } },
      spacing: { after: 360 },
      children: [
        new TextRun({ text: `${EDITOR}编`, font: FANGSONG, size: SIZE.body }),
        new TextRun({ text: `\t${chineseDate(asOf)}`, font: FANGSONG, size: SIZE.body }),
      ],
    }),
  ];
}

function chart(c: ProgressCommon, opts: DocxOptions): (Paragraph)[] {
  const png = revitalisedChartPng(c.revitalisedByHalfYear, opts.chartFont === undefined ? undefined : opts.chartFont);
  return [
    caption('图1　各再开发模式盘活土地面积（按半年）'),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      keepNext: false,
      children: [new ImageRun({ type: 'png', data: png, transformation: { width: 580, height: 309 }, altText: { name: '盘活土地面积图', title: '各再开发模式盘活土地面积（按半年）', description: '按半年、按再开发模式的盘活土地面积（亩）' } })],
    }),
  ];
}

/** The four sections shared by the brief and the report. */
function sections(c: ProgressCommon, word: '本期' | '本半年', nextWord: '下期' | '下半年', opts: DocxOptions): (Paragraph | Table)[] {
  const o = c.overview;
  const out: (Paragraph | Table)[] = [];
  const label = periodLabel(c.period);
  out.push(heading('一、总体进展'));
  out.push(body(
    `截至${chineseDate(c.asOf)}，全区认定低效用地${o.lowParcels}宗、${amount(o.lowArea)}平方米（${amount(o.lowAreaMu)}亩）；` +
    `纳入试点项目${o.projects}个，涉及宗地${o.projectParcels}宗、${amount(o.projectAreaMu)}亩。` +
    `${word}（${label}）新开工项目${o.startedInPeriod}个、竣工${o.completedInPeriod}个、盘活${o.revitalisedInPeriod}个（${amount(o.revitalisedAreaMuInPeriod)}亩）；` +
    `累计开工${o.startedTotal}个、竣工${o.completedTotal}个、盘活${o.revitalisedTotal}个（${amount(o.revitalisedAreaMuTotal)}亩）。`,
  ));
  out.push(caption('表1　按再开发模式统计'));
  const rows = o.byMode.map((r) => [r.mode, int(r.projects), int(r.parcels), amount(r.areaMu), int(r.started), int(r.completed), int(r.revitalised), amount(r.revitalisedAreaMu)]);
  const sum = (f: (r: (typeof o.byMode)[number]) => number) => o.byMode.reduce((s, r) => s + f(r), 0);
  rows.push(['合计', int(o.projects), int(o.projectParcels), amount(o.projectAreaMu), int(o.startedTotal), int(o.completedTotal), int(o.revitalisedTotal), amount(sum((r) => r.revitalisedAreaMu))]);
  out.push(table(['再开发模式', '项目数', '宗地数', '面积（亩）', '已开工', '已竣工', '已盘活', '盘活面积（亩）'], rows, ['center', 'right', 'right', 'right', 'right', 'right', 'right', 'right'], [16, 10, 10, 13, 10, 10, 10, 14]));
  out.push(...chart(c, opts));

  out.push(heading(`二、${word}主要工作`));
  const late = c.done.filter((d) => d.late).length;
  if (c.done.length === 0) out.push(body(`${word}无完成的项目节点。`));
  else {
    out.push(body(`${word}完成项目节点${c.done.length}个，其中按期完成${c.done.length - late}个、逾期完成${late}个。`));
    out.push(caption(`表2　${word}完成的项目节点`));
    out.push(table(
      ['项目编号', '项目名称', '节点', '计划完成', '实际完成', '责任单位', '完成情况'],
      c.done.map((d) => [d.projectId, d.projectName, d.name, d.plannedDate, d.actualDate, d.unit, d.late ? '逾期完成' : '按期完成']),
      ['left', 'left', 'center', 'center', 'center', 'left', 'center'],
      [15, 20, 10, 14, 14, 16, 11],
    ));
  }

  out.push(heading('三、存在问题'));
  out.push(subheading('（一）逾期未完成节点'));
  if (c.overdueTotal === 0) out.push(body(`截至${chineseDate(c.asOf)}，无逾期未完成的项目节点。`));
  else {
    out.push(body(`截至${chineseDate(c.asOf)}，逾期未完成项目节点${c.overdueTotal}个，涉及${c.overdueByUnit.length}个责任单位：` +
      c.overdueByUnit.map((u) => `${u.unit}${u.count}个`).join('，') + '。'));
    out.push(caption('表3　逾期未完成节点（按责任单位）'));
    out.push(table(
      ['责任单位', '项目编号', '项目名称', '节点', '计划完成', '逾期天数'],
      c.overdueByUnit.flatMap((u) => u.milestones.map((m) => [u.unit, m.projectId, m.projectName, m.name, m.plannedDate, int(m.daysOverdue)])),
      ['left', 'left', 'left', 'center', 'center', 'right'],
      [18, 15, 22, 11, 15, 9],
    ));
  }
  out.push(subheading('（二）需协调事项'));
  if (c.coordination.length === 0) out.push(body('暂无需工作专班协调的事项。'));
  else c.coordination.forEach((x, i) => out.push(body(`${i + 1}. ${x.projectName}（${x.projectId}，牵头单位${x.leadUnit}）：${x.text}`)));

  out.push(heading('四、下步计划'));
  if (c.nextDue.length === 0) out.push(body(`${nextWord}（${periodLabel(c.next)}）无计划完成的项目节点。`));
  else {
    out.push(body(`${nextWord}（${periodLabel(c.next)}）计划完成项目节点${c.nextDue.length}个，请各责任单位按节点推进。`));
    out.push(caption(`表4　${nextWord}计划完成的项目节点`));
    out.push(table(
      ['计划完成', '项目编号', '项目名称', '节点', '责任单位'],
      c.nextDue.map((d) => [d.plannedDate, d.projectId, d.projectName, d.name, d.unit]),
      ['center', 'left', 'left', 'center', 'left'],
      [15, 16, 27, 12, 20],
    ));
  }
  return out;
}

function footer(): Footer {
  return new Footer({
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: FANGSONG, size: SIZE.sub })] })],
  });
}

function document(children: (Paragraph | Table)[], title: string): Document {
  return new Document({
    creator: EDITOR,
    title,
    styles: { default: { document: { run: { font: FANGSONG, size: SIZE.body } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } } },
        footers: { default: footer() },
        children,
      },
    ],
  });
}

/** The brief as .docx bytes. */
export async function renderBriefDocx(b: Brief, opts: DocxOptions = {}): Promise<Uint8Array> {
  const children = [...masthead(BRIEF_TITLE, `第${b.issue}期`, b.asOf), ...sections(b, '本期', '下期', opts)];
  return new Uint8Array(await Packer.toBuffer(document(children, `${BRIEF_TITLE}第${b.issue}期`)));
}

/** The progress report as .docx bytes. */
export async function renderReportDocx(r: Report, opts: DocxOptions = {}): Promise<Uint8Array> {
  const children: (Paragraph | Table)[] = [...masthead(REPORT_TITLE, `（${periodLabel(r.period)}）`, r.asOf), ...sections(r, '本半年', '下半年', opts)];
  children.push(heading('五、盘活案例'));
  if (r.cases.length === 0) children.push(body('本半年无新盘活的项目。'));
  r.cases.forEach((c, i) => {
    children.push(subheading(`（${'一二三四五六七八九十'[i] ?? i + 1}）${c.name}`));
    children.push(body(
      `项目编号${c.projectId}，再开发模式${c.mode}，开发主体${c.developer}，牵头单位${c.leadUnit}，` +
      `${c.revitalisedOn ? `于${chineseDate(c.revitalisedOn)}盘活，` : ''}涉及宗地${c.parcels.length}宗、${amount(c.areaMu)}亩。` +
      `预期新增税收${c.expectedTax === null ? '未填报' : `${amount(c.expectedTax)}万元/年`}，预期新增产值${c.expectedOutput === null ? '未填报' : `${amount(c.expectedOutput)}万元/年`}。`,
    ));
    children.push(caption(`盘活前宗地情况（${c.projectId}）`));
    const f = (x: number | null) => (x === null ? '—' : amount(x));
    children.push(table(
      ['宗地代码', '街道', '用地类别', '认定结果', '命中规则', '面积（㎡）', '容积率', '亩均税收', '亩均产值'],
      c.parcels.map((p) => [p.parcelId, p.street, p.category, p.result ?? '未认定', p.hits.join('、') || '—', f(p.landArea), f(p.plotRatio), f(p.taxPerMu), f(p.outputPerMu)]),
      ['left', 'center', 'center', 'center', 'left', 'right', 'right', 'right', 'right'],
      [22, 13, 8, 8, 12, 12, 8, 8, 9],
    ));
  });
  if (r.surveyChange) {
    const s = r.surveyChange;
    const t = s.totals;
    children.push(heading('六、调查认定变化'));
    children.push(body(
      `与${chineseDate(s.old.evaluationDate)}评价基准日的认定相比（本次评价基准日${chineseDate(s.new.evaluationDate)}），` +
      `低效用地由${t.lowBefore.count}宗、${amount(t.lowBefore.mu)}亩变为${t.lowAfter.count}宗、${amount(t.lowAfter.mu)}亩；` +
      `${TRANSITION_LABEL.left}${t.left.count}宗、${amount(t.left.mu)}亩（盘活成效），${TRANSITION_LABEL.became}${t.became.count}宗、${amount(t.became.mu)}亩；` +
      (t.unsettled.count ? `原低效现待核实或不参评${t.unsettled.count}宗、${amount(t.unsettled.mu)}亩（缺少认定所需数据，未计入退出低效）；` : '') +
      `仅在原认定中${t.oldOnly}宗，仅在本次认定中${t.newOnly}宗。`,
    ));
    children.push(caption('表5　低效用地变化（按街道）'));
    children.push(table(
      // 转待核实: 原低效 now 待核实 or 不参评, neither left nor stayed (the workbook's column of the same name)
      ['街道', '原低效（亩）', '现低效（亩）', '退出低效（亩）', '新增低效（亩）', '转待核实（亩）', '增减（亩）'],
      s.byStreet.map((g) => [g.key, amount(g.lowBefore.mu), amount(g.lowAfter.mu), amount(g.left.mu), amount(g.became.mu), amount(g.unsettled.mu), amount(g.lowAfter.mu - g.lowBefore.mu)]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ));
  }
  return new Uint8Array(await Packer.toBuffer(document(children, `${REPORT_TITLE}（${periodLabel(r.period)}）`)));
}
