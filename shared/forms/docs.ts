import { NOTE_WORDS, ROW_NUMBER_HEADERS, TOTAL_WORDS } from '../read/words';
import { checksRaising, DECLARED_CHECKS } from '../checks/declared';
import { ISSUE_CODES, ISSUE_CODE_LIST, SEVERITY_LABEL } from '../issues/catalogue';
import { FORMS, TEMPLATE_VERSION } from './index';
import type { FieldDef } from './types';

const TYPE_LABEL: Record<FieldDef['type'], string> = {
  text: '文本',
  number: '数值',
  integer: '整数',
  date: '日期',
  year: '年份',
  bool: '是/否',
  enum: '选项',
  parcelId: '宗地代码',
  uscc: '统一社会信用代码',
  industryCode: '行业代码',
  industryClass: '行业大类',
};

const UNIT_LABEL: Record<string, string> = { m2: '㎡', wan: '万元', percent: '%', wanPerMu: '万元/亩', ratio: '', count: '' };

function requiredText(f: FieldDef): string {
  if (f.required) return '必填';
  if (f.requiredWhen) return `${f.requiredWhen.in.join('/')}时必填`;
  return '';
}

function rangeText(f: FieldDef): string {
  const parts: string[] = [];
  if (f.min !== undefined) parts.push(`${f.minExclusive ? '>' : '≥'}${f.min}`);
  if (f.max !== undefined) parts.push(`≤${f.max}`);
  if (f.maxIsEvaluationYear) parts.push('≤评价年度');
  return parts.join('，');
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The forms reference (docs/forms.md), rendered from the one catalogue. */
export function renderFormsDoc(): string {
  const out: string[] = [];
  out.push('# 调查表字段说明 / Forms reference', '');
  out.push(`由 \`shared/forms/\` 目录的表单目录自动生成（\`npm run docs\`），请勿手工编辑。模板版本 ${TEMPLATE_VERSION}。`, '');
  out.push('| 表单 id | 名称 | 填报单位 | 主键 |', '|---|---|---|---|');
  for (const form of FORMS) {
    const key = form.key.map((k) => form.fields.find((f) => f.key === k)?.title ?? k).join(' + ');
    out.push(`| \`${form.id}\` | ${form.title} | ${form.filledBy} | ${key} |`);
  }
  for (const form of FORMS) {
    out.push('', `## ${form.title}（\`${form.id}\`）`, '', `填报单位：${form.filledBy}`, '');
    out.push('| 列标题 | 字段 | 类型 | 单位 | 必填 | 范围/选项 | 也可识别的标题 | 说明 |', '|---|---|---|---|---|---|---|---|');
    for (const f of form.fields) {
      const range = f.enum ? f.enum.join('/') : rangeText(f);
      out.push(
        `| ${cell(f.title)} | \`${f.key}\` | ${TYPE_LABEL[f.type]}${f.several ? '（可多项）' : ''} | ${f.unit ? UNIT_LABEL[f.unit] : ''} | ${requiredText(f)} | ${cell(range)} | ${cell((f.variants ?? []).join('、'))} | ${cell(f.help)} |`,
      );
    }
  }
  out.push(
    '', '## 各单位现有表格怎样读 / Sheets as offices keep them', '',
    '不必按模板重做表格：各单位现有的表格按下列规则读取（domain.md §9），读不懂的才报错误。',
    '',
    `- **序号列**：列标题为 ${ROW_NUMBER_HEADERS.map((w) => `“${w === 'no.' ? 'No.' : w === 'no' ? 'No' : w}”`).join('、')} 的列不读取，也不报“未识别的列”；只有序号、其余为空的行（预先编号到200行的模板）当作空行。`,
    `- **合计行**：关键列（有宗地代码的表为宗地代码）为空、某个单元格（去掉空格后）以 ${TOTAL_WORDS.map((w) => `“${w}”`).join('、')} 开头的行（如“小计（大王庄街道）”“合计：”）不是记录：记一条提示 \`total-row\`，其数字不参与任何计算，不报缺项。`,
    `- **说明、签字行**：关键列为空、所有非空单元格都是以 ${NOTE_WORDS.map((w) => `“${w}”`).join('、')} 开头的文字的行不是记录：记一条提示 \`note-row\`。`,
    '- **合并单元格**：数据区内上下合并的单元格（同一宗地的几家企业合并填写宗地代码、街道、权利人），合并区的值用于其中每一行；左右合并的值属于第一列。合并区内的值有问题时只在第一行标注。',
    '- **表头写法**：表头中的空格、换行不计，全角半角括号相同，㎡、m²、m2、平方米视为同一单位。表头写明“亩”“公顷”（`用地面积(亩)`、`土地面积（公顷）`）或“元”（`纳税总额(元)`，税务系统导出）时，该列数字按表头单位换算为㎡或万元，整列只记一条“已规范化”提示；单元格自带单位的（`12亩`）按单元格的单位。',
    '- **两行表头**：上行为合并的分组标题（用地情况、经济指标……），下行为列标题，不分组的列标题上下合并；分组标题不是列，记录从表头下一行开始。',
    '- **多个工作表**：每个工作表单独识别；一个工作簿可以有几种表（企业纳税、行业亩均税收），也可以一种表分几个工作表（每个街道一张），记录按工作表顺序全部读取，每条问题写明工作表。没有调查表的工作表（填表说明、空白 Sheet2、图表）直接跳过，不报问题。',
    '- **日期**：按工作簿自己的日期系统读取（旧版 Mac Excel 的 1904 日期系统）；另可写 `2021年3月`、`2021-03`（按当月1日）、`2021.03.05`，日期列中的8位数字 `20210305`（数字或文字）。',
    '- **是/否列**：TRUE / FALSE 读作 是 / 否。',
    '',
    '报送表“汇总”按每个工作表列出：读入记录行数、参与认定行数、仅列入问题清单行数、非记录行数（合计行、说明行）。',
  );
  out.push('', '## 问题代码 / Issue codes', '', '| 代码 | 级别 | 类别 | 提示 | 报告它的检查 |', '|---|---|---|---|---|');
  for (const code of ISSUE_CODE_LIST) {
    const d = ISSUE_CODES[code];
    const by = checksRaising(code).map((c) => `\`${c.id}\``).join('、');
    out.push(`| \`${code}\` | ${SEVERITY_LABEL[d.severity]} | ${d.title} | ${d.hint} | ${by} |`);
  }
  out.push('', '## 检查与问题代码 / Which check raises what', '', '每项检查声明它可能报告的问题代码（`shared/checks/declared.ts`，测试核对源码与声明一致）。', '', '| 检查 | 范围 | 检查内容 | 问题代码 | 所在模块 |', '|---|---|---|---|---|');
  for (const c of DECLARED_CHECKS) {
    out.push(`| \`${c.id}\` | ${c.scope} | ${c.title} | ${c.raises.map((x) => `\`${x}\``).join(' ')} | \`${c.module}\` |`);
  }
  return out.join('\n') + '\n';
}
