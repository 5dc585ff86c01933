import type { FormId } from '../forms/types';
import type { SheetGrid, WorkbookGrid } from '../grid';
import type { RuleSet } from '../rules/schema';
import type { FormRead } from '../types';

/** STUB (owned by the reader work): recognise which sheets hold which form. */
export function recogniseSheets(_wb: WorkbookGrid): { sheet: SheetGrid; form: FormId; headerRow: number }[] {
  throw new Error('not implemented yet');
}

/** STUB: read one sheet as one form: tolerant reading + the checks that need this form alone. */
export function readForm(_sheet: SheetGrid, _form: FormId, _opts: { file: string; ruleSet: RuleSet }): FormRead {
  throw new Error('not implemented yet');
}

/** STUB: every recognised form of a workbook; throws UnusableInputError when none is recognised. */
export function readWorkbook(_wb: WorkbookGrid, _ruleSet: RuleSet): FormRead[] {
  throw new Error('not implemented yet');
}
