/**
 * `land-survey consolidate` of a submission large enough for its cards to be written on a second
 * thread (the built CLI's cards worker): the command succeeds, the cards come from the worker, and
 * the workbook and the JSON hold every parcel.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { writeSampleWorkbooks } from '../../shared/sample';
import { CARDS_WORKER_MIN, SUBMISSION_SHEETS } from '../../shared/xlsx/submission';
import { readXlsxFile } from '../../shared/xlsx/read';
import { buildCli, removeDir, runCli, tempDir } from './helpers';

const dir = tempDir('threads-');
afterAll(() => removeDir(dir));

test('a large consolidate writes its cards on the worker thread, with every parcel in the workbook and the JSON', async () => {
  buildCli();
  const sample = await writeSampleWorkbooks(join(dir, 'in'), { scale: Math.ceil(CARDS_WORKER_MIN / 300) + 0.5 });
  const out = join(dir, '报送表.xlsx');
  const json = join(dir, 'result.json');
  const r = runCli(['consolidate', join(dir, 'in'), '-o', out, '--json', json]);
  expect(r.errLines).toEqual([]);
  expect(r.code).toBe(0);
  const result = JSON.parse(readFileSync(json, 'utf8')) as { parcels: { parcelId: string }[] };
  expect(result.parcels.length).toBeGreaterThanOrEqual(CARDS_WORKER_MIN);
  expect(result.parcels.length).toBe(sample.data.forms.base.length);
  // the worker's writer shares only the common texts: a parcel id on its card is inline
  const cards = strFromU8(unzipSync(readFileSync(out), { filter: (f) => f.name === `xl/worksheets/sheet${SUBMISSION_SHEETS.indexOf('一宗一卡') + 1}.xml` })[`xl/worksheets/sheet${SUBMISSION_SHEETS.indexOf('一宗一卡') + 1}.xml`]);
  expect(cards).toContain(`<is><t>${result.parcels[0].parcelId}</t></is>`);
  const wb = await readXlsxFile(out);
  expect(wb.sheets.map((s) => s.name)).toEqual([...SUBMISSION_SHEETS]);
  const cardTexts = new Set(wb.sheets[SUBMISSION_SHEETS.indexOf('一宗一卡')].rows.map((row) => row[0]).filter((v): v is string => typeof v === 'string'));
  for (const [i, p] of result.parcels.entries()) expect(cardTexts.has(`宗地卡片  ${p.parcelId}（${i + 1}/${result.parcels.length}）`)).toBe(true);
}, 180_000);
