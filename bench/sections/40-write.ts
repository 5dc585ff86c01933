/**
 * Writing the submission workbook for 100,000 parcels (汇总, 认定结果, 低效用地数据库,
 * 历史遗留用地数据库, 问题清单 and 100,000 一宗一卡 cards), against a baseline measured in the same
 * run: exceljs' streaming writer (shared strings and styles on) writing the same cell values with
 * no formatting. Each is run in its own child process so its peak memory (max RSS) is its own.
 * Targets: formatted ≤ 1.5 × baseline time, peak memory ≤ 1 GB.
 * (The formatted writer can come out faster than the baseline: it gives cells shared style
 * objects, which exceljs' style registry caches by identity, while an unstyled cell carries a
 * fresh style object that exceljs renders to XML to find its style id.)
 *
 * Also: one template, and a marked copy of a 5,000-row department workbook (buffered exceljs,
 * as the user's workbook must be kept whole).
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
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

const PARCELS = 100_000;

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
  const baseFile = join(ctx.tmpDir, 'write-baseline.xlsx');
  const subFile = join(ctx.tmpDir, 'write-submission.xlsx');
  const base = child('baseline', baseFile);
  const sub = child('submission', subFile);
  const [baseCells, subCells] = [await countCells(baseFile), await countCells(subFile)];
  const mb = (f: string) => (statSync(f).size / 1e6).toFixed(1);
  ctx.log(`write: ${PARCELS.toLocaleString('en')} parcels (consolidation in memory: ${sub.dataMb.toFixed(0)} MB)`);
  ctx.log(`write: baseline, exceljs streaming writer, same values unformatted: ${(base.ms / 1000).toFixed(1)} s (CPU ${(base.cpuMs! / 1000).toFixed(1)} s), peak RSS ${base.maxRssMb.toFixed(0)} MB, ${baseCells.toLocaleString('en')} cells, ${mb(baseFile)} MB`);
  ctx.log(`write: submission workbook (formatted, 6 sheets, ${PARCELS.toLocaleString('en')} cards): ${(sub.ms / 1000).toFixed(1)} s (CPU ${(sub.cpuMs! / 1000).toFixed(1)} s), peak RSS ${sub.maxRssMb.toFixed(0)} MB, ${subCells.toLocaleString('en')} cells (incl. empty bordered ones), ${mb(subFile)} MB`);
  const ratio = sub.ms / base.ms;
  const cpuRatio = sub.cpuMs! / base.cpuMs!;
  ctx.log(`write: submission / baseline time = ${ratio.toFixed(2)}× wall, ${cpuRatio.toFixed(2)}× CPU (target ≤ 1.5×) ${Math.max(ratio, cpuRatio) <= 1.5 ? 'OK' : 'OVER'}; peak memory ${sub.maxRssMb.toFixed(0)} MB (target ≤ 1024 MB) ${sub.maxRssMb <= 1024 ? 'OK' : 'OVER'}`);

  const small = child('small', join(ctx.tmpDir, 'write-small'));
  ctx.log(`write: template (industrial, 500 rows) ${small.ms.toFixed(0)} ms; marked copy of a 5,000-row workbook with 1,000 issues ${small.markedMs!.toFixed(0)} ms`);
}

// ---------------------------------------------------------------------------------------------
// Child process side

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
  await writeSubmission(c, defaultRuleSet(), out, { generatedAt: new Date(2023, 0, 5), plainForBenchmark: mode === 'baseline' });
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
