import { makeIssue, type Issue } from '../../shared/issues/issue';
import type { IssueCode } from '../../shared/issues/catalogue';

/** An issue built through the shared catalogue (message and severity from there). */
export function issue(code: IssueCode, at: { sheet?: string; row?: number | null; column?: string | null; value?: unknown; field?: string; parcelId?: string }): Issue {
  return makeIssue(code, { form: 'industrial', sheet: at.sheet ?? '低效工业调查表', row: at.row ?? null, column: at.column ?? null, value: at.value, field: at.field ?? '字段', parcelId: at.parcelId ?? null });
}

/** Deterministic pseudo-random numbers (tests must not be flaky). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
