/**
 * LOCAL STAND-IN for the Azure Functions host (used by `npm start` when Azure Functions Core
 * Tools are not installed, and by the end-to-end tests). It serves the handlers the app
 * registered (captured through `core-capture.ts`) with `node:http` on 127.0.0.1, turning each
 * request into a real `HttpRequest` of `@azure/functions`. It applies the `api/` route prefix,
 * route parameters, methods and a host-level body limit like the host does; it does NOT check
 * function keys (neither does `func start` locally).
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

function sendJson(res: http.ServerResponse, status: number, body: unknown, close = false) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...(close ? { connection: 'close' } : {}) });
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
async function writeResult(res: http.ServerResponse, result: unknown): Promise<void> {
  const r = (result ?? {}) as { status?: number; headers?: unknown; jsonBody?: unknown; body?: unknown; arrayBuffer?: () => Promise<ArrayBuffer> };
  const headers: Record<string, string> = {};
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

  const server = http.createServer((req, res) => {
    const t0 = process.hrtime.bigint();
    const rawUrl = req.url ?? '/';
    const path = rawUrl.split('?')[0];
    const method = (req.method ?? 'GET').toUpperCase();
    let found: { route: Route; params: Record<string, string> } | undefined;
    let pathMatched = false;
    try {
      const raw = path.split('/').filter(Boolean);
      for (const route of routes) {
        const params = match(route, raw);
        if (!params) continue;
        pathMatched = true;
        if (route.reg.methods.includes(method)) {
          found = { route, params };
          break;
        }
      }
    } catch (e) {
      if (!(e instanceof RouteError)) throw e;
      req.resume();
      return sendJson(res, 400, hostError('bad-path', '请求路径无效', 'malformed request path'));
    }
    if (!found) {
      req.resume();
      return pathMatched
        ? sendJson(res, 405, hostError('method-not-allowed', `不支持的请求方法 ${method}`, `method ${method} not allowed`))
        : sendJson(res, 404, hostError('not-found', '没有这个接口', 'no such endpoint'));
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    const tooLarge = () => sendJson(res, 413, hostError('payload-too-large', `请求内容超过主机上限（${(maxBody / 1048576).toFixed(0)} MB）`, 'request body exceeds the host limit'), true);
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
        await writeResult(res, result);
      } catch (e) {
        log(`[${route.reg.name}] unhandled: ${(e as Error).stack ?? e}`);
        if (!res.headersSent) sendJson(res, 500, hostError('internal-error', '服务器内部错误', 'internal server error'));
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
