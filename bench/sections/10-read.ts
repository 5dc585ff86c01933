/**
 * Workbook reading: N industrial-form rows in 10 workbooks (written by exceljs's streaming writer),
 * read by exceljs's buffered reader (the baseline), exceljs's streaming reader (with a count of the
 * cells that came back holding U+FFFD: its chunk-boundary bug) and the project's reader. Each in its
 * own child process: time, rows/s, peak RSS, and ratios against the baseline of the same run.
 * The results of every workbook are kept until the end, as `consolidate` keeps them.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading: each child loads only what it measures */
import { BenchContext, fmtMb, fmtS, industrialWorkbooks, ratio, runInChild } from '../util';

const FILES = 10;
const SIZES = [10_000, 100_000];

interface ReadResult {
  rows: number;
  cells: number;
  replacementChars: number;
}

function countFffd(v: unknown): number {
  if (typeof v === 'string') return v.includes('\uFFFD') ? 1 : 0;
  if (v && typeof v === 'object' && 'richText' in v) return countFffd((v as { richText: { text: string }[] }).richText.map((r) => r.text).join(''));
  if (v && typeof v === 'object' && 'result' in v) return countFffd((v as { result: unknown }).result);
  return 0;
}

export async function taskExceljsBuffered(args: { files: string[] }): Promise<ReadResult> {
  const ExcelJS = require('exceljs') as typeof import('exceljs');
  const kept: unknown[] = [];
  let rows = 0;
  let cells = 0;
  let replacementChars = 0;
  for (const f of args.files) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(f);
    wb.eachSheet((ws) => {
      ws.eachRow((row) => {
        rows++;
        row.eachCell((c) => {
          cells++;
          replacementChars += countFffd(c.value);
        });
      });
    });
    kept.push(wb);
  }
  return { rows, cells, replacementChars };
}

export async function taskExceljsStreaming(args: { files: string[] }): Promise<ReadResult> {
  const ExcelJS = require('exceljs') as typeof import('exceljs');
  let rows = 0;
  let cells = 0;
  let replacementChars = 0;
  for (const f of args.files) {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(f, { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit', hyperlinks: 'ignore' });
    for await (const ws of reader) {
      for await (const row of ws as AsyncIterable<import('exceljs').Row>) {
        rows++;
        row.eachCell((c) => {
          cells++;
          replacementChars += countFffd(c.value);
        });
      }
    }
  }
  return { rows, cells, replacementChars };
}

export async function taskOwnReader(args: { files: string[] }): Promise<ReadResult> {
  const { readXlsxFile } = require('../../shared/xlsx/read') as typeof import('../../shared/xlsx/read');
  const kept: unknown[] = [];
  let rows = 0;
  let cells = 0;
  let replacementChars = 0;
  for (const f of args.files) {
    const g = await readXlsxFile(f);
    for (const s of g.sheets) {
      for (const r of s.rows) {
        rows++;
        for (const v of r) {
          if (v === null) continue;
          cells++;
          replacementChars += countFffd(v);
        }
      }
    }
    kept.push(g);
  }
  return { rows, cells, replacementChars };
}

export default async function (ctx: BenchContext): Promise<void> {
  const idle = await runInChild(__filename, 'taskIdle', null);
  ctx.log(`child process baseline (node + tsx, nothing read): peak RSS ${fmtMb(idle.maxRssMb)}`);
  for (const n of SIZES) {
    const files = await industrialWorkbooks(n, FILES, ctx.log);
    const base = await runInChild<ReadResult>(__filename, 'taskExceljsBuffered', { files });
    const stream = await runInChild<ReadResult>(__filename, 'taskExceljsStreaming', { files });
    const own = await runInChild<ReadResult>(__filename, 'taskOwnReader', { files });
    ctx.log(`${n.toLocaleString('en')} rows in ${FILES} workbooks:`);
    const line = (label: string, m: typeof base) => {
      if (m.error) return ctx.log(`  ${label.padEnd(26)} FAILED: ${m.error}`);
      const r = m.result;
      ctx.log(
        `  ${label.padEnd(26)} ${fmtS(m.ms).padStart(8)} (cpu ${fmtS(m.cpuMs)})  ${String(Math.round((n / m.ms) * 1000)).padStart(7)} rows/s  peak RSS ${fmtMb(m.maxRssMb).padStart(7)}` +
          `  time ${ratio(m.ms, base.ms).padStart(6)}  RSS ${ratio(m.maxRssMb, base.maxRssMb).padStart(6)}` +
          `  (${r.rows} rows, ${r.cells} cells, ${r.replacementChars} with U+FFFD)`,
      );
    };
    line('exceljs buffered (base)', base);
    line('exceljs streaming', stream);
    line('project reader', own);
    if (!own.error && !base.error && own.result.cells !== base.result.cells) {
      ctx.log(`  NOTE: cell counts differ: project ${own.result.cells} vs exceljs ${base.result.cells}`);
    }
  }
}

export function taskIdle(): number {
  return 0;
}
