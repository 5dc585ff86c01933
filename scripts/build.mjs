// Builds the project's runnable outputs with esbuild:
//   dist/cli.js                 the land-survey command (node)
//   dist/cards-worker.js        its second thread for the submission's 一宗一卡 sheet
//   dist/read-worker.js         its helper threads reading the inputs of consolidate
//   dist/functions/index.js     the Azure Functions app (node, Node v4 programming model)
//   dist/addin/                 the Excel add-in (browser): the task pane bundle (it also serves the ribbon: shared runtime) and pages
// Usage: node scripts/build.mjs [cli|functions|addin ...] [--quiet] [--if-possible]
// The add-in's service address and sign-in are fixed at build time from the environment (never typed
// by users): LAND_SURVEY_ADDIN_API_URL ('' = the pane's origin, /api forwarded by addin/tools/serve.ts),
// LAND_SURVEY_ADDIN_CLIENT_ID, LAND_SURVEY_ADDIN_TENANT_ID, LAND_SURVEY_ADDIN_SCOPE (Entra ID), and
// only for development LAND_SURVEY_ADDIN_SIGN_IN=dev-keys|dev-issuer (+ LAND_SURVEY_ADDIN_DEV_ISSUER_URL);
// LAND_SURVEY_ADDIN_OUTDIR builds elsewhere than dist/addin.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const ifPossible = args.includes('--if-possible');
const wanted = args.filter((a) => !a.startsWith('--'));
const all = wanted.length === 0;

const ADDIN_SETTINGS = ['LAND_SURVEY_ADDIN_API_URL', 'LAND_SURVEY_ADDIN_SIGN_IN', 'LAND_SURVEY_ADDIN_CLIENT_ID', 'LAND_SURVEY_ADDIN_TENANT_ID', 'LAND_SURVEY_ADDIN_SCOPE', 'LAND_SURVEY_ADDIN_DEV_ISSUER_URL'];

const targets = {
  cli: () =>
    build({
      entryPoints: [join(root, 'cli/main.ts')],
      outfile: join(root, 'dist/cli.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      // resvg (the brief's chart) is a native addon: loaded from node_modules, not bundled. exceljs
      // (templates, the marked copy's fallback) and docx (briefs, reports) are loaded from
      // node_modules when a command needs them: bundled, every command parsed their 3 MB at start-up
      external: ['@resvg/resvg-js', 'exceljs', 'docx'],
      logLevel: quiet ? 'error' : 'info',
    }).then(() =>
      // helper threads beside dist/cli.js: the submission's cards, the reading of many inputs
      build({
        entryPoints: { 'cards-worker': join(root, 'shared/xlsx/cards-worker.ts'), 'read-worker': join(root, 'cli/read-worker.ts') },
        outdir: join(root, 'dist'),
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        sourcemap: true,
        external: ['exceljs'],
        logLevel: quiet ? 'error' : 'info',
      }),
    ),
  functions: () =>
    build({
      entryPoints: [join(root, 'functions/index.ts')],
      outfile: join(root, 'dist/functions/index.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      // The host provides @azure/functions-core; exceljs stays a lazy require off the JSON cold path.
      // The storage SDKs are loaded from node_modules on first use: bundled, their ESM builds call
      // createRequire(import.meta.url), which is undefined in a CJS bundle (Blob calls fail).
      external: ['@azure/functions-core', 'exceljs', '@azure/storage-blob', '@azure/data-tables', '@resvg/resvg-js'],
      logLevel: quiet ? 'error' : 'info',
    }),
  addin: async () => {
    const out = process.env.LAND_SURVEY_ADDIN_OUTDIR ? join(root, process.env.LAND_SURVEY_ADDIN_OUTDIR) : join(root, 'dist/addin');
    const cfg = Object.fromEntries(ADDIN_SETTINGS.map((k) => [`process.env.${k}`, JSON.stringify(process.env[k] ?? '')]));
    const mode = process.env.LAND_SURVEY_ADDIN_SIGN_IN || 'entra';
    if (!['entra', 'dev-keys', 'dev-issuer'].includes(mode)) throw new Error(`LAND_SURVEY_ADDIN_SIGN_IN must be entra, dev-keys or dev-issuer, not "${mode}"`);
    if (!quiet && mode !== 'entra') console.log(`add-in: DEVELOPMENT sign-in (${mode}) — not for production`);
    if (!quiet && mode === 'entra' && !process.env.LAND_SURVEY_ADDIN_CLIENT_ID) console.log('add-in: LAND_SURVEY_ADDIN_CLIENT_ID/TENANT_ID not set — the pane will say sign-in is not configured');
    mkdirSync(out, { recursive: true });
    await build({
      entryPoints: { taskpane: join(root, 'addin/taskpane/index.tsx'), 'analysis-worker': join(root, 'addin/analysis/worker.ts') },
      outdir: out,
      bundle: true,
      platform: 'browser',
      target: 'es2020',
      format: 'iife',
      sourcemap: true,
      minify: true,
      define: { 'process.env.NODE_ENV': '"production"', ...cfg },
      logLevel: quiet ? 'error' : 'info',
    });
    for (const f of ['taskpane.html', 'auth.html', 'support.html', 'assets']) {
      const src = join(root, 'addin/static', f);
      if (existsSync(src)) cpSync(src, join(out, f), { recursive: true });
    }
  },
};

let failed = false;
for (const [name, run] of Object.entries(targets)) {
  if (!all && !wanted.includes(name)) continue;
  try {
    await run();
  } catch (e) {
    failed = true;
    if (!ifPossible) console.error(`build ${name} failed: ${e.message}`);
  }
}
if (failed && !ifPossible) process.exit(1);
