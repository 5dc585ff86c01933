#!/usr/bin/env node
// Prepares the functions app for deployment to Azure as a self-contained folder (and zip):
//   dist/functions-app/
//     host.json                  (from the repo root)
//     package.json               (main dist/functions/index.js; only the runtime dependencies the
//                                 bundle leaves external: exceljs and the storage SDKs)
//     dist/functions/index.js    (the esbuild bundle; built first)
//     node_modules/              (with --install: `npm install --omit=dev` in that folder)
//   dist/functions-app.zip       (with --zip: for `az functionapp deployment source config-zip`)
// Usage: node functions/deploy/package.mjs [--install] [--zip]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'dist/functions-app');
const args = process.argv.slice(2);
const RUNTIME_DEPS = ['exceljs', '@azure/storage-blob', '@azure/data-tables'];

const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), 'functions', '--quiet'], { stdio: 'inherit' });
if (b.status !== 0) process.exit(b.status ?? 1);

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'dist/functions'), { recursive: true });
cpSync(join(root, 'host.json'), join(out, 'host.json'));
for (const f of ['index.js', 'index.js.map']) cpSync(join(root, 'dist/functions', f), join(out, 'dist/functions', f));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const deps = Object.fromEntries(RUNTIME_DEPS.map((d) => [d, pkg.dependencies[d]]));
writeFileSync(
  join(out, 'package.json'),
  JSON.stringify({ name: `${pkg.name}-functions`, version: pkg.version, private: true, main: 'dist/functions/index.js', engines: pkg.engines, dependencies: deps, overrides: pkg.overrides }, null, 2) + '\n',
);
console.log(`functions app prepared in ${relative(root, out)}`);

if (args.includes('--install')) {
  const r = spawnSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: out, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (args.includes('--zip')) {
  if (!existsSync(join(out, 'node_modules'))) console.warn('warning: no node_modules in the package (run with --install, or use a remote build)');
  const files = {};
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(out, p).split('\\').join('/')] = readFileSync(p);
    }
  };
  walk(out);
  writeFileSync(join(root, 'dist/functions-app.zip'), zipSync(files, { level: 6 }));
  console.log('zip: dist/functions-app.zip');
}
