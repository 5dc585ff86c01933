/**
 * Who is calling, and may they do this.
 *
 * Production: Entra ID (Azure AD) access tokens sent as `Authorization: Bearer <jwt>`, checked
 * with `jose` — signature against the tenant's JWKS (fetched from the settings' URL and cached),
 * issuer, audience, expiry, not-before, algorithm (RS256 only; `alg: none` and HMAC are refused),
 * tenant id and the delegated scope. The unit comes from the token's app roles:
 * `office`, `department.<unit id>` or `street.<unit id>`, each unit named in `LAND_SURVEY_UNITS`.
 *
 * Local development only: shared keys (`x-land-survey-key`, SHA-256 hashes in `LAND_SURVEY_KEYS`),
 * on only when `LAND_SURVEY_AUTH=dev-keys` is set explicitly.
 *
 * A missing or bad credential is a 401, a valid one without the needed role a 403; both with a
 * Chinese message. Settings are read on every call (parsing memoised by their raw text).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpRequest } from '@azure/functions';
import type { createRemoteJWKSet, JWTPayload } from 'jose';
import { HttpError } from './http';

export type Role = 'office' | 'department' | 'street';

export interface Principal {
  id: string;
  name: string;
  role: Role;
  /** A street office's 街道 as the base map writes it (its unit's `street`), when configured. */
  street?: string;
}

export const KEY_HEADER = 'x-land-survey-key';
const ROLES: readonly Role[] = ['office', 'department', 'street'];
/** The one algorithm Entra ID signs access tokens with. */
export const ALGORITHMS = ['RS256'];
const CLOCK_TOLERANCE_S = 60;

export type AuthMode = 'entra' | 'dev-keys';

export interface EntraSettings {
  tenantId: string;
  audiences: string[];
  issuers: string[];
  jwksUrl: string;
  scope: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const configError = (setting: string, zh: string, en: string) => new HttpError(500, 'bad-auth-config', `服务端登录配置（${setting}）${zh}`, `${setting}: ${en}`);

/** `LAND_SURVEY_AUTH`: `entra` (also when only the tenant is set) or, explicitly, `dev-keys`. */
export function authMode(): AuthMode | undefined {
  const raw = process.env.LAND_SURVEY_AUTH?.trim().toLowerCase();
  if (raw === 'entra' || raw === 'dev-keys') return raw;
  if (raw) throw configError('LAND_SURVEY_AUTH', `“${raw.slice(0, 40)}”无效，须为 entra 或 dev-keys`, `"${raw}" is not entra or dev-keys`);
  return process.env.LAND_SURVEY_ENTRA_TENANT_ID?.trim() ? 'entra' : undefined;
}

const list = (raw: string | undefined) => (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export function entraSettings(): EntraSettings {
  const tenantId = process.env.LAND_SURVEY_ENTRA_TENANT_ID?.trim() ?? '';
  if (!/^[0-9a-fA-F-]{36}$/.test(tenantId)) throw configError('LAND_SURVEY_ENTRA_TENANT_ID', '缺失或不是租户ID（GUID）', 'missing or not a tenant GUID');
  const audiences = list(process.env.LAND_SURVEY_ENTRA_AUDIENCE ?? process.env.LAND_SURVEY_ENTRA_CLIENT_ID);
  if (audiences.length === 0) throw configError('LAND_SURVEY_ENTRA_CLIENT_ID', '缺失（本服务的应用程序ID）', 'missing (the API application id)');
  const issuers = list(process.env.LAND_SURVEY_ENTRA_ISSUER);
  return {
    tenantId: tenantId.toLowerCase(),
    audiences,
    issuers: issuers.length ? issuers : [`https://login.microsoftonline.com/${tenantId.toLowerCase()}/v2.0`],
    jwksUrl: process.env.LAND_SURVEY_ENTRA_JWKS_URL?.trim() || `https://login.microsoftonline.com/${tenantId.toLowerCase()}/discovery/v2.0/keys`,
    scope: process.env.LAND_SURVEY_ENTRA_SCOPE?.trim() || 'access_as_user',
  };
}

interface Unit {
  id: string;
  name: string;
  role: Role;
  street?: string;
  hash?: Buffer;
}

const unitCache = new Map<string, { raw: string | undefined; units: Map<string, Unit> }>();

/** `{"<id>": {"name", "role", "street"?, "keyHash"?}}` from `setting`; 500 naming the entry when it is wrong. */
function units(setting: 'LAND_SURVEY_KEYS' | 'LAND_SURVEY_UNITS'): Map<string, Unit> {
  const raw = process.env[setting];
  const cached = unitCache.get(setting);
  if (cached && cached.raw === raw) return cached.units;
  const out = new Map<string, Unit>();
  if (raw && raw.trim()) {
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      throw configError(setting, '不是有效的JSON', 'not valid JSON');
    }
    for (const [id, v] of Object.entries(doc as Record<string, unknown>)) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw configError(setting, `中单位标识“${id.slice(0, 64)}”无效（仅限字母、数字、-、_）`, `id "${id}" is invalid`);
      const e = v as { name?: unknown; role?: unknown; street?: unknown; keyHash?: unknown };
      const needsHash = setting === 'LAND_SURVEY_KEYS';
      if (!ROLES.includes(e?.role as Role) || (needsHash && (typeof e.keyHash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(e.keyHash)))) {
        throw configError(setting, `中“${id}”无效（须有 role${needsHash ? ' 和 64位 keyHash' : ''}）`, `entry "${id}" is invalid`);
      }
      if (e.street !== undefined && (typeof e.street !== 'string' || !e.street.trim())) throw configError(setting, `中“${id}”的 street 须为街道名称`, `entry "${id}": street must be a street name`);
      const street = typeof e.street === 'string' ? e.street.trim() : undefined;
      out.set(id, { id, name: typeof e.name === 'string' ? e.name : id, role: e.role as Role, ...(street ? { street } : {}), hash: needsHash ? Buffer.from(e.keyHash as string, 'hex') : undefined });
    }
  }
  unitCache.set(setting, { raw, units: out });
  return out;
}

