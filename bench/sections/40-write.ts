/**
 * Writing xlsx (deflate level 3 for the floor and the project's writer), each in its own child process so its peak memory (max RSS) is its own:
 * - the table case of issue 10: 100,000 rows × 20 styled cells (borders, number formats, CJK text
 *   through shared strings) written three ways in the same run — a bare floor loop (the XML
 *   strings of the same cells, a shared-strings Map, node:zlib, no style objects), the project's
 *   writer (`shared/xlsx/write.ts`, a fixed style table), and exceljs' streaming writer (shared
 *   style objects per column). Target: the project's writer ≤ 1.5 × the floor.
 * - the whole submission workbook for 100,000 parcels (汇总, 认定结果, 低效用地数据库,
 *   历史遗留用地数据库, 问题清单, 难点堵点 and 100,000 一宗一卡 cards), formatted, and the same
 *   cell values with no styles or merges (what the formatting costs). Peak memory ≤ 1 GB.
 *
 * Also: one template, and a marked copy of a 5,000-row department workbook (buffered exceljs,
 * as the user's workbook must be kept whole).
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { Unzip, UnzipInflate } from 'fflate';
import { makeIssue } from '../../shared/issues/issue';
import { defaultRuleSet } from '../../shared/rules';
import { writeMarkedCopy } from '../../shared/xlsx/marked';
import { writeSubmission } from '../../shared/xlsx/submission';
import { writeTemplate } from '../../shared/xlsx/template';
import { makeConsolidation } from '../../tests/xlsx/write-fixtures';
import { createWriteStream } from 'node:fs';
import { createDeflateRaw } from 'node:zlib';
import type { ParcelDetail } from '../../shared/types';
import { XlsxWriter, escapeText } from '../../shared/xlsx/write';

const PARCELS = 100_000;
/** The cards worker of the built CLI (`npm run bench` builds it first). */
const CARDS_WORKER = join(__dirname, '..', '..', 'dist', 'cards-worker.js');

interface ChildResult {
  ms: number;
  /** CPU time (user + system, all threads incl. compression) of the write. */
  cpuMs?: number;
  maxRssMb: number;
  dataMb: number;
  file: string;
  /** 'small' mode: the marked copy's time. */
  markedMs?: number;
}

