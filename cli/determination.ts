/** Reading a determination (`consolidate --json` result) given to the pilot commands. */
import { consolidationResultSchema, type ConsolidationResultJson } from '../shared/contract';
import { UnusableInputError } from '../shared/types';
import { readInputFile } from './common';
import { oneLine } from './io';

/** Largest determination JSON read (a 100,000-parcel result is about 60 MB). */
const MAX_JSON_BYTES = 512 * 1024 * 1024;

/**
 * Reads and checks a determination JSON; anything that is not one (missing, not JSON, another
 * shape) is an unusable input naming the first field that is wrong.
 */
export async function readDetermination(file: string): Promise<ConsolidationResultJson> {
  const bytes = await readInputFile(file, MAX_JSON_BYTES, {
    folder: ['这是文件夹，不是认定结果 JSON 文件', 'this is a folder, not a determination JSON file'],
    tooLarge: ['文件过大，不是认定结果', 'the file is too large to be a determination'],
  });
  const text = new TextDecoder().decode(bytes);
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UnusableInputError(file, '不是有效的 JSON，应为 consolidate --json 的认定结果', `not valid JSON; expected a consolidate --json result (${oneLine((e as Error).message)})`);
  }
  const checked = consolidationResultSchema.safeParse(doc);
  if (!checked.success) {
    const first = checked.error.issues[0];
    const where = first.path.length ? first.path.join('.') : '（根）';
    const whereEn = first.path.length ? first.path.join('.') : '(root)';
    throw new UnusableInputError(
      file,
      `不是认定结果（consolidate --json 的格式）：${where}：${oneLine(first.message)}`,
      `not a determination (the consolidate --json shape): ${whereEn}: ${oneLine(first.message)}`,
    );
  }
  return checked.data;
}
