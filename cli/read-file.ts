/**
 * Reading one workbook file into its grid, with the CLI's unusable-input wording: kept apart from
 * common.ts so the reading helper thread (read-worker.ts) does not load the rule-set schemas.
 */
import type { WorkbookGrid } from '../shared/grid';
import { UnusableInputError } from '../shared/types';
import { readXlsxFile } from '../shared/xlsx/read';
import { oneLine } from './io';

/** Wraps anything thrown while reading `file` so the CLI reports it as an unusable input. */
export function asUnusable(file: string, e: unknown): UnusableInputError {
  if (e instanceof UnusableInputError) return e;
  const msg = oneLine((e as Error)?.message ?? String(e));
  return new UnusableInputError(file, `无法读取（${msg}）`, `cannot read the workbook (${msg})`);
}

/** Reads a workbook file into its grid; anything wrong with it is an UnusableInputError. */
export async function readGridFromFile(file: string): Promise<WorkbookGrid> {
  try {
    return await readXlsxFile(file);
  } catch (e) {
    throw asUnusable(file, e);
  }
}
