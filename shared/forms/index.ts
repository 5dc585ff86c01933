import { baseForm } from './base';
import { commercialForm } from './commercial';
import { facilityForm } from './facility';
import { housingForm } from './housing';
import { industrialForm } from './industrial';
import { milestoneForm } from './milestone';
import { projectForm } from './project';
import { environmentForm, outputBenchmarkForm, outputForm, taxBenchmarkForm, taxForm } from './reference';
import { FieldDef, FormDef, FormId } from './types';

export * from './types';
export { LAND_USE_CODES } from './base';
export { OPERATING_STATUS } from './industrial';

/** Template version written into every template's workbook properties. */
export const TEMPLATE_VERSION = '2022.1';

/** The one catalogue of forms, in the order the spec lists them. */
export const FORMS: readonly FormDef[] = [
  baseForm,
  industrialForm,
  commercialForm,
  facilityForm,
  housingForm,
  taxForm,
  taxBenchmarkForm,
  outputForm,
  outputBenchmarkForm,
  environmentForm,
  projectForm,
  milestoneForm,
];

export const FORM_IDS: readonly FormId[] = FORMS.map((f) => f.id);

const byId = new Map<string, FormDef>(FORMS.map((f) => [f.id, f]));

export function isFormId(id: string): id is FormId {
  return byId.has(id);
}

export function getForm(id: FormId): FormDef {
  const f = byId.get(id);
  if (!f) throw new Error(`unknown form: ${id}`);
  return f;
}

export function getField(form: FormDef, key: string): FieldDef {
  const f = form.fields.find((x) => x.key === key);
  if (!f) throw new Error(`form ${form.id} has no field ${key}`);
  return f;
}
export { referenceJoin, type JoinField } from './joins';
