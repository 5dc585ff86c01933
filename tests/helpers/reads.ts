/**
 * Factories that build `FormRead` objects directly, as the reader would hand them over, so the
 * engine's tests do not depend on the xlsx reader. Fields come from the forms catalogue; every
 * field of the form is present in a row's values (null unless given).
 */
import { columnLetter } from '../../shared/grid';
import { getForm } from '../../shared/forms';
import type { FormId } from '../../shared/forms/types';
import type { IssueCode } from '../../shared/issues/catalogue';
import { makeIssue } from '../../shared/issues/issue';
import { defaultRuleSet, parseRuleSet } from '../../shared/rules';
import type { RuleSet } from '../../shared/rules/schema';
import type { FieldValue, FormRead, ParsedRow } from '../../shared/types';

/** An issue the reader would have raised on a row (an error one sets hasError). */
export interface ReaderIssue {
  code: IssueCode;
  field?: string;
  value?: string;
}

/** Field values by key, plus `$issues`: the reader's issues on this row. */
export interface RowInput {
  [key: string]: FieldValue | ReaderIssue[] | undefined;
  $issues?: ReaderIssue[];
}

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A valid USCC (GB 32100-2015) numbered n. */
export function uscc(n: number): string {
  const body = `91120102${String(n).padStart(9, '0')}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += ALPHABET.indexOf(body[i]) * WEIGHTS[i];
  return body + ALPHABET[(31 - (s % 31)) % 31];
}

/** A Hedong parcel id numbered n. */
export function pid(n: number): string {
  return `120102001002GB${String(n).padStart(5, '0')}`;
}

/** Data rows start at Excel row 3 (title row 1, header row 2). */
export const FIRST_DATA_ROW = 3;

export function formRead(form: FormId, rows: RowInput[], opts: { file?: string; sheet?: string; firstRow?: number } = {}): FormRead {
  const def = getForm(form);
  const sheet = opts.sheet ?? def.title;
  const columns: Record<string, string> = {};
  def.fields.forEach((f, i) => (columns[f.key] = columnLetter(i + 1)));
  const first = opts.firstRow ?? FIRST_DATA_ROW;
  const read: FormRead = { file: opts.file ?? `${form}.xlsx`, form, sheet, headerRow: first - 1, columns, rows: [], issues: [] };
  rows.forEach((input, i) => {
    const values: Record<string, FieldValue> = {};
    for (const f of def.fields) values[f.key] = null;
    for (const [k, v] of Object.entries(input)) {
      if (k === '$issues' || v === undefined) continue;
      if (!(k in values)) throw new Error(`form ${form} has no field ${k}`);
      values[k] = v as FieldValue;
    }
    const row: ParsedRow = { row: first + i, values, hasError: false };
    for (const is of input.$issues ?? []) {
      const field = is.field ? def.fields.find((f) => f.key === is.field) : undefined;
      const issue = makeIssue(is.code, {
        form,
        sheet,
        row: row.row,
        column: is.field ? columns[is.field] : null,
        field: field?.title ?? null,
        parcelId: typeof values.parcelId === 'string' ? values.parcelId : null,
        value: is.value ?? null,
      });
      read.issues.push(issue);
      if (issue.severity === 'error') row.hasError = true;
    }
    read.rows.push(row);
  });
  return read;
}

/** A base row with sensible defaults: an industrial parcel of 10000 m² with full procedures. */
export function baseRow(n: number, over: RowInput = {}): RowInput {
  return {
    parcelId: pid(n),
    street: '大王庄街道',
    location: `河东区测试路${n}号`,
    landUseCode: '0601',
    landArea: 10000,
    owner: `权利人${n}`,
    ownership: '国有',
    supplyMode: '出让',
    plannedUse: '工业',
    landProcedures: '齐全',
    ...over,
  };
}

/**
 * An industrial row that hits nothing by itself on a 10000 m² parcel: 容积率 1.0, 建筑密度 40%.
 */
export function indRow(parcel: number, enterprise: number, over: RowInput = {}): RowInput {
  return {
    parcelId: pid(parcel),
    enterpriseName: `企业${enterprise}`,
    uscc: uscc(enterprise),
    industryCode: '3311',
    landArea: 10000,
    floorArea: 10000,
    footprint: 4000,
    status: '正常生产',
    obsolete: false,
    ...over,
  };
}

export function comRow(parcel: number, building: string, over: RowInput = {}): RowInput {
  return {
    parcelId: pid(parcel),
    buildingName: building,
    street: '大王庄街道',
    floorArea: 20000,
    vacantArea: 2000,
    tax: 300,
    stalled: false,
    dangerGrade: 'A',
    ...over,
  };
}

export function facRow(parcel: number, name: string, over: RowInput = {}): RowInput {
  return { parcelId: pid(parcel), facilityName: name, facilityType: '公用设施', manager: '管理单位', useStatus: '正常使用', ...over };
}

export function houRow(parcel: number, name: string, over: RowInput = {}): RowInput {
  return { projectName: name, housingType: '老旧小区', parcelId: pid(parcel), street: '大王庄街道', builtYear: 2010, amenities: '齐全', ...over };
}

export function taxRow(enterprise: number, total: number, year = 2022, over: RowInput = {}): RowInput {
  return { uscc: uscc(enterprise), enterpriseName: `企业${enterprise}`, year, taxTotal: total, ...over };
}

export function outputRow(enterprise: number, total: number, year = 2022, over: RowInput = {}): RowInput {
  return { uscc: uscc(enterprise), enterpriseName: `企业${enterprise}`, year, output: total, ...over };
}

/** The default rule set with some parts replaced (validated like a user's rules.json). */
export function ruleSet(over: Partial<Record<keyof RuleSet, unknown>> = {}): RuleSet {
  return parseRuleSet({ ...defaultRuleSet(), ...over });
}
