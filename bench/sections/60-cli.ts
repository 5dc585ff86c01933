/**
 * The command line end to end, on the sample data set at a larger scale (BENCH_CLI_SCALE, default
 * 20 → about 6,000 parcels and 20,000 rows in ~20 department workbooks):
 * - writing the sample workbooks (rows/s);
 * - `land-survey --help` start-up against a bare `node -e 0` (baseline, same run);
 * - `land-survey consolidate <folder> -o … --json …` in a child process: wall time and peak RSS,
 *   against a baseline child that makes the same library calls with no CLI around them and keeps
 *   every grid alive until the end (the naive way). Ratios: time CLI / baseline (≈1 means the CLI
 *   adds nothing), peak RSS CLI / baseline (< 1: reading one file at a time keeps memory bounded).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { writeSampleWorkbooks } from '../../shared/sample';

const ROOT = join(__dirname, '..', '..');

interface ChildRun {
  ms: number;
  maxRssMb: number;
  code: number | null;
}

/** Runs node with a preload that records the peak RSS at exit. */
function runNode(args: string[], rssFile: string, preload: string): ChildRun {
  rmSync(rssFile, { force: true });
  const t = performance.now();
  const r = spawnSync(process.execPath, ['-r', preload, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BENCH_RSS_FILE: rssFile }, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  const kb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN;
  return { ms, maxRssMb: kb / 1024, code: r.status };
}

export default async function (ctx: { log(line: string): void; tmpDir: string }): Promise<void> {
  const scale = Number(process.env.BENCH_CLI_SCALE ?? 20);
  const dir = join(ctx.tmpDir, 'cli');
  const inputs = join(dir, 'inputs');
  const preload = join(dir, 'rss-preload.js');
  const rssFile = join(dir, 'rss.txt');

  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
    spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), 'cli', '--quiet'], { cwd: ROOT });
  }

  // 1. Sample workbooks.
  let t = performance.now();
  const { data, files } = await writeSampleWorkbooks(inputs, { scale });
  const writeMs = performance.now() - t;
  const rows = Object.values(data.forms).reduce((s, r) => s + r.length, 0);
  ctx.log(`cli: sample scale ${scale}: ${data.forms.base.length} parcels, ${rows} rows in ${files.length} workbooks written in ${(writeMs / 1000).toFixed(2)} s (${Math.round(rows / (writeMs / 1000))} rows/s)`);

  writeFileSync(preload, `process.on('exit', () => { try { require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n`);

  // 2. Start-up.
  const bare = runNode(['-e', '0'], rssFile, preload);
  const help = runNode([join(ROOT, 'bin', 'land-survey.js'), '--help'], rssFile, preload);
  ctx.log(`cli: start-up (--help) ${help.ms.toFixed(0)} ms vs bare node ${bare.ms.toFixed(0)} ms: ratio ${(help.ms / bare.ms).toFixed(2)}`);

  // 3. Consolidate through the CLI vs the same library calls holding every grid.
  const baselineSrc = join(dir, 'baseline.ts');
  const baselineJs = join(dir, 'baseline.js');
  writeFileSync(
    baselineSrc,
    `import { writeFileSync } from 'node:fs';
import { readXlsxFile } from ${JSON.stringify(join(ROOT, 'shared/xlsx/read'))};
import { readWorkbook } from ${JSON.stringify(join(ROOT, 'shared/read'))};
import { consolidate } from ${JSON.stringify(join(ROOT, 'shared/determine'))};
import { defaultRuleSet } from ${JSON.stringify(join(ROOT, 'shared/rules'))};
import { writeSubmission } from ${JSON.stringify(join(ROOT, 'shared/xlsx/submission'))};
(async () => {
  const rs = defaultRuleSet();
  const files = process.argv.slice(3);
  const grids = [];
  for (const f of files) grids.push(await readXlsxFile(f));
  const reads = grids.flatMap((g) => readWorkbook(g, rs));
  const c = consolidate(reads, rs);
  await writeSubmission(c, rs, process.argv[2]);
  writeFileSync(process.argv[2] + '.json', JSON.stringify(c.result, null, 2));
  (globalThis as any).keep = grids;
})();
`,
  );
  await build({ entryPoints: [baselineSrc], outfile: baselineJs, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error' });

  const cli = runNode([join(ROOT, 'bin', 'land-survey.js'), 'consolidate', inputs, '-o', join(dir, 'out-cli.xlsx'), '--json', join(dir, 'out-cli.json')], rssFile, preload);
  const base = runNode([baselineJs, join(dir, 'out-base.xlsx'), ...files], rssFile, preload);
  ctx.log(`cli: consolidate ${rows} rows: CLI ${(cli.ms / 1000).toFixed(2)} s, peak RSS ${cli.maxRssMb.toFixed(0)} MB; library baseline (all grids kept) ${(base.ms / 1000).toFixed(2)} s, ${base.maxRssMb.toFixed(0)} MB`);
  ctx.log(`cli: ratios CLI / baseline: time ${(cli.ms / base.ms).toFixed(2)}, peak memory ${(cli.maxRssMb / base.maxRssMb).toFixed(2)}; throughput ${Math.round(rows / (cli.ms / 1000))} rows/s end to end`);
  rmSync(dir, { recursive: true, force: true });
}
