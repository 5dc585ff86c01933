/**
 * `land-survey consolidate … --json - | head`: when the reader of stdout goes away early, the command
 * ends quietly (no EPIPE stack trace on stderr) and still leaves a complete submission workbook.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeSampleWorkbooks } from '../../shared/sample';
import { BIN, buildCli, removeDir, tempDir } from './helpers';

let dir: string;
beforeAll(async () => {
  buildCli();
  dir = tempDir('pipe-');
  await writeSampleWorkbooks(join(dir, 'in'));
}, 120_000);
afterAll(() => removeDir(dir));

test('a reader that closes stdout early (| head) gets no stack trace, and the workbook is still written', () => {
  const out = join(dir, 'out.xlsx');
  // a real pipeline, as people type it: bash reports land-survey's own exit code
  const cmd = `"${process.execPath}" "${BIN}" consolidate "${join(dir, 'in')}" -o "${out}" --json - | head -c 100 >/dev/null; exit \${PIPESTATUS[0]}`;
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8' });
  expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at .*\(/);
  expect(r.status).toBe(0);
  expect(existsSync(out)).toBe(true);
}, 120_000);
