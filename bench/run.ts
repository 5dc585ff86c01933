/**
 * `npm run bench`: runs every `bench/sections/*.ts` in name order. Each section exports
 * `default async function (ctx: { log, tmpDir })` and prints its figures and its ratios against a
 * baseline measured in the same run. One section failing is reported and the others still run.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { arch, cpus, freemem, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

type Section = (ctx: { log(line: string): void; tmpDir: string }) => Promise<void>;

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const dir = join(__dirname, 'sections');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
  const cpu = cpus();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log('land-efficiency-survey benchmark');
  log(`date: ${new Date().toISOString()}`);
  log(`node ${process.version} (${process.versions.v8} V8) on ${platform()} ${release()} ${arch()}`);
  log(`cpu: ${cpu.length} × ${cpu[0]?.model ?? 'unknown'}; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free)`);
  log(`gc exposed: ${typeof (globalThis as { gc?: unknown }).gc === 'function'}; sections: ${files.join(', ') || '(none)'}`);
  let failed = 0;
  for (const f of files) {
    const tmp = mkdtempSync(join(tmpdir(), `bench-${f.replace(/\.ts$/, '')}-`));
    log('');
    log(`== ${f} ==`);
    const t0 = performance.now();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(dir, f)) as { default?: Section };
      if (typeof mod.default !== 'function') throw new Error('no default export');
      await mod.default({ log: (l) => log(`  ${l}`), tmpDir: tmp });
      log(`  (section took ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      log(`  SECTION FAILED: ${(e as Error)?.stack ?? e}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  log('');
  log(failed ? `${failed} section(s) failed` : 'all sections done');
  process.exitCode = failed ? 1 : 0;
}

main();
