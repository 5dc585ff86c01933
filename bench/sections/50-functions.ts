/**
 * The cloud functions (functions/), measured against the engine doing the same work in the same run:
 * 1. Cold start: `require('dist/functions/index.js')` (every function registered) in a fresh child
 *    process, median of several runs — against requiring a bundle of just the engine modules the
 *    functions use (reader, determination, xlsx reader, rule set) the same way. Target ≤ 300 ms.
 *    Also checks that exceljs is not loaded on import.
 * 2. `POST /api/determine` with 10,000 industrial rows (a SheetGrid as the add-in sends it) on the
 *    local stand-in host (child process, built app) with Azurite, reference data of the sample set
 *    (~17,000 parcels) uploaded first: median over sequential calls after warm-up — against the
 *    engine's own readForm + consolidate on the same rows and reference data in this process.
 *    Target ≤ 300 ms median.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { consolidate } from '../../shared/determine';
import { getForm, type FormId } from '../../shared/forms';
import type { CellValue } from '../../shared/grid';
import { readForm, readWorkbook } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import { generateSample, writeSampleWorkbooks } from '../../shared/sample';
import type { FormRead } from '../../shared/types';
import { readXlsx } from '../../shared/xlsx/read';

const ROOT = join(__dirname, '..', '..');
const ROWS = 10_000;
const COLD_RUNS = 7;
const CALLS = 15;
const REFERENCE: FormId[] = ['base', 'tax', 'taxBenchmark', 'output', 'outputBenchmark', 'environment'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f1 = (x: number) => x.toFixed(1);

/** Child harness: stub @azure/functions-core, time require(target), report whether exceljs got loaded. */
const HARNESS = `
const Module = require('module'); const orig = Module._load; const d = { dispose() {} };
Module._load = function (r, ...a) {
  if (r === '@azure/functions-core') return { registerFunction() { return d; }, setProgrammingModel() {}, registerHook() { return d; }, log() {} };
  return orig.call(this, r, ...a);
};
const t = process.hrtime.bigint(); const m = require(process.argv[2]); if (typeof m.touch === 'function') m.touch();
const ms = Number(process.hrtime.bigint() - t) / 1e6;
process.stdout.write(JSON.stringify({ ms, exceljs: Object.keys(require.cache).some((k) => k.includes('exceljs')) }));
`;

