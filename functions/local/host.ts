/**
 * LOCAL STAND-IN for the Azure Functions host (used by `npm start` when Azure Functions Core
 * Tools are not installed, and by the end-to-end tests). It serves the handlers the app
 * registered (captured through `core-capture.ts`) with `node:http` on 127.0.0.1, turning each
 * request into a real `HttpRequest` of `@azure/functions`. It applies the `api/` route prefix,
 * route parameters, methods and a host-level body limit like the host does; it does NOT check
 * function keys (neither does `func start` locally). CORS like the host's `Host.CORS` setting of
 * local.settings.json (and the platform CORS of a function app): the listed origins get
 * `Access-Control-Allow-Origin`, and their preflight (OPTIONS) is answered by the host.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registration } from './core-capture';

export interface LocalHostOptions {
  registrations: readonly Registration[];
  port?: number;
  /** Host-level body limit (the Functions host has its own, 100 MB by default). */
  maxBodyBytes?: number;
  routePrefix?: string;
  log?: (line: string) => void;
  /** Origins allowed to call from a browser (`*` = any), e.g. the add-in's `https://localhost:3000`. */
  corsOrigins?: readonly string[];
}

/** Response headers a browser may read besides the safelisted ones. */
const EXPOSED_HEADERS = 'content-disposition, server-timing, www-authenticate';

/** The CORS headers for a request from `origin`, or null when that origin is not allowed. */
export function corsHeaders(origins: readonly string[], origin: string | undefined): Record<string, string> | null {
  if (!origin) return null;
  const o = origin.replace(/\/+$/, '').toLowerCase();
  if (!origins.some((a) => a === '*' || a.replace(/\/+$/, '').toLowerCase() === o)) return null;
  return { 'access-control-allow-origin': origins.includes('*') ? '*' : origin, 'access-control-expose-headers': EXPOSED_HEADERS, vary: 'Origin' };
}

export interface LocalHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Route {
  reg: Registration;
  segments: { literal?: string; param?: string; optional?: boolean; catchAll?: boolean }[];
}

function compile(reg: Registration, prefix: string): Route {
  const parts = [...prefix.split('/'), ...reg.route.split('/')].filter(Boolean);
  return {
    reg,
    segments: parts.map((p) => {
      const m = /^\{(\*)?([A-Za-z0-9_]+)(?::[^}?]*)?(\?)?\}$/.exec(p);
      return m ? { param: m[2], catchAll: !!m[1], optional: !!m[3] } : { literal: p.toLowerCase() };
    }),
  };
}

class RouteError extends Error {}

function match(route: Route, raw: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const s = route.segments[i];
    const v = raw[i];
    if (s.catchAll) {
      params[s.param!] = raw.slice(i).map(dec).join('/');
      return params;
    }
    if (v === undefined) {
      if (s.optional) continue;
      return null;
    }
    if (s.literal !== undefined) {
      if (dec(v).toLowerCase() !== s.literal) return null;
    } else params[s.param!] = dec(v);
  }
  return raw.length <= route.segments.length ? params : null;
}

function dec(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new RouteError(s);
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, close = false, extra: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...extra, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...(close ? { connection: 'close' } : {}) });
  res.end(text);
}

const hostError = (code: string, message: string, messageEn: string) => ({ error: code, message, messageEn });

async function toBytes(body: unknown): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (typeof (body as Blob).arrayBuffer === 'function') return Buffer.from(await (body as Blob).arrayBuffer());
  return Buffer.from(String(body), 'utf8');
}

/** Writes a handler's result (HttpResponseInit or HttpResponse) to the node response. */
async function writeResult(res: http.ServerResponse, result: unknown, extra: Record<string, string>): Promise<void> {
  const r = (result ?? {}) as { status?: number; headers?: unknown; jsonBody?: unknown; body?: unknown; arrayBuffer?: () => Promise<ArrayBuffer> };
  const headers: Record<string, string> = { ...extra };
  if (r.headers) {
    const entries =
      typeof (r.headers as Headers).entries === 'function'
        ? [...(r.headers as Headers).entries()]
        : Object.entries(r.headers as Record<string, string>);
    for (const [k, v] of entries) headers[k.toLowerCase()] = String(v);
  }
  if (r.jsonBody !== undefined && typeof r.arrayBuffer !== 'function') {
    const text = JSON.stringify(r.jsonBody);
    headers['content-type'] ??= 'application/json; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(text, 'utf8'));
    res.writeHead(r.status ?? 200, headers);
    res.end(text, 'utf8');
    return;
  }
  const bytes = typeof r.arrayBuffer === 'function' ? Buffer.from(await r.arrayBuffer()) : await toBytes(r.body);
  if (bytes) headers['content-length'] = String(bytes.byteLength);
  res.writeHead(r.status ?? 200, headers);
  res.end(bytes);
}

