/**
 * The one catalogue of issue codes (问题清单). Checks raise entries by code; messages are rendered
 * from the Chinese templates here. Placeholders: {field} {value} {expected} {detail}.
 * Default severities follow domain.md §8.14; a rule set may override them.
 */
import type { Severity } from '../lists';

export type { Severity };

export interface IssueCodeDef {
  severity: Severity;
  /** Short Chinese title (column 问题类别 of the issue list). */
  title: string;
  /** Chinese message template. */
  message: string;
  /** What to do about it, for a non-technical reader. */
  hint: string;
  /**
   * The message of the issue raised on a whole column (row null, a column given), where `message`
   * would not read right: a header's unit is no cell's value.
   */
  columnMessage?: string;
  /**
   * `false`: the issue says what a row IS (a total or note row, domain.md §9.2–3), not that its
   * cells are wrong. It is listed in 问题清单 but never marked in the user's sheet.
   */
  mark?: false;
}

export const ISSUE_CODES = {
  'missing-column': { severity: 'error', title: '缺少必填列', message: '表中缺少必填列“{field}”', hint: '按标准模板补充该列（列标题须与模板一致）' },
  'unknown-column': { severity: 'warning', title: '未识别的列', message: '列“{value}”不属于本表，已忽略', hint: '如为模板列请改回模板标题；多余的列可删除' },
  'missing-value': { severity: 'error', title: '必填项为空', message: '“{field}”为必填项，未填写{detail}', hint: '补充填写该项' },
  'type-error': { severity: 'error', title: '格式错误', message: '“{field}”的值“{value}”无法识别为{expected}', hint: '按模板要求的格式填写' },
  'out-of-range': { severity: 'error', title: '超出范围', message: '“{field}”的值“{value}”超出允许范围（{expected}）', hint: '核实并更正数值' },
  'invalid-enum': { severity: 'error', title: '选项无效', message: '“{field}”的值“{value}”不在可选项中（{expected}）{detail}', hint: '从下拉列表中选择' },
  'invalid-parcel-id': { severity: 'error', title: '宗地代码无效', message: '宗地代码“{value}”格式不正确，应为19位（6位县级代码+6位地籍区/子区+2位特征码+5位顺序号）', hint: '按地块底图表核对宗地代码' },
  'foreign-parcel': { severity: 'error', title: '非本区宗地', message: '宗地代码“{value}”的县级代码不是本区（{expected}）', hint: '核实是否为河东区宗地' },
  'invalid-uscc': { severity: 'error', title: '信用代码无效', message: '统一社会信用代码“{value}”无效{detail}', hint: '按营业执照核对18位统一社会信用代码' },
  'invalid-industry-code': { severity: 'error', title: '行业代码无效', message: '行业代码“{value}”不是有效的国民经济行业分类4位代码{detail}', hint: '按GB/T 4754-2017填写4位小类代码' },
  'duplicate-key': { severity: 'error', title: '重复记录', message: '与{expected}重复（{field}相同：{value}），本行未采用', hint: '删除重复行或更正关键字段' },
  'formula-error': { severity: 'error', title: '公式错误', message: '“{field}”的单元格为错误值{value}', hint: '修正公式或直接填写数值' },
  'normalized-value': {
    severity: 'info', title: '已规范化', message: '“{field}”的值“{value}”已按{expected}读取', hint: '无需处理；如理解有误请更正',
    columnMessage: '“{field}”列的表头为“{value}”，各行数值已按{expected}读取',
  },
  'inconsistent-plot-ratio': { severity: 'warning', title: '容积率不一致', message: '填报容积率{value}与面积计算值{expected}相差超过{detail}', hint: '核对总建筑面积、用地面积和容积率' },
  'footprint-exceeds-land': { severity: 'error', title: '基底面积超过用地面积', message: '建筑基底面积{value}㎡大于用地面积{expected}㎡', hint: '核对建筑基底面积和用地面积' },
  'vacancy-exceeds-floor-area': { severity: 'error', title: '空置面积超过建筑面积', message: '空置面积{value}㎡大于总建筑面积{expected}㎡', hint: '核对空置面积和总建筑面积' },
  'date-after-evaluation': { severity: 'warning', title: '日期晚于评价基准日', message: '“{field}”{value}晚于评价基准日{expected}', hint: '核实日期' },
  'parcel-not-in-base': { severity: 'error', title: '宗地不在底图中', message: '宗地代码“{value}”不在地块底图表中{detail}', hint: '核对宗地代码，或请规划资源分局核实底图' },
  'area-mismatch': { severity: 'warning', title: '面积不一致', message: '宗地内企业用地面积合计{value}㎡与底图土地面积{expected}㎡相差超过{detail}', hint: '核对各企业用地面积' },
  'tax-mismatch': { severity: 'warning', title: '税收不一致', message: '自报年税收{value}万元与税务部门数据分摊值{expected}万元相差超过{detail}', hint: '核对自报税收' },
  'missing-reference': { severity: 'info', title: '缺少部门数据', message: '统一社会信用代码“{value}”在评价年度无{detail}数据', hint: '请相关部门补充数据；将使用企业自报数' },
  'post-survey-illegal-use': { severity: 'warning', title: '三调后新增违法用地', message: '用地发生时间{value}在第三次全国国土调查之后，属新增违法用地', hint: '按违法用地查处程序处理' },
  'missing-occurrence-date': { severity: 'error', title: '缺少用地发生时间', message: '用地手续为“{value}”，须填写用地发生时间', hint: '补充用地发生时间，用于划分历史遗留用地时段' },
  'other-year': { severity: 'info', title: '非评价年度', message: '年度{value}不是评价年度{expected}，本行未采用', hint: '无需处理' },
  'category-mismatch': { severity: 'warning', title: '用地类别不符', message: '本表适用于{expected}用地，该宗地地类为{value}（{detail}），本行未采用', hint: '核对宗地代码或改填对应类别的调查表' },
  'total-row': { severity: 'info', title: '合计行', message: '本行为合计/小计行（“{value}”），不作为记录读取', hint: '无需处理；合计数不参与认定', mark: false },
  'note-row': { severity: 'info', title: '说明行', message: '本行为说明或签字行（“{value}”），不作为记录读取', hint: '无需处理', mark: false },
  // the pilot's checks (pilot.md §2), against the determination and the as-of date given
  'project-parcel-not-low': { severity: 'warning', title: '项目宗地非低效', message: '项目宗地“{value}”在认定结果中为“{expected}”，不是低效用地', hint: '核实项目宗地，或确认该宗地纳入项目的理由' },
  'parcel-in-two-projects': { severity: 'error', title: '宗地重复纳入项目', message: '宗地“{value}”同时在项目{expected}中（均未终止）', hint: '一宗地只能属于一个在实施的项目，请核实' },
  'mode-differs': { severity: 'info', title: '模式与建议不同', message: '项目再开发模式“{value}”与宗地认定建议模式“{expected}”不同', hint: '无需处理；如有意调整请在实施内容中说明' },
  'project-rows-disagree': { severity: 'error', title: '项目各行不一致', message: '项目{detail}各行的“{field}”不一致：“{value}”与“{expected}”', hint: '同一项目各行的项目名称、再开发模式、开发主体、牵头单位应相同' },
  'milestone-without-project': { severity: 'error', title: '节点无对应项目', message: '项目编号“{value}”不在项目表中', hint: '核对项目编号，或请工作专班办公室先将项目纳入项目表' },
  'milestone-overdue': { severity: 'warning', title: '节点逾期', message: '节点计划于{value}完成，截至{expected}尚未完成（逾期{detail}天）', hint: '填写实际完成日期，或在进展情况中说明原因和新的完成时间' },
  'milestone-in-future': { severity: 'error', title: '完成日期晚于截至日期', message: '实际完成日期{value}晚于截至日期{expected}', hint: '尚未完成的节点不填实际完成日期' },
  'plan-dates-inverted': { severity: 'error', title: '计划日期颠倒', message: '计划完成日期{value}早于计划开工日期{expected}', hint: '核对计划开工和完成日期' },
  'project-stalled': { severity: 'warning', title: '项目停滞', message: '项目状态为实施中，但{expected}以来没有完成任何节点', hint: '请牵头单位说明进展，或调整项目状态' },
} as const satisfies Record<string, IssueCodeDef>;

