/**
 * The project's own role check, on top of the function-level key of the Functions host.
 *
 * Keys are configured in the app setting `LAND_SURVEY_KEYS` as JSON
 * `{"<id>": {"name": "区产业发展促进局", "role": "department" | "street" | "office", "keyHash": "<sha256 hex>"}}`;
 * only the SHA-256 of a key is ever stored. The caller sends its key in the `x-land-survey-key`
 * header. Every denial is a 403 with a Chinese message.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpRequest } from '@azure/functions';
import { HttpError } from './http';

export type Role = 'office' | 'department' | 'street';

export interface Principal {
  id: string;
  name: string;
  role: Role;
}

interface KeyEntry extends Principal {
  hash: Buffer;
}

export const KEY_HEADER = 'x-land-survey-key';
const ROLES: readonly Role[] = ['office', 'department', 'street'];

let cache: { raw: string | undefined; entries: KeyEntry[] } | undefined;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function configured(): KeyEntry[] {
  const raw = process.env.LAND_SURVEY_KEYS;
  if (cache && cache.raw === raw) return cache.entries;
  const entries: KeyEntry[] = [];
  if (raw && raw.trim()) {
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      throw new HttpError(500, 'bad-key-config', '服务端密钥配置（LAND_SURVEY_KEYS）不是有效的JSON', 'LAND_SURVEY_KEYS is not valid JSON');
    }
    for (const [id, v] of Object.entries(doc as Record<string, unknown>)) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
        throw new HttpError(500, 'bad-key-config', `服务端密钥配置中单位标识“${id.slice(0, 64)}”无效（仅限字母、数字、-、_）`, `LAND_SURVEY_KEYS id "${id}" is invalid`);
      }
      const e = v as { name?: unknown; role?: unknown; keyHash?: unknown };
      if (typeof e?.keyHash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(e.keyHash) || !ROLES.includes(e.role as Role)) {
        throw new HttpError(500, 'bad-key-config', `服务端密钥配置中“${id}”无效（须有 role 和 64位 keyHash）`, `LAND_SURVEY_KEYS entry "${id}" is invalid`);
      }
      entries.push({ id, name: typeof e.name === 'string' ? e.name : id, role: e.role as Role, hash: Buffer.from(e.keyHash, 'hex') });
    }
  }
  cache = { raw, entries };
  return entries;
}

const denied = (zh: string, en: string) => new HttpError(403, 'forbidden', zh, en);

/** Who is calling; 403 when the key is missing or unknown. Compares every entry in constant time. */
export function authenticate(req: HttpRequest): Principal {
  const key = req.headers.get(KEY_HEADER);
  if (!key) throw denied(`缺少访问密钥（请求头 ${KEY_HEADER}），请联系规划资源分局获取本单位密钥`, `missing key header ${KEY_HEADER}`);
  const presented = createHash('sha256').update(key, 'utf8').digest();
  let found: KeyEntry | undefined;
  for (const e of configured()) {
    if (timingSafeEqual(presented, e.hash) && !found) found = e;
  }
  if (!found) throw denied('访问密钥无效，请核对本单位密钥', 'unknown key');
  return { id: found.id, name: found.name, role: found.role };
}

/** 403 unless the caller is the office (规划资源分局). */
export function requireOffice(p: Principal, what: string): void {
  if (p.role !== 'office') {
    throw denied(`无权${what}：仅限规划资源分局（汇总单位）操作，${p.name}无此权限`, `forbidden: only the office may ${what}`);
  }
}