export function startLocalHost(opts: LocalHostOptions): Promise<LocalHost> {
  const prefix = opts.routePrefix ?? 'api';
  const routes = opts.registrations.map((r) => compile(r, prefix));
  const maxBody = opts.maxBodyBytes ?? 100 * 1024 * 1024;
  const log = opts.log ?? (() => {});
  const corsOrigins = opts.corsOrigins ?? [];

  const server = http.createServer((req, res) => {
    const t0 = process.hrtime.bigint();
    const rawUrl = req.url ?? '/';
    const path = rawUrl.split('?')[0];
    const method = (req.method ?? 'GET').toUpperCase();
    const cors = corsHeaders(corsOrigins, req.headers.origin);
    let found: { route: Route; params: Record<string, string> } | undefined;
    const pathMethods = new Set<string>();
    try {
      const raw = path.split('/').filter(Boolean);
      for (const route of routes) {
        const params = match(route, raw);
        if (!params) continue;
        for (const m of route.reg.methods) pathMethods.add(m);
        if (!found && route.reg.methods.includes(method)) found = { route, params };
      }
    } catch (e) {
      if (!(e instanceof RouteError)) throw e;
      req.resume();
      return sendJson(res, 400, hostError('bad-path', '请求路径无效', 'malformed request path'), false, cors ?? {});
    }
    const wanted = req.headers['access-control-request-method'];
    if (method === 'OPTIONS' && req.headers.origin && typeof wanted === 'string' && !pathMethods.has('OPTIONS')) {
      // a browser's preflight: answered here, like the host (or the platform) does, never by a handler
      req.resume();
      if (!cors) return sendJson(res, 403, hostError('cors-origin', `来源 ${req.headers.origin} 不在允许跨域访问的列表中`, `origin ${req.headers.origin} is not allowed (CORS)`));
      if (pathMethods.size === 0) return sendJson(res, 404, hostError('not-found', '没有这个接口', 'no such endpoint'), false, cors);
      if (!pathMethods.has(wanted.toUpperCase())) {
        return sendJson(res, 405, hostError('method-not-allowed', `不支持的请求方法 ${wanted}`, `method ${wanted} not allowed`), false, cors);
      }
      const allowHeaders = req.headers['access-control-request-headers'];
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': [...pathMethods].join(', '),
        ...(typeof allowHeaders === 'string' && allowHeaders ? { 'access-control-allow-headers': allowHeaders } : {}),
        'access-control-max-age': '600',
        'content-length': '0',
      });
      return res.end();
    }
    if (!found) {
      req.resume();
      return pathMethods.size > 0
        ? sendJson(res, 405, hostError('method-not-allowed', `不支持的请求方法 ${method}`, `method ${method} not allowed`), false, cors ?? {})
        : sendJson(res, 404, hostError('not-found', '没有这个接口', 'no such endpoint'), false, cors ?? {});
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    const tooLarge = () => sendJson(res, 413, hostError('payload-too-large', `请求内容超过主机上限（${(maxBody / 1048576).toFixed(0)} MB）`, 'request body exceeds the host limit'), true, cors ?? {});
    if (Number.isFinite(declared) && declared > maxBody) {
      req.resume();
      return tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (c: Buffer) => {
      if (aborted) return;
      size += c.length;
      if (size > maxBody) {
        aborted = true;
        chunks.length = 0;
        tooLarge();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => {
      aborted = true;
    });
    req.on('end', async () => {
      if (aborted) return;
      const { route, params } = found!;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const body = Buffer.concat(chunks);
      try {
        const request = new HttpRequest({
          method,
          url: `http://${req.headers.host ?? '127.0.0.1'}${rawUrl}`,
          headers,
          params,
          body: body.length > 0 ? { bytes: body } : undefined,
        });
        const context = new InvocationContext({
          invocationId: randomUUID(),
          functionName: route.reg.name,
          logHandler: (level, ...args) => {
            if (level === 'error' || level === 'warning') log(`[${route.reg.name}] ${level}: ${args.map((a) => (a instanceof Error ? a.stack : String(a))).join(' ')}`);
          },
        });
        const result = await route.reg.handler(request, context);
        await writeResult(res, result, cors ?? {});
      } catch (e) {
        log(`[${route.reg.name}] unhandled: ${(e as Error).stack ?? e}`);
        if (!res.headersSent) sendJson(res, 500, hostError('internal-error', '服务器内部错误', 'internal server error'), false, cors ?? {});
        else res.destroy();
      }
      log(`${method} ${path} → ${res.statusCode} ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1)} ms`);
    });
  });
  server.keepAliveTimeout = 5000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