/** 401: no credential, or one that does not prove who the caller is. */
function unauthenticated(zh: string, en: string, bearerError?: string): HttpError {
  const e = new HttpError(401, 'unauthenticated', zh, en);
  e.headers = { 'www-authenticate': bearerError ? `Bearer error="${bearerError}"` : 'Bearer' };
  return e;
}
const denied = (zh: string, en: string) => new HttpError(403, 'forbidden', zh, en);

const principalOf = (u: { id: string; name: string; role: Role; street?: string }): Principal => ({ id: u.id, name: u.name, role: u.role, ...(u.street ? { street: u.street } : {}) });

function fromKey(req: HttpRequest): Principal {
  const key = req.headers.get(KEY_HEADER);
  if (!key) throw unauthenticated(`缺少访问密钥（请求头 ${KEY_HEADER}）：本服务处于本地开发密钥模式`, `missing key header ${KEY_HEADER} (local development key mode)`);
  const presented = createHash('sha256').update(key, 'utf8').digest();
  let found: Unit | undefined;
  for (const e of units('LAND_SURVEY_KEYS').values()) {
    if (timingSafeEqual(presented, e.hash!) && !found) found = e;
  }
  if (!found) throw unauthenticated('访问密钥无效，请核对本单位的开发密钥', 'unknown key');
  return principalOf(found);
}

const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
/** jose is loaded on the first token (off the cold start; the development key mode never loads it). */
const loadJose = () => import('jose');

/** The tenant's key set: fetched once, kept 10 minutes, fetched again (at most every 30 s) for an unknown key id. */
function keySet(jose: Awaited<ReturnType<typeof loadJose>>, url: string): ReturnType<typeof createRemoteJWKSet> {
  let set = jwksCache.get(url);
  if (!set) {
    set = jose.createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    jwksCache.set(url, set);
  }
  return set;
}

/** Forget fetched key sets (tests; a rotated local issuer). */
export function clearKeySetCache(): void {
  jwksCache.clear();
}

function bearer(req: HttpRequest): string {
  const h = req.headers.get('authorization')?.trim();
  if (!h) throw unauthenticated('未登录：请求缺少登录令牌（Authorization: Bearer），请在加载项中用工作账号登录', 'missing bearer token');
  const m = /^Bearer\s+([A-Za-z0-9_\-.=+/]+)$/i.exec(h);
  if (!m) throw unauthenticated('登录令牌格式无效（须为 Authorization: Bearer <令牌>）', 'malformed authorization header', 'invalid_request');
  return m[1];
}

async function verify(token: string, cfg: EntraSettings): Promise<JWTPayload> {
  const jose = await loadJose();
  const joseErrors = jose.errors;
  try {
    const { payload } = await jose.jwtVerify(token, keySet(jose, cfg.jwksUrl), {
      issuer: cfg.issuers,
      audience: cfg.audiences,
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'iat', 'tid'],
    });
    return payload;
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw unauthenticated('登录已过期，请重新登录', 'token expired', 'invalid_token');
    if (e instanceof joseErrors.JWTClaimValidationFailed) {
      const what: Record<string, string> = { iss: '签发方不符', aud: '不是本服务的令牌', nbf: '尚未生效', iat: '签发时间无效', tid: '缺少租户', exp: '缺少有效期' };
      throw unauthenticated(`登录令牌无效（${what[e.claim] ?? e.claim}），请重新登录`, `token claim "${e.claim}" failed: ${e.reason}`, 'invalid_token');
    }
    if (e instanceof joseErrors.JWKSNoMatchingKey) throw unauthenticated('登录令牌的签名密钥不属于本租户，请重新登录', 'no matching key in the tenant JWKS', 'invalid_token');
    if (e instanceof joseErrors.JOSEAlgNotAllowed) throw unauthenticated('登录令牌的签名算法不被接受', 'algorithm not allowed', 'invalid_token');
    if (e instanceof joseErrors.JWSSignatureVerificationFailed) throw unauthenticated('登录令牌签名无效', 'signature verification failed', 'invalid_token');
    if (e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JWKSInvalid || !(e instanceof joseErrors.JOSEError)) {
      throw new HttpError(503, 'auth-unavailable', '暂时无法取得登录验证密钥，请稍后重试', `could not fetch the signing keys: ${(e as Error).message}`);
    }
    throw unauthenticated('登录令牌无效，请重新登录', `invalid token: ${(e as Error).message}`, 'invalid_token');
  }
}

