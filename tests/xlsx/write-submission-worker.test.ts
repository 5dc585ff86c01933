/**
 * The submission's 一宗一卡 sheet written on a second thread (the cards worker, as the CLI does for
 * large submissions) must give the workbook the office gets from one thread: every sheet, cell,
 * style, merge, page break and print setting the same; only how texts are stored may differ
 * (shared or inline). A worker that cannot start leaves the work to this thread; one that fails
 * fails the submission, leaving no file.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { strFromU8, unzipSync } from 'fflate';
import { defaultRuleSet } from '../../shared/rules';
import type { Consolidation } from '../../shared/types';
import { readXlsx } from '../../shared/xlsx/read';
import { SUBMISSION_SHEETS, writeSubmission, type SubmissionOptions } from '../../shared/xlsx/submission';
import { buildCli, ROOT } from '../cli/helpers';
import { makeConsolidation } from './write-fixtures';

const rs = defaultRuleSet();
const AT = new Date(2023, 0, 5, 10, 0);
const WORKER = join(ROOT, 'dist', 'cards-worker.js');

async function toBuffer(c: Consolidation, opts: SubmissionOptions): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (d: Buffer) => chunks.push(d));
  await writeSubmission(c, rs, sink, { generatedAt: AT, ...opts });
  return Buffer.concat(chunks);
}

/** The shared strings of a package. */
function sharedStrings(files: Record<string, Uint8Array>): string[] {
  const x = strFromU8(files['xl/sharedStrings.xml']);
  return [...x.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => [...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''));
}

/** A sheet's XML with every cell written one way: address, style and its text (shared strings resolved). */
function canonical(xml: string, sst: string[]): string {
  return xml.replace(/<c r="([A-Z]+\d+)"((?: [a-z]+="[^"]*")*)(\/>|>([\s\S]*?)<\/c>)/g, (_m, r: string, attrs: string, _end: string, inner: string | undefined) => {
    const s = /s="(\d+)"/.exec(attrs)?.[1] ?? '0';
    const t = /t="(\w+)"/.exec(attrs)?.[1] ?? 'n';
    let v = '';
    if (inner !== undefined) {
      if (t === 's') v = sst[Number(/<v>(\d+)<\/v>/.exec(inner)![1])];
      else if (t === 'inlineStr') v = [...inner.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join('');
      else v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1] ?? '';
    }
    return `<c r="${r}" s="${s}" kind="${t === 's' || t === 'inlineStr' ? 'text' : t}" v="${v}"/>`;
  });
}

function cellRefs(files: Record<string, Uint8Array>): number {
  let n = 0;
  for (const [name, b] of Object.entries(files)) if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) n += (strFromU8(b).match(/ t="s"/g) ?? []).length;
  return n;
}

describe('the cards written on a second thread', () => {
  const c = makeConsolidation(300);
  let one: Record<string, Uint8Array>;
  let two: Record<string, Uint8Array>;
  let twoBuf: Buffer;
  beforeAll(async () => {
    buildCli(); // dist/cards-worker.js is built with the CLI
    expect(existsSync(WORKER)).toBe(true);
    one = unzipSync(new Uint8Array(await toBuffer(c, {})));
    twoBuf = await toBuffer(c, { cardsWorker: WORKER, cardsWorkerMin: 0 });
    two = unzipSync(new Uint8Array(twoBuf));
  }, 120_000);

  test('the worker did write the cards (their unique texts are inline, not shared)', () => {
    const cards = strFromU8(two[`xl/worksheets/sheet${SUBMISSION_SHEETS.indexOf('一宗一卡') + 1}.xml`]);
    expect(cards).toContain(`<is><t>${c.details[0].parcelId}</t></is>`);
    const alone = strFromU8(one[`xl/worksheets/sheet${SUBMISSION_SHEETS.indexOf('一宗一卡') + 1}.xml`]);
    expect(alone).not.toContain(`<is><t>${c.details[0].parcelId}</t></is>`);
  });

  test('the same parts, and every sheet the same cell for cell, style for style, merge for merge', () => {
    expect(Object.keys(two).sort()).toEqual(Object.keys(one).sort());
    const sst1 = sharedStrings(one);
    const sst2 = sharedStrings(two);
    for (let i = 1; i <= SUBMISSION_SHEETS.length; i++) {
      const name = `xl/worksheets/sheet${i}.xml`;
      expect([name, canonical(strFromU8(two[name]), sst2)]).toEqual([name, canonical(strFromU8(one[name]), sst1)]);
    }
    for (const name of ['xl/workbook.xml', 'xl/styles.xml', 'xl/_rels/workbook.xml.rels', '[Content_Types].xml']) {
      expect([name, strFromU8(two[name])]).toEqual([name, strFromU8(one[name])]);
    }
  });

  test("the shared strings' count is the number of cells that refer to them", () => {
    const count = Number(/<sst [^>]*count="(\d+)"/.exec(strFromU8(two['xl/sharedStrings.xml']))![1]);
    expect(count).toBe(cellRefs(two));
    expect(cellRefs(two)).toBeGreaterThan(0);
  });

  test('the project reader reads both workbooks to the same grids', async () => {
    const a = await readXlsx(new Uint8Array(await toBuffer(c, {})), 'one.xlsx');
    const b = await readXlsx(new Uint8Array(twoBuf), 'two.xlsx');
    expect(b.sheets.map((s) => s.name)).toEqual(a.sheets.map((s) => s.name));
    for (let i = 0; i < a.sheets.length; i++) expect(b.sheets[i].rows).toEqual(a.sheets[i].rows);
  });

  test('a worker that cannot start leaves the cards to this thread (the same workbook)', async () => {
    const buf = await toBuffer(c, { cardsWorker: join(tmpdir(), 'no-such-cards-worker.js'), cardsWorkerMin: 0 });
    expect(Buffer.compare(buf, await toBuffer(c, {}))).toBe(0);
  });

  test('a worker that fails fails the submission with its reason, and no file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cards-worker-'));
    const broken = join(dir, 'broken-worker.js');
    writeFileSync(broken, "require('node:worker_threads').parentPort.postMessage({ error: 'disk full (test)' });\n");
    const out = join(dir, 'submission.xlsx');
    await expect(writeSubmission(c, rs, out, { generatedAt: AT, cardsWorker: broken, cardsWorkerMin: 0 })).rejects.toThrow(/一宗一卡写出失败.*disk full \(test\)/);
    expect(readdirSync(dir)).toEqual(['broken-worker.js']);
    const crashing = join(dir, 'crashing-worker.js');
    writeFileSync(crashing, "throw new Error('crashed (test)');\n");
    await expect(writeSubmission(c, rs, out, { generatedAt: AT, cardsWorker: crashing, cardsWorkerMin: 0 })).rejects.toThrow(/crashed \(test\)/);
    expect(readdirSync(dir).sort()).toEqual(['broken-worker.js', 'crashing-worker.js']);
  });
});
