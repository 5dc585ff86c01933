/**
 * What marks a workbook this tool wrote as one of its outputs (the submission, the plan, the
 * ledger, the comparison), so that an output put back among the inputs is never read as a form:
 * its sheets have form-like headers (认定结果 has 宗地代码, 地类, 用地面积 …), and read as a base
 * map they would displace the real one.
 */

/** The creator every workbook of this tool carries (templates too; they also carry their form id). */
export const WORKBOOK_CREATOR = '河东区低效用地调查认定';

/** The titles of the tool's output workbooks (their writers use these; the district's name comes first). */
export const OUTPUT_TITLES = {
  submission: (district: string) => `${district}低效用地调查认定报送表`,
  ledger: (district: string) => `${district}低效用地再开发项目台账`,
  plan: (district: string, year: number) => `${district}低效用地再开发${year}年度实施计划`,
  comparison: (district: string) => `${district}低效用地认定前后对比表`,
};

/** How each title ends whatever the district (and year): the titles with those left empty, from the year on for the plan. */
const OUTPUT_TITLE_ENDINGS = [OUTPUT_TITLES.submission(''), OUTPUT_TITLES.ledger(''), OUTPUT_TITLES.plan('', 0).replace(/^.*0/, ''), OUTPUT_TITLES.comparison('')];

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
