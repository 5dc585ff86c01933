/**
 * The pilot's checks (pilot.md §2): project and milestone rows against each other, the
 * determination given and the as-of date. Each issue sits on its cell. (The catalogue checks of
 * §1 — 牵头单位, 配合单位, 责任单位, 街道 — are the reader's: shared/forms/project.ts, milestone.ts.)
 *
 * Rows left out for an error of the reader are in no output (pilotRecords drops them), so they
 * feed no check that treats a row as a record among the others: they set no project's status, complete no milestone, put their parcel in no project,
 * disagree with no row, and raise no milestone-overdue or project-stalled (nor do milestones of a
 * project that is in no output: its status is unknown). A row's own cells are still checked when
 * it is left out (plan-dates-inverted, milestone-in-future, the parcel against the
 * determination, 项目编号 against the project form — whose left-out rows still name their
 * projects), so that it can be mended in one go. The §2 checks themselves leave no row out (the
 * ledger and the brief still count every row that read without a cell error).
 */
import type { ConsolidationResultJson } from '../contract';
import { getField, getForm } from '../forms';
import type { IssueCode } from '../issues/catalogue';
import { makeIssue, type Issue, type SeverityOverrides } from '../issues/issue';
import type { FormRead, ParsedRow } from '../types';
import { STATUS_IN_PROGRESS, STATUS_TERMINATED } from './model';
import { daysBetween } from './periods';

/** How far back a 实施中 project must have completed a milestone (project-stalled). */
export const STALLED_MONTHS = 6;

export const PILOT_CHECK_RAISES = [
  'parcel-not-in-base', 'project-parcel-not-low', 'parcel-in-two-projects', 'mode-differs', 'project-rows-disagree',
  'milestone-without-project', 'milestone-overdue', 'milestone-in-future', 'plan-dates-inverted', 'project-stalled',
] as const satisfies readonly IssueCode[];

/** Fields that must agree on every row of one project. */
const AGREEING = ['name', 'mode', 'developer', 'leadUnit'] as const;

function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 - months, 1));
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

export interface PilotCheckInput {
  reads: readonly FormRead[];
  determination: ConsolidationResultJson | null;
  asOf: string;
  overrides?: SeverityOverrides;
}

/**
 * Every issue of the pilot's inputs: the reader's, then the checks' (pilotChecks), with the file
 * each came from (the plan's and the ledger's 问题清单 name it: many units' sheets share one name).
 */
export function pilotIssues(input: PilotCheckInput): { issues: Issue[]; fileOf: (is: Issue) => string } {
  const files = new Map<Issue, string>();
  for (const r of input.reads) for (const is of r.issues) files.set(is, r.file);
  const checked = pilotChecks(input, files);
  return { issues: [...input.reads.flatMap((r) => r.issues), ...checked], fileOf: (is) => files.get(is) ?? '' };
}

