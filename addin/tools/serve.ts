/**
 * Development server of the add-in: serves dist/addin (https://localhost:3000 by default, as the
 * manifest says) and forwards /api/* to the functions host (http://127.0.0.1:7071), so the task
 * pane talks to the service on its own origin: no CORS and no mixed content while developing.
 *
 *   npx tsx addin/tools/serve.ts [--port 3000] [--api http://127.0.0.1:7071] [--cert file --key file] [--http]
 *
 * The certificate defaults to the Office dev certificate (~/.office-addin-dev-certs/localhost.crt
 * and localhost.key), see docs/addin.md. Also used by the browser test (plain http, port 0).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';

export interface AddinServerOptions {
  /** Folder served (dist/addin). */
  dir: string;
  port?: number;
  host?: string;
  /** Where /api/* goes (the functions host); no forwarding when absent. */
  apiTarget?: string;
  tls?: { cert: Buffer; key: Buffer };
  /** Extra pages served as given (the browser test's page and fake Office). */
  extra?: Record<string, { type: string; body: string | Buffer }>;
}

export interface AddinServer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

function forward(req: http.IncomingMessage, res: http.ServerResponse, target: URL): void {
  const lib = target.protocol === 'https:' ? https : http;
  const headers = { ...req.headers, host: target.host };
  const up = lib.request({ protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: 'bad-gateway', message: `无法连接函数服务 ${target.origin}，请先运行 npm start`, messageEn: `cannot reach ${target.origin}` }));
  });
  req.pipe(up);
}

export function startAddinServer(opts: AddinServerOptions): Promise<AddinServer> {
  const root = resolve(opts.dir);
  const target = opts.apiTarget ? new URL(opts.apiTarget) : null;
  const handler: http.RequestListener = (req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if (target && (path === '/api' || path.startsWith('/api/'))) return forward(req, res, target);
    const extra = opts.extra?.[path];
    if (extra) {
      res.writeHead(200, { 'content-type': extra.type, 'cache-control': 'no-store' });
      return res.end(extra.body);
    }
    const file = normalize(join(root, path === '/' ? 'taskpane.html' : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  };
  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : http.createServer(handler);
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const host = opts.host === undefined || opts.host === '127.0.0.1' ? (opts.tls ? 'localhost' : '127.0.0.1') : opts.host;
      ok({
        url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const dir = resolve(__dirname, '../../dist/addin');
  if (!existsSync(join(dir, 'taskpane.js'))) {
    console.error('dist/addin 不存在，请先运行 npm run build / dist/addin is missing: run npm run build first');
    process.exit(2);
  }
  let tls: AddinServerOptions['tls'];
  if (!process.argv.includes('--http')) {
    const certDir = join(homedir(), '.office-addin-dev-certs');
    const cert = arg('--cert') ?? join(certDir, 'localhost.crt');
    const key = arg('--key') ?? join(certDir, 'localhost.key');
    if (!existsSync(cert) || !existsSync(key)) {
      console.error(`找不到开发证书 ${cert} / ${key}（见 docs/addin.md）/ dev certificate not found: see docs/addin.md`);
      process.exit(2);
    }
    tls = { cert: readFileSync(cert), key: readFileSync(key) };
  }
  const s = await startAddinServer({ dir, port: Number(arg('--port') ?? 3000), host: 'localhost', apiTarget: arg('--api') ?? 'http://127.0.0.1:7071', tls });
  console.log(`add-in served at ${s.url}/taskpane.html; /api → ${arg('--api') ?? 'http://127.0.0.1:7071'}`);
}

if (require.main === module) void main();
