/**
 * Entry of the LOCAL STAND-IN host (bundled to dist/local-host.js by `npm start` when Azure
 * Functions Core Tools are absent): captures the registrations of the built functions app and
 * serves them on 127.0.0.1. Usage: node dist/local-host.js --app dist/functions/index.js [--port 7071]
 * [--cors https://localhost:3000,…] (`npm start` passes `Host.CORS` of local.settings.json, as `func start` uses it)
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { installCoreCapture, registrations } from './core-capture';
import { startLocalHost } from './host';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}

async function main() {
  const appPath = resolve(arg('--app', 'dist/functions/index.js'));
  const port = Number(arg('--port', '7071'));
  const corsOrigins = arg('--cors', '').split(',').map((o) => o.trim()).filter(Boolean);
  installCoreCapture();
  const t0 = process.hrtime.bigint();
  createRequire(__filename)(appPath);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const host = await startLocalHost({ registrations, port, corsOrigins, log: (l) => console.log(l) });
  console.log('');
  console.log('*** 本地替代主机（不是 Azure Functions 主机）/ LOCAL STAND-IN, NOT the Azure Functions host ***');
  console.log('    Azure Functions Core Tools (func) not found: serving the same registered handlers with node:http.');
  console.log('    Function keys (x-functions-key) are not checked locally, as with `func start`.');
  console.log(`    app ${appPath} loaded in ${loadMs.toFixed(0)} ms`);
  console.log(`    CORS (Host.CORS): ${corsOrigins.length ? corsOrigins.join(', ') : 'none — browsers on other origins are refused'}`);
  for (const r of registrations) console.log(`    ${r.methods.join(',').padEnd(6)} ${host.url}/api/${r.route}  (${r.name}, auth ${r.authLevel})`);
  console.log('');
  const stop = async () => {
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`本地替代主机启动失败 / local stand-in failed to start: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
