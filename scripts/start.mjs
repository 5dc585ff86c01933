#!/usr/bin/env node
// `npm start`: serves the functions app on localhost.
// - With Azure Functions Core Tools (`func`) installed and working: builds the app and runs `func start`.
// - Otherwise: a clearly labelled LOCAL STAND-IN (functions/local/) that serves the same registered
//   handlers with node:http on 127.0.0.1. It is not the Functions host.
// Settings come from the environment, else ./local.settings.json (Values), else the example
// functions/local.settings.example.json (local development key mode, LAND_SURVEY_AUTH=dev-keys; CORS for the
// add-in served on https://localhost:3000). When no storage connection is set,
// an in-memory Azurite is started and stopped with it.
// Options: --port <n> (default 7071), --stand-in (skip func even when installed).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startAzurite } from './azurite.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const port = args.includes('--port') ? args[args.indexOf('--port') + 1] : '7071';

let cors = '';

function loadSettings() {
  for (const f of ['local.settings.json', 'functions/local.settings.example.json']) {
    const p = join(root, f);
    if (!existsSync(p)) continue;
    const doc = JSON.parse(readFileSync(p, 'utf8'));
    const values = doc.Values ?? {};
    cors = typeof doc.Host?.CORS === 'string' ? doc.Host.CORS : '';
    for (const [k, v] of Object.entries(values)) if (process.env[k] === undefined && typeof v === 'string') process.env[k] = v;
    console.log(`settings: ${f}${f.includes('example') ? ' (example development keys — copy it to local.settings.json and set your own)' : ''}`);
    return;
  }
}

function workingFunc() {
  if (args.includes('--stand-in')) return null;
  for (const cmd of [join(root, 'node_modules/.bin/func'), 'func']) {
    const r = spawnSync(cmd, ['--version'], { encoding: 'utf8', timeout: 20000 });
    if (r.status === 0 && /^\d+\./.test(r.stdout.trim())) return cmd;
  }
  return null;
}

const run = (cmd, argv, env) =>
  new Promise((resolve) => {
    const child = spawn(cmd, argv, { stdio: 'inherit', cwd: root, env });
    const fwd = (sig) => child.kill(sig);
    process.on('SIGINT', fwd);
    process.on('SIGTERM', fwd);
    child.on('exit', (code) => resolve(code ?? 0));
  });

loadSettings();
const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), 'functions', '--quiet'], { stdio: 'inherit' });
if (b.status !== 0) process.exit(b.status ?? 1);

let azurite = null;
const storage = process.env.LAND_SURVEY_STORAGE || process.env.AzureWebJobsStorage;
if (!storage || storage === 'UseDevelopmentStorage=true') {
  azurite = await startAzurite();
  process.env.LAND_SURVEY_STORAGE = azurite.connectionString;
  process.env.AzureWebJobsStorage = azurite.connectionString;
  console.log(`storage: Azurite in memory (blob ${azurite.blobPort}, table ${azurite.tablePort}); data is lost when it stops`);
}

let code;
const func = workingFunc();
if (func) {
  console.log(`Azure Functions Core Tools found: ${func} start --port ${port}`);
  code = await run(func, ['start', '--port', port, ...(cors ? ['--cors', cors] : [])], process.env);
} else {
  await build({
    entryPoints: [join(root, 'functions/local/main.ts')],
    outfile: join(root, 'dist/local-host.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@azure/functions-core'],
    logLevel: 'error',
  });
  code = await run(process.execPath, [join(root, 'dist/local-host.js'), '--app', join(root, 'dist/functions/index.js'), '--port', port, '--cors', cors], process.env);
}
if (azurite) await azurite.stop();
process.exit(code);
