import type { FormId } from '../forms/types';
import { isDate } from '../grid';
import * as catalogue from './catalogue';
import type { IssueCode, Severity } from './catalogue';
import type { ContractIssue } from '../types';

// Copied into module constants once: transpiled to CommonJS (tsx, jest), each use of an imported
// name is a getter call on the other module's exports (makeIssue runs for every issue).
const { ISSUE_CODES, renderMessage } = catalogue;

/** One entry of the issue list, in the shape of interfaces.md (plus `hint`). */
export interface Issue {
  code: IssueCode;
  severity: Severity;
  form: FormId;
  sheet: string;
  /** 1-based Excel row of the file as read; null for sheet- and parcel-level issues. */
  row: number | null;
  /** Column letter, or null. */
  column: string | null;
  /** Chinese field title, or null. */
  field: string | null;
  parcelId: string | null;
  /** The value as found (text), or null. */
  value: string | null;
  message: string;
  hint: string;
}

export interface IssueInput {
  form: FormId;
  sheet: string;
  row?: number | null;
  column?: string | null;
  field?: string | null;
  parcelId?: string | null;
  value?: unknown;
  /** Extra placeholders for the message template. */
  expected?: string | number | null;
  detail?: string | null;
}

/** Severity overrides of the rule set in force (domain.md §8.14). */
export type SeverityOverrides = Partial<Record<IssueCode, Severity>>;

export function valueText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (isDate(v)) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && typeof (v as { error?: unknown }).error === 'string') return (v as { error: string }).error;
  return String(v);
}

export function makeIssue(code: IssueCode, input: IssueInput, overrides?: SeverityOverrides): Issue {
  const def = ISSUE_CODES[code];
  const value = valueText(input.value);
  return {
    code,
    severity: overrides?.[code] ?? def.severity,
    form: input.form,
    sheet: input.sheet,
    row: input.row ?? null,
    column: input.column ?? null,
    field: input.field ?? null,
    parcelId: input.parcelId ?? null,
    value,
    message: renderMessage(code, { field: input.field, value, expected: input.expected, detail: input.detail }, input.row == null && input.column != null),
    hint: def.hint,
  };
}

/** An issue as the JSON contracts give it (interfaces.md): the catalogue's hint is left out. */
export function contractIssue(is: Issue): ContractIssue {
  return {
    code: is.code,
    severity: is.severity,
    form: is.form,
    sheet: is.sheet,
    row: is.row,
    column: is.column,
    field: is.field,
    parcelId: is.parcelId,
    value: is.value,
    message: is.message,
  };
}