/** Runs this file as a child in `mode`, returns what it printed as JSON on its last line. */
function child(mode: string, out: string): ChildResult {
  const r = spawnSync(process.execPath, ['--expose-gc', '-r', 'tsx/cjs', __filename, mode, out], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, BENCH_WRITE_CHILD: '1' },
  });
  if (r.status !== 0) throw new Error(`write bench child ${mode} failed: ${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as ChildResult;
}

/** Counts `<c ` cell elements in the worksheets of an xlsx without inflating it all at once. */
async function countCells(file: string): Promise<number> {
  let cells = 0;
  await new Promise<void>((resolve, reject) => {
    const unzip = new Unzip();
    unzip.register(UnzipInflate);
    unzip.onfile = (f) => {
      if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(f.name)) return;
      let carry = '';
      const dec = new TextDecoder();
      f.ondata = (err, data) => {
        if (err) return reject(err);
        const text = carry + dec.decode(data, { stream: true });
        const m = text.match(/<c /g);
        cells += m ? m.length : 0;
        carry = text.slice(-2);
        if (carry.includes('<c ')) carry = '';
      };
      f.start();
    };
    const rs = createReadStream(file);
    rs.on('data', (b) => unzip.push(new Uint8Array(b as Buffer)));
    rs.on('end', () => {
      unzip.push(new Uint8Array(0), true);
      setTimeout(resolve, 50);
    });
    rs.on('error', reject);
  });
  return cells;
}

export default async function (ctx: { log(line: string): void; tmpDir: string }): Promise<void> {
  const mb = (f: string) => (statSync(f).size / 1e6).toFixed(1);
  const fig = (x: ChildResult) => `${(x.ms / 1000).toFixed(2)} s (CPU ${(x.cpuMs! / 1000).toFixed(2)} s), peak RSS ${x.maxRssMb.toFixed(0)} MB`;
  const floor = child('floor', join(ctx.tmpDir, 'write-floor.bin'));
  const own = child('table', join(ctx.tmpDir, 'write-table.xlsx'));
  const exc = child('exceljs', join(ctx.tmpDir, 'write-exceljs.xlsx'));
  ctx.log(`write: ${PARCELS.toLocaleString('en')} rows × ${TABLE_COLUMNS} styled cells — floor loop (XML strings, shared strings, node:zlib): ${fig(floor)}`);
  ctx.log(`write:   project writer (fixed style table): ${fig(own)}, ${mb(own.file)} MB; exceljs streaming writer: ${fig(exc)}, ${mb(exc.file)} MB`);
  const r = own.ms / floor.ms;
  ctx.log(`write:   project writer / floor = ${r.toFixed(2)}× (target ≤ 1.5×) ${r <= 1.5 ? 'OK' : 'OVER'}; exceljs / project writer = ${(exc.ms / own.ms).toFixed(1)}×`);
  // (the cost of formatting alone is the table case above against the floor loop: the product
  // writer has no unformatted mode for the bench)
  const subFile = join(ctx.tmpDir, 'write-submission.xlsx');
  const sub = child('submission', subFile);
  const subCells = await countCells(subFile);
  ctx.log(`write: submission workbook, ${PARCELS.toLocaleString('en')} parcels (consolidation in memory: ${sub.dataMb.toFixed(0)} MB)`);
  ctx.log(`write:   formatted (7 sheets, ${PARCELS.toLocaleString('en')} cards): ${fig(sub)}, ${subCells.toLocaleString('en')} cells (incl. empty bordered ones), ${mb(subFile)} MB`);
  ctx.log(`write:   peak memory ${sub.maxRssMb.toFixed(0)} MB (target ≤ 1024 MB) ${sub.maxRssMb <= 1024 ? 'OK' : 'OVER'}`);
  if (existsSync(CARDS_WORKER)) {
    const thrFile = join(ctx.tmpDir, 'write-submission-threaded.xlsx');
    const thr = child('submission-threaded', thrFile);
    ctx.log(`write:   the same with 一宗一卡 on the cards worker (as the CLI writes it): ${fig(thr)}, ${mb(thrFile)} MB; one thread / two = ${(sub.ms / thr.ms).toFixed(2)}×`);
  } else ctx.log(`write:   cards worker not built (${CARDS_WORKER}): the two-thread submission not measured`);

  const small = child('small', join(ctx.tmpDir, 'write-small'));
  ctx.log(`write: template (industrial, 500 rows) ${small.ms.toFixed(0)} ms; marked copy of a 5,000-row workbook with 1,000 issues ${small.markedMs!.toFixed(0)} ms`);
}

// ---------------------------------------------------------------------------------------------
// Child process side

const TABLE_COLUMNS = 20;
type Kind = 'text' | 'amount' | 'ratio';
/** The 20 cells of a row in the table case: text (CJK, through shared strings) and numbers. */
const TABLE: [Kind, (d: ParcelDetail, i: number) => string | number | null][] = [
  ['amount', (_d, i) => i + 1], ['text', (d) => d.parcelId], ['text', (d) => d.street], ['text', (d) => d.location], ['text', (d) => d.owner],
  ['text', (d) => d.landUseCode], ['text', (d) => d.category], ['amount', (d) => d.landArea], ['amount', (d) => d.landAreaMu], ['ratio', (d) => d.plotRatio],
  ['ratio', (d) => d.coverage], ['amount', (d) => d.taxPerMu], ['amount', (d) => d.outputPerMu], ['text', (d) => d.result], ['text', (d) => d.hits.join('、')],
  ['amount', (d) => d.floorArea], ['amount', (d) => d.footprint], ['amount', (d) => d.tax], ['amount', (d) => d.output], ['text', (d) => d.mode],
];

/** The floor: the XML of the same cells as strings, a shared-strings Map, node:zlib — no style objects, no zip container. */
async function floorLoop(details: ParcelDetail[], out: string): Promise<void> {
  const file = createWriteStream(out);
  const z = createDeflateRaw({ level: 3 }); // the project writer's level
  z.pipe(file);
  const done = new Promise<void>((resolve) => file.on('close', () => resolve()));
  const sst = new Map<string, number>();
  const styleOf = { text: 1, amount: 2, ratio: 3 };
  const letters = TABLE.map((_, k) => String.fromCharCode(65 + k));
  const write = async (x: string) => {
    if (!z.write(x)) await new Promise<void>((r) => z.once('drain', () => r()));
  };
  let buf = '<worksheet><sheetData>';
  for (let i = 0; i < details.length; i++) {
    const r = i + 1;
    buf += `<row r="${r}">`;
    for (let k = 0; k < TABLE.length; k++) {
      const v = TABLE[k][1](details[i], i);
      const ref = letters[k] + r;
      const st = styleOf[TABLE[k][0]];
      if (typeof v === 'number') buf += `<c r="${ref}" s="${st}"><v>${v}</v></c>`;
      else if (v) {
        let id = sst.get(v);
        if (id === undefined) sst.set(v, (id = sst.size));
        buf += `<c r="${ref}" s="${st}" t="s"><v>${id}</v></c>`;
      } else buf += `<c r="${ref}" s="${st}"/>`;
    }
    buf += '</row>';
    if (buf.length > 65536) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf + '</sheetData></worksheet>');
  buf = '<sst>';
  for (const s of sst.keys()) {
    buf += `<si><t>${escapeText(s)}</t></si>`;
    if (buf.length > 65536) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf + '</sst>');
  z.end();
  await done;
}

async function projectTable(details: ParcelDetail[], out: string): Promise<void> {
  const wb = new XlsxWriter(createWriteStream(out));
  const body = { font: { name: '仿宋', size: 10.5 }, border: true, vertical: 'middle' as const };
  const st = { text: wb.style({ ...body, wrap: true }), amount: wb.style({ ...body, numFmt: '#,##0.00' }), ratio: wb.style({ ...body, numFmt: '0.00' }) };
  const styles = TABLE.map(([k]) => st[k]);
  const ws = wb.addSheet('表', { widths: TABLE.map(() => 12) });
  const values: (string | number | null)[] = new Array(TABLE.length);
  for (let i = 0; i < details.length; i++) {
    for (let k = 0; k < TABLE.length; k++) values[k] = TABLE[k][1](details[i], i);
    const w = ws.row(values, styles);
    if (w) await w;
  }
  await ws.end();
  await wb.close();
}

async function exceljsTable(details: ParcelDetail[], out: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: true, useSharedStrings: true });
  const thin = { style: 'thin' as const };
  const body = { font: { name: '仿宋', size: 10.5 }, border: { top: thin, left: thin, bottom: thin, right: thin }, alignment: { vertical: 'middle' as const } };
  const st = { text: { ...body, alignment: { vertical: 'middle' as const, wrapText: true } }, amount: { ...body, numFmt: '#,##0.00' }, ratio: { ...body, numFmt: '0.00' } };
  const styles = TABLE.map(([k]) => st[k]);
  const ws = wb.addWorksheet('表');
  for (let i = 0; i < details.length; i++) {
    const row = ws.getRow(i + 1);
    for (let k = 0; k < TABLE.length; k++) {
      const cell = row.getCell(k + 1);
      const v = TABLE[k][1](details[i], i);
      if (v !== null && v !== '') cell.value = v;
      cell.style = styles[k] as Partial<ExcelJS.Style>;
    }
    row.commit();
    if (i % 2000 === 0) await new Promise<void>((r) => setImmediate(r));
  }
  ws.commit();
  await wb.commit();
}

async function runChild(mode: string, out: string): Promise<void> {
  const gc = (global as { gc?: () => void }).gc ?? (() => undefined);
  if (mode === 'small') {
    let t0 = performance.now();
    const tpl = await writeTemplate('industrial');
    const tTemplate = performance.now() - t0;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet('低效工业调查表')!;
    for (let r = 3; r < 5003; r++) {
      ws.getRow(r).values = [`120102001002GB${String(r).padStart(5, '0')}`, `企业${r}`, '91110000600037341L', '3411', 10000, 6000, 3500, 0.6, '正常生产'];
    }
    const filled = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const issues = Array.from({ length: 1000 }, (_, i) =>
      makeIssue('invalid-uscc', { form: 'industrial', sheet: '低效工业调查表', row: 3 + i * 5, column: 'C', field: '统一社会信用代码', value: 'x' }),
    );
    t0 = performance.now();
    await writeMarkedCopy(filled, issues);
    const tMarked = performance.now() - t0;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify({ ms: tTemplate, markedMs: tMarked, maxRssMb, dataMb: 0, file: out })}\n`);
    return;
  }
  gc();
  const before = process.memoryUsage().heapUsed;
  const c = makeConsolidation(PARCELS);
  gc();
  const dataMb = (process.memoryUsage().heapUsed - before) / 1e6;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (mode === 'floor') await floorLoop(c.details, out);
  else if (mode === 'table') await projectTable(c.details, out);
  else if (mode === 'exceljs') await exceljsTable(c.details, out);
  else if (mode === 'submission-threaded') await writeSubmission(c, defaultRuleSet(), out, { generatedAt: new Date(2023, 0, 5), cardsWorker: CARDS_WORKER });
  else await writeSubmission(c, defaultRuleSet(), out, { generatedAt: new Date(2023, 0, 5) });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ms, cpuMs, maxRssMb, dataMb, file: out })}\n`);
}

if (process.env.BENCH_WRITE_CHILD === '1' && require.main === module) {
  runChild(process.argv[2], process.argv[3]).catch((e) => {
    process.stderr.write(String(e?.stack ?? e));
    process.exit(1);
  });
}
