#!/usr/bin/env node
// Starts Azurite (blob + table) for local runs, tests and the bench: in memory, loopback only,
// telemetry off, on free ports. Used by `npm start` (import) and by tests (child process).
//
//   node scripts/azurite.mjs                 runs until Ctrl-C / SIGTERM; prints one JSON line
//                                            {"connectionString", "blobPort", "tablePort"} when ready
//   node scripts/azurite.mjs --watch-stdin   also stops when its stdin closes (parent gone)
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ACCOUNT = 'devstoreaccount1';
// Azurite's fixed, publicly documented development account key (not a secret).
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function answers(port) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

export function connectionString(blobPort, tablePort) {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};` +
    `BlobEndpoint=http://127.0.0.1:${blobPort}/${ACCOUNT};TableEndpoint=http://127.0.0.1:${tablePort}/${ACCOUNT};`
  );
}

function azuriteEnv() {
  const env = { ...process.env };
  delete env.AZURITE_DB; // a SQL metadata store cannot be in-memory
  return env;
}

/** Starts Azurite; resolves when both ports answer. */
export async function startAzurite({ timeoutMs = 30000 } = {}) {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('azurite/package.json', { paths: [root] })), 'dist/src/azurite.js');
  const [blobPort, tablePort, queuePort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [
      cli, '--inMemoryPersistence', '--disableTelemetry', '--skipApiVersionCheck', '--silent', '--loose',
      '--blobHost', '127.0.0.1', '--blobPort', String(blobPort),
      '--tableHost', '127.0.0.1', '--tablePort', String(tablePort),
      '--queueHost', '127.0.0.1', '--queuePort', String(queuePort),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: root, env: azuriteEnv() },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = () =>
    new Promise((resolve) => {
      if (exited) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => !exited && child.kill('SIGKILL'), 3000).unref();
    });
  const t0 = Date.now();
  while (!((await answers(blobPort)) && (await answers(tablePort)))) {
    if (exited) throw new Error(`Azurite exited before it was ready: ${stderr}`);
    if (Date.now() - t0 > timeoutMs) {
      await stop();
      throw new Error(`Azurite did not answer within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { connectionString: connectionString(blobPort, tablePort), blobPort, tablePort, pid: child.pid, stop };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const a = await startAzurite();
  process.stdout.write(JSON.stringify({ connectionString: a.connectionString, blobPort: a.blobPort, tablePort: a.tablePort }) + '\n');
  const bye = async () => {
    await a.stop();
    process.exit(0);
  };
  process.on('SIGINT', bye);
  process.on('SIGTERM', bye);
  if (process.argv.includes('--watch-stdin')) {
    process.stdin.on('end', bye);
    process.stdin.on('close', bye);
    process.stdin.resume();
  }
}
