/**
 * The one place that touches exceljs 4.4's private fields (pinned version: package-lock.json).
 * Anything exceljs offers no public API for goes here, named, so an upgrade has one file to check.
 */
import type ExcelJS from 'exceljs';

/** Deletes a cell's note: exceljs has no API for it (assigning undefined leaves an empty one). */
export function removeNote(cell: ExcelJS.Cell): void {
  const c = cell as unknown as { _comment?: unknown; _value?: { model?: { comment?: unknown } } };
  c._comment = undefined;
  // a loaded cell's value model still carries the comment it was read with
  if (c._value?.model && 'comment' in c._value.model) delete c._value.model.comment;
}
