/**
 * writeOutputs (consolidate's last step): a result that breaks the JSON contract is an internal
 * error and leaves neither the submission workbook nor the JSON behind, though the check now runs
 * while the workbook is being written.
 */
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { consolidateFiles, writeOutputs } from '../../cli/consolidate';
import { defaultRuleSet } from '../../shared/rules';
import { writeSampleWorkbooks } from '../../shared/sample';
import { removeDir, tempDir } from './helpers';

const dir = tempDir('outputs-');
afterAll(() => removeDir(dir));

test('a result breaking the contract: an internal error, and no file is written', async () => {
  const rs = defaultRuleSet();
  const sample = await writeSampleWorkbooks(join(dir, 'in'), { scale: 0.2 });
  const c = await consolidateFiles(sample.files, rs);
  (c.result.parcels[0] as { result: string }).result = '不存在的结果';
  await expect(writeOutputs(c, rs, join(dir, '报送表.xlsx'), join(dir, 'result.json'), () => undefined)).rejects.toThrow(/JSON 约定.*JSON contract/);
  expect(readdirSync(dir).sort()).toEqual(['in']);
});
