/**
 * `land-survey consolidate … --json - | head`: when the reader of stdout goes away early, the command
 * ends quietly (no EPIPE stack trace on stderr) and still leaves a complete submission workbook.
 */
import { spawn } from 'node:child_process';
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

test('a reader that closes stdout early gets no stack trace, and the workbook is still written', async () => {
  const out = join(dir, 'out.xlsx');
  const child = spawn(process.execPath, [BIN, 'consolidate', join(dir, 'in'), '-o', out, '--json', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let first = '';
  child.stdout.once('data', (d) => {
    first = String(d);
    child.stdout.destroy(); // like `| head -c 100`
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  expect(first).toContain('"ruleSet"');
  expect(stderr).not.toMatch(/EPIPE|at .*\(|Unhandled/);
  expect(code).toBe(0);
  expect(existsSync(out)).toBe(true);
}, 120_000);
