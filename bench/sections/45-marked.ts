/**
 * `land-survey validate <workbook> -o <marked copy>` on one 50,000-row department workbook (the
 * industrial form, ~3% of rows with the usual mistakes, so there are marks to make), against just
 * reading the same workbook with the project's reader, each in its own child process in the same run. Target (issue 10):
 * validate -o ≤ 2 × the read. Also shown: validate without -o (read + checks + JSON report only),
 * so the marked copy's own share is visible. The read is timed inside its child (module loading
 * excluded); validate is the built CLI as a process, start-up included (the harder comparison).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading: the read child loads only what it measures */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchContext, departmentWorkbook, fmtMb, fmtS, ratio, runInChild } from '../util';

const ROWS = 50_000;
const TARGET = 2;
/** Runs of each, alternating; the best of each is compared. */
const RUNS = 3;

export async function taskRead(args: { file: string }): Promise<{ rows: number }> {
  const { readXlsxFile } = require('../../shared/xlsx/read') as typeof import('../../shared/xlsx/read');
  const g = await readXlsxFile(args.file);
  return { rows: g.sheets.reduce((n, s) => n + s.rows.length, 0) };
}

interface Run {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  result: { bytes: number; issues: number };
  error?: string;
}

/** The built CLI as a process, start-up included: `land-survey validate <file> --json … [-o …]`. */
function validate(file: string, json: string, out: string | undefined, preload: string, usage: string): Run {
  rmSync(usage, { force: true });
  const bin = join(__dirname, '..', '..', 'bin', 'land-survey.js');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', preload, bin, 'validate', file, '--json', json, ...(out ? ['-o', out] : [])], {
    encoding: 'utf8',
    env: { ...process.env, BENCH_USAGE_FILE: usage },
  });
  const ms = performance.now() - t0;
  const u = existsSync(usage) ? (JSON.parse(readFileSync(usage, 'utf8')) as { rssKb: number; cpuUs: number }) : { rssKb: NaN, cpuUs: NaN };
  const error = r.status !== 0 && r.status !== 1 ? `validate exited ${r.status}: ${r.stderr.slice(0, 300)}` : undefined;
  const bytes = out && existsSync(out) ? statSync(out).size : 0;
  const issues = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as { issues: unknown[] }).issues.length : NaN;
  return { ms, cpuMs: u.cpuUs / 1000, maxRssMb: u.rssKb / 1024, result: { bytes, issues }, error };
}

export default async function (ctx: BenchContext): Promise<void> {
  const file = await departmentWorkbook(ROWS, ctx.log);
  const out = join(ctx.tmpDir, 'marked.xlsx');
  const json = join(ctx.tmpDir, 'report.json');
  const preload = join(ctx.tmpDir, 'usage-preload.js');
  const usage = join(ctx.tmpDir, 'usage.json');
  writeFileSync(
    preload,
    `process.on('exit', () => { try { const u = process.resourceUsage(); require('fs').writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({ rssKb: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime })); } catch {} });\n`,
  );
  const best = <T extends { ms: number }>(a: T[]): T => a.reduce((x, y) => (y.ms < x.ms ? y : x));
  // alternate the runs, best of three each (a busy machine disturbs a run, not all of them)
  const reads = [];
  const plain: Run[] = [];
  const marked: Run[] = [];
  for (let k = 0; k < RUNS; k++) {
    reads.push(await runInChild<{ rows: number }>(__filename, 'taskRead', { file }));
    plain.push(validate(file, json, undefined, preload, usage));
    marked.push(validate(file, json, out, preload, usage));
  }
  const r = best(reads);
  const p = best(plain);
  const m = best(marked);
  for (const x of [r, p, m]) if (x.error) ctx.log(`marked: FAILED: ${x.error}`);
  ctx.log(`marked: one workbook of ${ROWS.toLocaleString('en')} industrial rows, ${m.result.issues.toLocaleString('en')} issues to mark (best of ${RUNS}, alternating):`);
  ctx.log(`  read (project reader)        ${fmtS(r.ms).padStart(8)} (cpu ${fmtS(r.cpuMs)})  peak RSS ${fmtMb(r.maxRssMb)}`);
  ctx.log(`  validate (checks + JSON)     ${fmtS(p.ms).padStart(8)} (cpu ${fmtS(p.cpuMs)})  peak RSS ${fmtMb(p.maxRssMb)}`);
  ctx.log(`  validate -o (+ marked copy)  ${fmtS(m.ms).padStart(8)} (cpu ${fmtS(m.cpuMs)})  peak RSS ${fmtMb(m.maxRssMb)}, copy ${(m.result.bytes / 1e6).toFixed(1)} MB`);
  const q = m.ms / r.ms;
  ctx.log(`  validate -o / read = ${ratio(m.ms, r.ms)} (target ≤ ${TARGET}×: ${q <= TARGET ? 'met' : 'NOT met'}); validate / read = ${ratio(p.ms, r.ms)}`);
  rmSync(out, { force: true });
  rmSync(json, { force: true });
}