export type IssueCode = keyof typeof ISSUE_CODES;

export const ISSUE_CODE_LIST = Object.keys(ISSUE_CODES) as IssueCode[];

/** Whether an issue of this code is marked in place (fill + note) or only listed in 问题清单. */
export function marksInPlace(code: string): boolean {
  const def = (ISSUE_CODES as Record<string, IssueCodeDef>)[code];
  return def === undefined || def.mark !== false;
}

export const SEVERITY_LABEL: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };

/** Each template split once into literal text and placeholder names: [text, name, text, name, …, text]. */
const TEMPLATE_PARTS = new Map<IssueCode, string[]>();
const COLUMN_TEMPLATE_PARTS = new Map<IssueCode, string[]>();

/** The message of an issue; `wholeColumn`: raised on a column, not a cell (its `columnMessage` if it has one). */
export function renderMessage(code: IssueCode, params: Record<string, string | number | null | undefined>, wholeColumn = false): string {
  const def: IssueCodeDef = ISSUE_CODES[code];
  const column = wholeColumn && def.columnMessage !== undefined;
  const cache = column ? COLUMN_TEMPLATE_PARTS : TEMPLATE_PARTS;
  let parts = cache.get(code);
  if (parts === undefined) {
    parts = (column ? def.columnMessage! : def.message).split(/\{(\w+)\}/);
    cache.set(code, parts);
  }
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const v = params[parts[i]];
    out += (v === undefined || v === null ? '' : String(v)) + parts[i + 1];
  }
  return out;
}
