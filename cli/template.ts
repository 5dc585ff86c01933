/** `land-survey template <form|all> -o <file.xlsx|dir> [--base <base.xlsx>]` */
import { extname, join } from 'node:path';
import { categoryOf } from '../shared/determine';
import { FORMS, getForm, isFormId, type FormId } from '../shared/forms';
import { defaultRuleSet } from '../shared/rules';
import { UnusableInputError, type Category, type FieldValue, type FormRead } from '../shared/types';
import { writeTemplate } from '../shared/xlsx/template';
import { optString, parseArgs, UsageError, type OptionSpec } from './args';
import { EXIT_OK, readFormsFromFile } from './common';
import { checkOutputs, commitAll, discardAll, isDirectory, type Staged, stageData } from './io';

export const templateOptions: OptionSpec[] = [
  { key: 'output', names: ['-o', '--output'], value: true },
  { key: 'base', names: ['--base'], value: true },
];

/** Survey forms pre-filled from a base extract list the parcels of their own category (domain.md §8.15). */
const PREFILL_CATEGORY: Partial<Record<FormId, Category>> = { industrial: '工业', commercial: '商办', facility: '设施', housing: '居住' };

/** File name of a form's template inside a folder: the form's Chinese title. */
export function templateFileName(id: FormId): string {
  return `${getForm(id).title}.xlsx`;
}

export async function runTemplate(argv: string[], out: (s: string) => void): Promise<number> {
  const p = parseArgs(argv, templateOptions);
  if (p.positional.length !== 1) {
    throw new UsageError('请给出一个表单编号或 all', 'give one form id or all');
  }
  const which = p.positional[0];
  if (which !== 'all' && !isFormId(which)) {
    const ids = FORMS.map((f) => f.id).join(', ');
    throw new UsageError(`未知表单“${which}”，可用：${ids}, all`, `unknown form "${which}"; forms: ${ids}, all`);
  }
  const ids: FormId[] = which === 'all' ? FORMS.map((f) => f.id) : [which as FormId];
  const output = optString(p, 'output') ?? '.';
  const toFolder = which === 'all' || isDirectory(output) || output.endsWith('/') || output.endsWith('\\');
  if (!toFolder && extname(output).toLowerCase() !== '.xlsx') {
    throw new UsageError(`输出文件“${output}”应以 .xlsx 结尾（或给出文件夹）`, `output "${output}" should end in .xlsx (or be a folder)`);
  }
  if (which === 'all' && !isDirectory(output) && extname(output).toLowerCase() === '.xlsx') {
    throw new UsageError('template all 须用 -o 指定文件夹', 'template all needs a folder for -o');
  }

  let base: FormRead | undefined;
  const basePath = optString(p, 'base');
  if (basePath !== undefined) checkOutputs([basePath], ids.map((id) => (toFolder ? join(output, templateFileName(id)) : output)));
  if (basePath !== undefined) {
    const reads = await readFormsFromFile(basePath, defaultRuleSet());
    base = reads.find((r) => r.form === 'base');
    if (!base) throw new UnusableInputError(basePath, '未找到地块底图表', 'the workbook holds no base form (地块底图表)');
  }

  const staged: Staged[] = [];
  try {
    for (const id of ids) {
      const cat = PREFILL_CATEGORY[id];
      const buf = await writeTemplate(id, {
        base,
        parcelFilter: base && cat ? (v: Record<string, FieldValue>) => typeof v.landUseCode === 'string' && categoryOf(v.landUseCode) === cat : undefined,
      });
      const path = toFolder ? join(output, templateFileName(id)) : output;
      staged.push(stageData(path, buf));
    }
    commitAll(staged);
  } catch (e) {
    discardAll(staged);
    throw e;
  }
  for (const s of staged) out(`已写出模板 / template written: ${s.path}`);
  return EXIT_OK;
}