/** The checks of pilot.md §2; `files` (when given) gets the file of each issue raised. */
export function pilotChecks(input: PilotCheckInput, files?: Map<Issue, string>): Issue[] {
  const { asOf } = input;
  const out: Issue[] = [];
  const projectReads = input.reads.filter((r) => r.form === 'project');
  const milestoneReads = input.reads.filter((r) => r.form === 'milestone');
  const emit = (code: IssueCode, r: FormRead, row: ParsedRow, key: string | null, value: unknown, expected?: string | number | null, detail?: string | null, parcelId?: string | null) => {
    const form = getForm(r.form);
    const is = makeIssue(code, {
      form: r.form, sheet: r.sheet, row: row.row, column: key ? r.columns[key] ?? null : null, field: key ? getField(form, key).title : null,
      parcelId: parcelId ?? (typeof row.values.parcelId === 'string' ? row.values.parcelId : null), value, expected, detail,
    }, input.overrides);
    files?.set(is, r.file);
    out.push(is);
  };
  const byParcel = new Map(input.determination?.parcels.map((p) => [p.parcelId, p]) ?? []);

  // projects: first each row's own cells (dates, the parcel against the determination),
  // then, for the rows kept, the rows agreeing and one active project per parcel
  const named = new Set<string>();
  const firstRow = new Map<string, { r: FormRead; row: ParsedRow }>();
  const activeOf = new Map<string, string[]>();
  const status = new Map<string, string>();
  for (const r of projectReads) {
    for (const row of r.rows) {
      const v = row.values;
      const id = typeof v.projectId === 'string' ? v.projectId : null;
      if (id !== null) named.add(id);
      if (typeof v.plannedStart === 'string' && typeof v.plannedEnd === 'string' && v.plannedEnd < v.plannedStart) {
        emit('plan-dates-inverted', r, row, 'plannedEnd', v.plannedEnd, v.plannedStart);
      }
      const parcel = typeof v.parcelId === 'string' ? v.parcelId : null;
      if (parcel !== null && input.determination) {
        const d = byParcel.get(parcel);
        if (!d) emit('parcel-not-in-base', r, row, 'parcelId', parcel, null, '（认定结果中无此宗地）');
        else {
          if (d.result !== '低效') emit('project-parcel-not-low', r, row, 'parcelId', parcel, d.result);
          else if (d.mode !== null && typeof v.mode === 'string' && v.mode !== d.mode) emit('mode-differs', r, row, 'mode', v.mode, d.mode);
        }
      }
      if (id === null || row.hasError) continue;
      const first = firstRow.get(id);
      if (!first) firstRow.set(id, { r, row });
      else {
        for (const k of AGREEING) {
          const a = first.row.values[k];
          if (v[k] !== null && a !== null && v[k] !== a) emit('project-rows-disagree', r, row, k, v[k], String(a), id);
        }
      }
      if (typeof v.status === 'string' && !status.has(id)) status.set(id, v.status);
      if (parcel !== null && v.status !== STATUS_TERMINATED) {
        const list = activeOf.get(parcel) ?? [];
        if (!list.includes(id)) {
          if (list.length > 0) emit('parcel-in-two-projects', r, row, 'parcelId', parcel, [...list, id].join('、'));
          list.push(id);
          activeOf.set(parcel, list);
        }
      }
    }
  }

  // milestones: a known project and the done date (every row); done and overdue (the rows kept,
  // of a project in the records, or of any project when no project form is given)
  const lastDone = new Map<string, string>();
  for (const r of milestoneReads) {
    for (const row of r.rows) {
      const v = row.values;
      const id = typeof v.projectId === 'string' ? v.projectId : null;
      if (id === null) continue;
      if (projectReads.length > 0 && !named.has(id)) emit('milestone-without-project', r, row, 'projectId', id);
      const planned = typeof v.plannedDate === 'string' ? v.plannedDate : null;
      const actual = typeof v.actualDate === 'string' ? v.actualDate : null;
      if (actual !== null && actual > asOf) emit('milestone-in-future', r, row, 'actualDate', actual, asOf);
      if (row.hasError) continue;
      if (actual !== null && actual <= asOf) {
        if ((lastDone.get(id) ?? '') < actual) lastDone.set(id, actual);
      }
      const followed = projectReads.length === 0 || (status.has(id) && status.get(id) !== STATUS_TERMINATED);
      if (actual === null && planned !== null && planned < asOf && followed) {
        emit('milestone-overdue', r, row, 'plannedDate', planned, asOf, String(daysBetween(planned, asOf)));
      }
    }
  }
  const since = monthsBefore(asOf, STALLED_MONTHS);
  for (const [id, st] of status) {
    if (st !== STATUS_IN_PROGRESS) continue;
    const done = lastDone.get(id);
    if (done === undefined || done < since) {
      const { r, row } = firstRow.get(id)!;
      emit('project-stalled', r, row, 'status', st, since);
    }
  }
  return out;
}