function coldRuns(harness: string, target: string): { ms: number[]; exceljs: boolean } {
  const ms: number[] = [];
  let exceljs = false;
  for (let i = 0; i < COLD_RUNS; i++) {
    const r = spawnSync(process.execPath, [harness, target], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cold-start child failed: ${r.stderr.slice(0, 400)}`);
    const out = JSON.parse(r.stdout);
    ms.push(out.ms);
    exceljs ||= out.exceljs;
  }
  return { ms, exceljs };
}

function wireValue(v: unknown): CellValue {
  if (typeof v === 'boolean') return v ? '是' : '否';
  return v as CellValue;
}

export default async function (ctx: { log(line: string): void; tmpDir: string }): Promise<void> {
  const dir = join(ctx.tmpDir, 'functions');
  mkdirSync(dir, { recursive: true });
  const app = join(ROOT, 'dist/functions/index.js');
  if (!existsSync(app)) spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), 'functions', '--quiet'], { cwd: ROOT, stdio: 'inherit' });

  // 1. Cold start.
  const harness = join(dir, 'cold-harness.js');
  writeFileSync(harness, HARNESS);
  const engineEntry = join(dir, 'engine-entry.ts');
  writeFileSync(
    engineEntry,
    [
      `import { readWorkbook } from ${JSON.stringify(join(ROOT, 'shared/read'))};`,
      `import { consolidate, crossCheck } from ${JSON.stringify(join(ROOT, 'shared/determine'))};`,
      `import { readXlsx } from ${JSON.stringify(join(ROOT, 'shared/xlsx/read'))};`,
      `import { defaultRuleSet } from ${JSON.stringify(join(ROOT, 'shared/rules'))};`,
      `export function touch() { return [readWorkbook, consolidate, crossCheck, readXlsx, defaultRuleSet()]; }`,
    ].join('\n'),
  );
  const engineBundle = join(dir, 'engine.js');
  await build({ entryPoints: [engineEntry], outfile: engineBundle, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error', external: ['exceljs'] });
  const appCold = coldRuns(harness, app);
  const engineCold = coldRuns(harness, engineBundle);
  const appMs = median(appCold.ms);
  const engMs = median(engineCold.ms);
  ctx.log(`functions: cold start, require(dist/functions/index.js), median of ${COLD_RUNS} fresh processes: ${f1(appMs)} ms (target ≤ 300) — engine modules alone: ${f1(engMs)} ms; ratio ${f1(appMs / engMs)}×; exceljs loaded on import: ${appCold.exceljs ? 'YES' : 'no'}`);

  // 2. Data: the sample set at a scale that gives ≥ 10,000 industrial rows; only reference workbooks are written.
  let t = performance.now();
  let scale = 56;
  let data = generateSample({ scale });
  while (data.forms.industrial.length < ROWS) data = generateSample({ scale: (scale += 4) });
  const refOnly = { ...data, workbooks: data.workbooks.filter((w) => w.sheets.some((s) => REFERENCE.includes(s.form) && s.rows.length > 0)) };
  const written = await writeSampleWorkbooks(join(dir, 'reference'), { data: refOnly });
  const fileOf = (form: FormId) => written.files[refOnly.workbooks.findIndex((w) => w.sheets.some((s) => s.form === form && s.rows.length > 0))];
  ctx.log(`functions: data: sample scale ${scale}, ${data.forms.base.length} parcels, ${ROWS} of ${data.forms.industrial.length} industrial rows sent (${f1(performance.now() - t)} ms to generate and write)`);

  const form = getForm('industrial');
  const rows: CellValue[][] = [['河东区低效工业用地调查表'], form.fields.map((f) => f.title)];
  for (const r of data.forms.industrial.slice(0, ROWS)) rows.push(form.fields.map((f) => wireValue(r[f.key])));
  const sheet = { name: '低效工业调查表', rows, form: 'industrial' };
  const body = JSON.stringify(sheet);

  // Engine baseline in this process: the same reference data read once, then readForm + consolidate per call.
  const rs = defaultRuleSet();
  const refs: FormRead[] = [];
  for (const f of REFERENCE) {
    const file = fileOf(f);
    const read = readWorkbook(await readXlsx(new Uint8Array(readFileSync(file)), file), rs).find((x) => x.form === f);
    if (read) refs.push(read);
  }
  const engineTimes: number[] = [];
  for (let i = 0; i < CALLS + 2; i++) {
    const s = JSON.parse(body);
    t = performance.now();
    const read = readForm(s, 'industrial', { file: 'bench', ruleSet: rs });
    consolidate([...refs, read], rs);
    if (i >= 2) engineTimes.push(performance.now() - t);
  }

  // The local stand-in host (built app) with Azurite.
  const hostBundle = join(dir, 'local-host.js');
  await build({ entryPoints: [join(ROOT, 'functions/local/main.ts')], outfile: hostBundle, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error', external: ['@azure/functions-core'] });
  const { startAzurite } = (await import(join(ROOT, 'scripts/azurite.mjs'))) as {
    startAzurite(): Promise<{ connectionString: string; stop(): Promise<void> }>;
  };
  const azurite = await startAzurite();
  const officeKey = 'bench-office-key';
  const deptKey = 'bench-dept-key';
  const hash = (k: string) => createHash('sha256').update(k).digest('hex');
  const port = 17000 + Math.floor(Math.random() * 2000);
  let host: ChildProcess | undefined;
  try {
    host = spawn(process.execPath, [hostBundle, '--app', app, '--port', String(port)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LAND_SURVEY_STORAGE: azurite.connectionString,
        LAND_SURVEY_STORAGE_PREFIX: 'bench',
        LAND_SURVEY_AUTH: 'dev-keys', // the development key mode: the bench measures the engine and the HTTP path, not token checks
        LAND_SURVEY_KEYS: JSON.stringify({
          office: { name: '规划资源分局', role: 'office', keyHash: hash(officeKey) },
          industry: { name: '区产业发展促进局', role: 'department', keyHash: hash(deptKey) },
        }),
      },
    });
    let hostLog = '';
    host.stderr!.on('data', (d) => (hostLog = (hostLog + d).slice(-4000)));
    await new Promise<void>((resolve, reject) => {
      host!.stdout!.on('data', (d) => {
        hostLog = (hostLog + d).slice(-4000);
        if (hostLog.includes('STAND-IN')) resolve();
      });
      host!.once('exit', (code) => reject(new Error(`local host exited (${code})`)));
      setTimeout(() => reject(new Error('local host did not start within 30 s')), 30_000).unref();
    });
    const url = `http://127.0.0.1:${port}/api`;
    for (const f of REFERENCE) {
      const res = await fetch(`${url}/reference/${f}`, { method: 'PUT', headers: { 'x-land-survey-key': officeKey, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, body: new Uint8Array(readFileSync(fileOf(f))) });
      if (res.status !== 201) throw new Error(`upload ${f}: ${res.status} ${await res.text()}\n${hostLog}`);
    }
    const phases: Record<string, number[]> = {};
    let answerBytes = 0;
    const call = async (record: boolean) => {
      const t0 = performance.now();
      const res = await fetch(`${url}/determine`, { method: 'POST', headers: { 'x-land-survey-key': deptKey, 'content-type': 'application/json' }, body });
      const text = await res.text();
      const ms = performance.now() - t0;
      const json = JSON.parse(text) as { rows?: unknown[] };
      if (res.status !== 200 || json.rows?.length !== ROWS) throw new Error(`determine: ${res.status} ${text.slice(0, 300)}`);
      answerBytes = text.length;
      if (record) {
        // Server-Timing: json, schema, read, reference, determine, answer (ms inside the handler)
        for (const m of (res.headers.get('server-timing') ?? '').matchAll(/(\w+);dur=([\d.]+)/g)) (phases[m[1]] ??= []).push(Number(m[2]));
      }
      return ms;
    };
    const first = await call(false); // reads the stored reference workbooks into the cache
    await call(false);
    const httpTimes: number[] = [];
    for (let i = 0; i < CALLS; i++) httpTimes.push(await call(true));
    const h = median(httpTimes);
    const e = median(engineTimes);
    const inServer = Object.entries(phases).map(([k, v]) => `${k} ${f1(median(v))}`).join(', ');
    const serverEngine = median((phases.read ?? []).map((r, i) => r + (phases.determine?.[i] ?? 0)));
    ctx.log(`functions: POST /api/determine, ${ROWS} rows (${f1(body.length / 1048576)} MB JSON in, ${f1(answerBytes / 1048576)} MB out), median of ${CALLS} over HTTP: ${f1(h)} ms (target ≤ 300; first call, loading the stored reference data: ${f1(first)} ms)`);
    ctx.log(`functions:   engine readForm+consolidate on the same rows and reference data in this process: ${f1(e)} ms → HTTP/ratio ${f1(h / e)}×, overhead ${f1(h - e)} ms`);
    ctx.log(`functions:   inside the handler (Server-Timing medians, ms): ${inServer}; engine part there ${f1(serverEngine)} ms`);
  } finally {
    host?.kill('SIGTERM');
    await azurite.stop();
  }
}
