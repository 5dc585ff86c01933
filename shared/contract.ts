/**
 * The JSON result contract of `consolidate --json` and of the cloud functions (interfaces.md),
 * as a strict zod schema. Adapters and tests validate what they hand out against it.
 */
import { z } from 'zod';
import { FORM_IDS } from './forms';
import { ISSUE_CODE_LIST } from './issues/catalogue';
import { RULE_IDS } from './rules/schema';

import { CATEGORIES, HISTORIC_PERIODS, MISSING_ITEMS, MODES, RESULTS, SEVERITIES } from './lists';

// the lists are defined once in shared/lists.ts; re-exported for the adapters that import them from here
export { CATEGORIES, HISTORIC_PERIODS, MISSING_ITEMS, MODES, RESULTS, SEVERITIES };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const figure = z.number().finite().nullable();

export const parcelResultSchema = z
  .strictObject({
    parcelId: z.string().min(1),
    street: z.string(),
    category: z.enum(CATEGORIES),
    result: z.enum(RESULTS),
    hits: z.array(z.enum(RULE_IDS)),
    missing: z.array(z.enum(MISSING_ITEMS)),
    mode: z.enum(MODES).nullable(),
    landArea: z.number().finite().positive(),
    plotRatio: figure.refine((v) => v === null || v >= 0, '容积率不能为负'),
    coverage: figure.refine((v) => v === null || (v >= 0 && v <= 100), '建筑密度须在0–100之间'),
    taxPerMu: figure,
    outputPerMu: figure,
  })
  .superRefine((p, ctx) => {
    if (p.result === '低效' && p.hits.length === 0) ctx.addIssue({ code: 'custom', path: ['hits'], message: '低效宗地须列出命中的规则' });
    if (p.result !== '低效' && p.hits.length > 0) ctx.addIssue({ code: 'custom', path: ['hits'], message: '只有低效宗地有命中的规则' });
    if (p.result === '待核实' && p.missing.length === 0) ctx.addIssue({ code: 'custom', path: ['missing'], message: '待核实宗地须说明缺少什么' });
    if (p.result !== '待核实' && p.missing.length > 0) ctx.addIssue({ code: 'custom', path: ['missing'], message: 'missing 只用于待核实宗地' });
    if ((p.result === '低效') !== (p.mode !== null)) ctx.addIssue({ code: 'custom', path: ['mode'], message: '再开发模式只用于低效宗地，且低效宗地必有' });
  });

export const historicEntrySchema = z.strictObject({
  parcelId: z.string().min(1),
  period: z.enum(HISTORIC_PERIODS),
});

export const contractIssueSchema = z.strictObject({
  code: z.enum(ISSUE_CODE_LIST as [string, ...string[]]),
  severity: z.enum(SEVERITIES),
  form: z.enum(FORM_IDS as [string, ...string[]]),
  sheet: z.string(),
  row: z.number().int().positive().nullable(),
  column: z.string().regex(/^[A-Z]{1,3}$/).nullable(),
  field: z.string().nullable(),
  parcelId: z.string().nullable(),
  value: z.string().nullable(),
  message: z.string().min(1),
});

export const inputSummarySchema = z
  .strictObject({
    file: z.string(),
    sheet: z.string(),
    form: z.enum(FORM_IDS as [string, ...string[]]),
    rows: z.number().int().nonnegative(),
    issueRows: z.number().int().nonnegative(),
  })
  .refine((i) => i.issueRows <= i.rows, { message: 'issueRows 不能大于 rows', path: ['issueRows'] });

export const consolidationResultSchema = z.strictObject({
  ruleSet: z.strictObject({ id: z.string().min(1), version: z.string().min(1) }),
  evaluationDate: isoDate,
  parcels: z.array(parcelResultSchema),
  historic: z.array(historicEntrySchema),
  issues: z.array(contractIssueSchema),
  inputs: z.array(inputSummarySchema),
});

export type ConsolidationResultJson = z.infer<typeof consolidationResultSchema>;

/** The result's long lists, checked a slice at a time by `resultContractProblem` with the contract's element schemas. */
const LIST_KEYS = ['parcels', 'historic', 'issues'] as const;
const { shape } = consolidationResultSchema;
const listSlice = { parcels: z.array(shape.parcels.element), historic: z.array(shape.historic.element), issues: z.array(shape.issues.element) };
const resultShell = consolidationResultSchema.extend({ parcels: z.array(z.unknown()), historic: z.array(z.unknown()), issues: z.array(z.unknown()) });
/** Elements checked at a time: the checked copy zod builds of each slice is short-lived. */
const CHECK_SLICE = 1000;

/**
 * Whether `value` keeps the contract (`consolidationResultSchema`): null, or a problem (path and
 * message) as `safeParse` reports it — the top-level fields' first, else the lists' elements' in
 * order (for a value with one problem, safeParse's own). The long lists are checked a slice at a
 * time, so no checked copy of a whole 100,000-row result is ever held (zod builds one as it parses).
 */
export function resultContractProblem(value: unknown): { path: PropertyKey[]; message: string } | null {
  const shell = resultShell.safeParse(value);
  if (!shell.success) return { path: shell.error.issues[0].path, message: shell.error.issues[0].message };
  const v = value as Record<(typeof LIST_KEYS)[number], unknown[]>;
  for (const key of LIST_KEYS) {
    const list = v[key];
    for (let i = 0; i < list.length; i += CHECK_SLICE) {
      const r = listSlice[key].safeParse(list.slice(i, i + CHECK_SLICE));
      if (!r.success) {
        const [at, ...rest] = r.error.issues[0].path;
        return { path: [key, (at as number) + i, ...rest], message: r.error.issues[0].message };
      }
    }
  }
  return null;
}

/**
 * One sent row of POST /api/determine with its parcel's figures: those of its parcel, or nulls
 * when the parcel was not determined. The functions write it, the add-in checks it and writes it.
 */
export const determinedRowSchema = z.object({
  row: z.number().int().positive(),
  parcelId: z.string().nullable(),
  /** The row has an error-level issue and was not used. */
  hasError: z.boolean().optional(),
  result: z.enum(RESULTS).nullable(),
  hits: z.array(z.enum(RULE_IDS)),
  missing: z.array(z.enum(MISSING_ITEMS)),
  mode: z.enum(MODES).nullable(),
  plotRatio: figure,
  coverage: figure,
  taxPerMu: figure,
  outputPerMu: figure,
});
export type DeterminedRow = z.infer<typeof determinedRowSchema>;
