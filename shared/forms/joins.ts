/**
 * How a reference form's rows meet the survey rows, from the forms' own keys: by 宗地代码 (the
 * base), by 统一社会信用代码 (the bureaus' yearly figures, the environmental list), or not row by
 * row at all (the benchmark tables by 大类, read whole).
 */
import type { FormDef } from './types';

export type JoinField = 'parcelId' | 'uscc';

/** The field a reference form joins survey rows on, or null when it is a table read whole. */
export function referenceJoin(def: FormDef): JoinField | null {
  if (def.kind !== 'reference') return null;
  if (def.key.includes('parcelId')) return 'parcelId';
  if (def.key.includes('uscc')) return 'uscc';
  return null;
}
