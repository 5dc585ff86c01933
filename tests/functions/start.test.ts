/**
 * `npm start` (scripts/start.mjs) without Azure Functions Core Tools: builds the app, starts an
 * in-memory Azurite and the labelled local stand-in serving the BUILT dist/functions/index.js,
 * which must work with Blob and Table storage; stopping it stops Azurite too.
 */
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { configureKeys, keyHeader, writeSample, XLSX } from './helpers';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

test('npm start serves the built app on localhost with Azurite, clearly labelled as a stand-in', async () => {
  configureKeys();
  const [port, sample] = await Promise.all([freePort(), writeSample()]);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.LAND_SURVEY_STORAGE;
  delete env.AzureWebJobsStorage;
  const child = spawn(process.execPath, [join(__dirname, '../../scripts/start.mjs'), '--stand-in', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (out.includes('/api/health')) {
          clearInterval(timer);
          resolve();
        }
        if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`start.mjs exited: ${out}`));
        }
      }, 100);
    });
    expect(out).toContain('LOCAL STAND-IN, NOT the Azure Functions host');
    expect(out).toContain('Azurite in memory');
    const url = `http://127.0.0.1:${port}/api`;
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const put = await fetch(`${url}/reference/base`, { method: 'PUT', headers: { ...keyHeader('office'), 'content-type': XLSX }, body: new Uint8Array(sample.bytes('base')) });
    expect(put.status).toBe(201);
    const sub = await fetch(`${url}/submissions`, { method: 'POST', headers: { ...keyHeader('industry'), 'content-type': XLSX }, body: new Uint8Array(sample.bytes('industrial')) });
    expect(sub.status).toBe(201);
    const list = (await (await fetch(`${url}/submissions`, { headers: keyHeader('office') })).json()) as { submissions: unknown[] };
    expect(list.submissions).toHaveLength(1);
    const tpl = await fetch(`${url}/templates/tax`, { headers: keyHeader('industry') });
    expect(tpl.status).toBe(200);
    expect(tpl.headers.get('content-type')).toBe(XLSX);
  } finally {
    child.kill('SIGTERM');
    // the output is part of the comparison so that a failed shutdown says why
    expect({ code: await exited, out }).toEqual({ code: 0, out });
  }
  // the port is free again: the stand-in is gone
  await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
}, 90_000);

test('importing the built app registers every function without loading exceljs (JSON endpoints stay light)', () => {
  const build = spawnSync(process.execPath, [join(__dirname, '../../scripts/build.mjs'), 'functions', '--quiet'], { encoding: 'utf8' });
  expect(build.status).toBe(0);
  const app = join(__dirname, '../../dist/functions/index.js');
  const probe = `
    const Module = require('module'); const orig = Module._load; const names = []; const d = { dispose() {} };
    Module._load = function (r, ...a) {
      if (r === '@azure/functions-core') return { registerFunction(m) { names.push(m.name); return d; }, setProgrammingModel() {}, registerHook() { return d; }, log() {} };
      return orig.call(this, r, ...a);
    };
    require(${JSON.stringify(app)});
    console.log(JSON.stringify({ names, exceljs: Object.keys(require.cache).some((k) => k.includes('exceljs')) }));`;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.names.sort()).toEqual(['consolidate', 'determine', 'health', 'listReference', 'listSubmissions', 'pilotBrief', 'pilotCompare', 'pilotLedger', 'pilotMilestones', 'pilotPlan', 'pilotProjects', 'pilotReport', 'pilotSubmitMilestones', 'pilotSubmitProjects', 'putReference', 'submit', 'templates', 'validate']);
  expect(out.exceljs).toBe(false);
});
