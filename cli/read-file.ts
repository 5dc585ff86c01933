/**
 * Reading one workbook file into its grid, with the CLI's unusable-input wording: kept apart from
 * common.ts so the reading helper thread (read-worker.ts) does not load the rule-set schemas.
 */
import { basename } from 'node:path';
import type { WorkbookGrid } from '../shared/grid';
import { UnusableInputError } from '../shared/types';
import { readXlsxFile } from '../shared/xlsx/read';
import { oneLine } from './io';

/**
 * Wraps anything thrown while reading `file` so the CLI reports it as an unusable input. A file
 * named `~$…` that is not a workbook is the lock file Excel or WPS keeps beside an open workbook:
 * said so, with the file the user meant.
 */
export function asUnusable(file: string, e: unknown): UnusableInputError {
  const name = basename(file);
  if (name.startsWith('~$') && !(e instanceof UnusableInputError && e.code)) {
    return new UnusableInputError(
      file,
      `这是 Excel 或 WPS 打开工作簿时生成的临时锁定文件，不是工作簿；请选择原文件（如“${name.slice(2)}”，文件名不带 ~$），或先关闭该工作簿`,
      `this is the lock file Excel or WPS keeps beside an open workbook, not a workbook: choose the workbook itself (e.g. "${name.slice(2)}")`,
    );
  }
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