/** Maps the token's app roles to the unit: `office`, `department.<id>`, `street.<id>`. */
export function principalFromRoles(roles: readonly string[], configured: ReadonlyMap<string, { id: string; name: string; role: Role; street?: string }>): Principal {
  const found: Principal[] = [];
  const unknown: string[] = [];
  for (const value of roles) {
    const m = /^(office|department|street)(?:\.([A-Za-z0-9_-]{1,64}))?$/.exec(value);
    if (!m || (m[1] === 'office') !== (m[2] === undefined)) continue; // not one of ours (other apps' roles)
    const id = m[2] ?? 'office';
    const u = configured.get(id);
    if (!u || u.role !== m[1]) {
      unknown.push(value);
      continue;
    }
    found.push(principalOf(u));
  }
  const office = found.find((p) => p.role === 'office');
  if (office) return office;
  const ids = [...new Set(found.map((p) => p.id))];
  if (ids.length === 1) return found[0];
  if (ids.length > 1) throw denied(`账号被分配了多个单位角色（${found.map((p) => p.name).join('、')}），请管理员只保留一个`, 'more than one unit role');
  if (unknown.length) throw denied(`账号的角色（${unknown.join('、')}）对应的单位未在服务端登记（LAND_SURVEY_UNITS），请联系管理员`, `role ${unknown.join(', ')} has no unit in LAND_SURVEY_UNITS`);
  throw denied('账号未被分配本应用的单位角色（规划资源分局、部门或街道），请联系管理员在 Entra ID 中分配', 'no app role of this application');
}

async function fromToken(req: HttpRequest): Promise<Principal> {
  const cfg = entraSettings();
  const payload = await verify(bearer(req), cfg);
  if (typeof payload.tid !== 'string' || payload.tid.toLowerCase() !== cfg.tenantId) {
    throw unauthenticated('登录令牌不属于本单位的租户，请用本单位工作账号登录', 'token of another tenant', 'invalid_token');
  }
  const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
  if (!scopes.includes(cfg.scope)) throw denied(`登录令牌未授予本服务的访问权限（${cfg.scope}），请重新登录`, `token lacks the scope ${cfg.scope}`);
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
  return principalFromRoles(roles, units('LAND_SURVEY_UNITS'));
}

/** Who is calling: 401 without a valid credential, 403 without a unit role, 500 when sign-in is not configured. */
export async function authenticate(req: HttpRequest): Promise<Principal> {
  const mode = authMode();
  if (mode === 'dev-keys') return fromKey(req);
  if (mode === 'entra') return fromToken(req);
  throw configError('LAND_SURVEY_AUTH', '未设置：请配置 Entra ID（LAND_SURVEY_ENTRA_TENANT_ID 等），本地开发可设 LAND_SURVEY_AUTH=dev-keys', 'sign-in is not configured');
}

/** True when the request carries a credential of the configured mode (health answers who it is). */
export function hasCredential(req: HttpRequest): boolean {
  return req.headers.has(KEY_HEADER) || req.headers.has('authorization');
}

/**
 * The 街道 whose parcels a street office may have determined: its unit's `street`, else the one
 * of the district's streets its name begins with (大王庄街道办事处 → 大王庄街道). Null for the
 * office and departments (their remit is the district); 403 for a street office that maps to none.
 */
export function streetScope(p: Principal, streets: readonly string[]): string | null {
  if (p.role !== 'street') return null;
  if (p.street) {
    if (streets.includes(p.street)) return p.street;
    throw denied(`本账号（${p.name}）配置的街道“${p.street}”不是本区街道（${streets.join('、')}），无法返回认定结果；请管理员更正单位配置`, `the street "${p.street}" configured for unit "${p.id}" is not a street of the district`);
  }
  let best = '';
  for (const s of streets) if (p.name.startsWith(s) && s.length > best.length) best = s;
  if (best) return best;
  throw denied(
    `本账号（${p.name}）未对应本区任何街道，无法返回认定结果；请管理员在单位配置中为其填写 street`,
    `the street unit "${p.id}" maps to no street of the district: set its "street" in the unit configuration`,
  );
}

/**
 * streetScope for the checks (validate, submissions), which a misconfigured street unit may still
 * use: such a unit is shown none of the base map's parcel figures ('' matches no street).
 */
export function checkScope(p: Principal, streets: readonly string[]): string | null {
  try {
    return streetScope(p, streets);
  } catch {
    return '';
  }
}

/** 403 unless the caller is the office (规划资源分局). */
export function requireOffice(p: Principal, what: string, whatEn: string): void {
  if (p.role !== 'office') {
    throw denied(`无权${what}：仅限规划资源分局（汇总单位）操作，${p.name}无此权限`, `forbidden: only the office may ${whatEn}`);
  }
}
