/**
 * What marks a workbook this tool wrote as one of its outputs (the submission, the plan, the
 * ledger, the comparison), so that an output put back among the inputs is never read as a form:
 * its sheets have form-like headers (认定结果 has 宗地代码, 地类, 用地面积 …), and read as a base
 * map they would displace the real one.
 */

/** The creator every workbook of this tool carries (templates too; they also carry their form id). */
export const WORKBOOK_CREATOR = '河东区低效用地调查认定';

/** How the titles of the tool's output workbooks end (the district's name comes first). */
export const OUTPUT_TITLE_ENDINGS = ['低效用地调查认定报送表', '低效用地再开发项目台账', '年度实施计划', '低效用地认定前后对比表'] as const;

/**
 * The title of the output this workbook is, or null: written by this tool (creator), no form id
 * (a template or a filled form has one), and a title of an output. Another program's save keeps
 * the creator and the title.
 */
export function toolOutputTitle(props: Readonly<Record<string, unknown>> | undefined): string | null {
  if (!props || props.creator !== WORKBOOK_CREATOR || props.formId !== undefined) return null;
  const title = typeof props.title === 'string' ? props.title : '';
  return OUTPUT_TITLE_ENDINGS.some((e) => title.endsWith(e)) ? title : null;
}
