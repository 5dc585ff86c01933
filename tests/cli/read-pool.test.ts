/**
 * Reading consolidate's inputs on helper threads (cli/read-pool.ts) gives exactly what reading them
 * one after another gives: the same FormReads in the order of the files, and for bad inputs the
 * error of the first bad file in that order. Helpers that are missing or crash change nothing.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFormsFromFile } from '../../cli/common';
import { readAllForms } from '../../cli/read-pool';
import { defaultRuleSet } from '../../shared/rules';
import { writeSampleWorkbooks } from '../../shared/sample';
import type { FormRead } from '../../shared/types';
import { buildCli, removeDir, ROOT, tempDir } from './helpers';

const rs = defaultRuleSet();
const WORKER = join(ROOT, 'dist', 'read-worker.js');
const dir = tempDir('pool-');
let files: string[] = [];
let expected: FormRead[][] = [];

beforeAll(async () => {
  buildCli(); // dist/read-worker.js is built with the CLI
  files = (await writeSampleWorkbooks(join(dir, 'in'))).files;
  expected = [];
  for (const f of files) expected.push(await readFormsFromFile(f, rs));
}, 120_000);
afterAll(() => removeDir(dir));

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
  return 'no error';
}

test('with one and with two helpers: the same FormReads, in file order, as reading one after another', async () => {
  expect(files.length).toBeGreaterThan(10);
  const seen: string[] = [];
  const byHelper: string[] = [];
  const one = await readAllForms(files, rs, { worker: WORKER, minBytes: 0, helpers: 1, onRead: (_k, f, by) => (seen.push(f), by === 'helper' && byHelper.push(f)) });
  expect(one).toEqual(expected);
  expect([...seen].sort()).toEqual([...files].sort());
  // the helper did read some of them, this thread the others
  expect(byHelper.length).toBeGreaterThan(0);
  expect(byHelper.length).toBeLessThan(files.length);
  expect(await readAllForms(files, rs, { worker: WORKER, minBytes: 0, helpers: 2 })).toEqual(expected);
});

test('bad inputs: the error is the one of the first bad file in the list, as read one after another', async () => {
  const bad1 = join(dir, 'not-a-workbook.xlsx');
  writeFileSync(bad1, 'this is not a zip');
  const bad2 = join(dir, 'missing.xlsx');
  const list = [...files.slice(0, 3), bad1, ...files.slice(3, 9), bad2, ...files.slice(9)];
  const sequential = await errorOf((async () => {
    for (const f of list) await readFormsFromFile(f, rs);
  })());
  expect(sequential).toMatch(/UnusableInputError/);
  expect(sequential).toContain('not-a-workbook.xlsx');
  expect(await errorOf(readAllForms(list, rs, { worker: WORKER, minBytes: 0, helpers: 2 }))).toBe(sequential);
  // the first bad file may be read by a helper or by this thread: move it to the end, the missing one comes first
  const list2 = [...files.slice(0, 5), bad2, ...files.slice(5), bad1];
  const sequential2 = await errorOf((async () => {
    for (const f of list2) await readFormsFromFile(f, rs);
  })());
  expect(sequential2).toContain('missing.xlsx');
  expect(await errorOf(readAllForms(list2, rs, { worker: WORKER, minBytes: 0, helpers: 1 }))).toBe(sequential2);
});

test('a helper script that is missing or crashes: this thread reads everything, the same result', async () => {
  expect(await readAllForms(files, rs, { worker: join(dir, 'no-such-worker.js'), minBytes: 0 })).toEqual(expected);
  const crashing = join(dir, 'crashing-worker.js');
  writeFileSync(crashing, "require('node:worker_threads').parentPort.once('message', () => { throw new Error('crash (test)'); });\n");
  expect(await readAllForms(files, rs, { worker: crashing, minBytes: 0, helpers: 2 })).toEqual(expected);
  const failing = join(dir, 'failing-worker.js');
  writeFileSync(failing, "const p = require('node:worker_threads').parentPort; p.on('message', (m) => p.postMessage({ i: m.i, failed: 'no (test)' }));\n");
  expect(await readAllForms(files, rs, { worker: failing, minBytes: 0, helpers: 1 })).toEqual(expected);
});

test('small inputs are read on this thread only (no helper started); larger ones start them', async () => {
  const marker = join(dir, 'started.txt');
  const marking = join(dir, 'marking-worker.js');
  writeFileSync(marking, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x');\n`);
  expect(await readAllForms(files, rs, { worker: marking, helpers: 2 })).toEqual(expected);
  expect(existsSync(marker)).toBe(false);
  expect(await readAllForms(files, rs, { worker: marking, helpers: 1, minBytes: 1 })).toEqual(expected);
  expect(existsSync(marker)).toBe(true);
});
