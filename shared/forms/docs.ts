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
        `| ${cell(f.title)} | \`${f.key}\` | ${TYPE_LABEL[f.type]} | ${f.unit ? UNIT_LABEL[f.unit] : ''} | ${requiredText(f)} | ${cell(range)} | ${cell((f.variants ?? []).join('、'))} | ${cell(f.help)} |`,
      );
    }
  }
  out.push('', '## 问题代码 / Issue codes', '', '| 代码 | 级别 | 类别 | 提示 |', '|---|---|---|---|');
  for (const code of ISSUE_CODE_LIST) {
    const d = ISSUE_CODES[code];
    out.push(`| \`${code}\` | ${SEVERITY_LABEL[d.severity]} | ${d.title} | ${d.hint} |`);
  }
  return out.join('\n') + '\n';
}
