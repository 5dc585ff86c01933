/**
 * Entra ID sign-in of the functions against a local tenant (tests/functions/issuer.ts: a key pair
 * and its JWKS served on 127.0.0.1): valid tokens per role, and each way a token can be wrong.
 * EVERY registered route is iterated (also routes added later), so none can skip the check.
 */
jest.mock('@azure/functions-core', () => require('../../functions/local/core-capture').fakeCore, { virtual: true });

import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import '../../functions/index';
import { clearKeySetCache, principalFromRoles, streetScope } from '../../functions/lib/auth';
import { defaultRuleSet } from '../../shared/rules';
import { clearReferenceCache } from '../../functions/lib/data';
import { resetStore } from '../../functions/lib/storage';
import { registrations, type Registration } from '../../functions/local/core-capture';
import { startLocalHost, type LocalHost } from '../../functions/local/host';
import { b64url, CLIENT_ID, OTHER_TENANT, startIssuer, TENANT, UNITS, type LocalIssuer } from './issuer';

const ROLE_OF = { office: 'office', department: 'department.industry', street: 'street.dawangzhuang' } as const;
/** Routes anyone may call (anonymous): they must still never say who an invalid token is. */
const PUBLIC = new Set(['health']);
/** Routes only the office may call; for any other route a unit with a valid role is let through. */
const OFFICE_ONLY = new Set(['putReference', 'listReference', 'consolidate', 'pilotSubmitProjects', 'pilotPlan', 'pilotCompare', 'pilotLedger', 'pilotBrief', 'pilotReport']);
const CHINESE = /[\u4e00-\u9fff]/;

let issuer: LocalIssuer;

function requestFor(reg: Registration, method: string, headers: Record<string, string>): HttpRequest {
  const params: Record<string, string> = {};
  const path = reg.route.replace(/\{\*?([A-Za-z0-9_]+)[^}]*\}/g, (_, name: string) => (params[name] = name === 'form' ? 'industrial' : 'x'));
  return new HttpRequest({ method, url: `http://localhost/api/${path}`, headers, params });
}

async function callReg(reg: Registration, method: string, headers: Record<string, string>): Promise<HttpResponseInit> {
  const ctx = new InvocationContext({ functionName: reg.name, invocationId: 'test', logHandler: () => {} });
  return (await reg.handler(requestFor(reg, method, headers), ctx)) as HttpResponseInit;
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const routes = () => registrations.flatMap((reg) => reg.methods.map((m) => [`${m} /api/${reg.route} (${reg.name})`, reg, m] as const));

beforeAll(async () => {
  issuer = await startIssuer();
  issuer.configure(UNITS);
  delete process.env.LAND_SURVEY_KEYS;
  process.env.LAND_SURVEY_STORAGE = 'memory';
  resetStore();
  clearReferenceCache();
  clearKeySetCache();
});
afterAll(() => issuer.close());

test('the app registered its routes (the lists below cover what exists)', () => {
  expect(registrations.length).toBeGreaterThanOrEqual(9);
  for (const n of [...PUBLIC, ...OFFICE_ONLY]) expect(registrations.map((r) => r.name)).toContain(n);
});

const BAD: [string, () => Promise<string>, RegExp][] = [
  ['no token', async () => '', /未登录/],
  ['expired', () => issuer.token([ROLE_OF.office], { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 }), /过期/],
  ['not yet valid (nbf in an hour)', () => issuer.token([ROLE_OF.office], { nbf: Math.floor(Date.now() / 1000) + 3600 }), /尚未生效/],
  ['wrong audience', () => issuer.token([ROLE_OF.office], { aud: 'bbbbbbbb-0000-0000-0000-000000000000' }), /不是本服务/],
  ['wrong issuer', () => issuer.token([ROLE_OF.office], { iss: 'https://login.microsoftonline.com/evil/v2.0' }), /签发方/],
  ['another tenant (its own issuer)', () => issuer.token([ROLE_OF.office], { tid: OTHER_TENANT, iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` }), /签发方/],
  ['another tenant (tid only)', () => issuer.token([ROLE_OF.office], { tid: OTHER_TENANT }), /租户/],
  ['unknown key id', () => issuer.token([ROLE_OF.office], {}, { key: 'unknown' }), /签名密钥/],
  ['a known key id over another key', () => issuer.token([ROLE_OF.office], {}, { key: 'unknown', kid: 'test-key-1' }), /签名无效/],
  [
    'alg: none',
    async () => {
      const now = Math.floor(Date.now() / 1000);
      return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iss: issuer.issuer, aud: CLIENT_ID, tid: TENANT, scp: 'access_as_user', roles: ['office'], iat: now, exp: now + 3600 })}.`;
    },
    /令牌/,
  ],
  [
    'HS256 signed with a guessable secret',
    async () => {
      const { SignJWT } = await import('jose');
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer.issuer, aud: CLIENT_ID, tid: TENANT, scp: 'access_as_user', roles: ['office'], iat: now, exp: now + 3600 })
        .setProtectedHeader({ alg: 'HS256', kid: 'test-key-1' })
        .sign(new TextEncoder().encode('test-key-1'));
    },
    /算法/,
  ],
  ['a tampered payload', async () => { const [h, , s] = (await issuer.token(['department.industry'])).split('.'); return `${h}.${b64url({ roles: ['office'] })}.${s}`; }, /令牌/],
  ['not a JWT', async () => 'abc.def', /令牌/],
];

describe.each(routes())('%s', (_label, reg, method) => {
  if (PUBLIC.has(reg.name)) {
    test.each(BAD)('a bad token (%s) names nobody, and says why it was not accepted', async (_n, make, message) => {
      const t = await make();
      const res = await callReg(reg, method, t ? bearer(t) : {});
      expect(res.status).toBe(200);
      const b = res.jsonBody as { role?: string; unit?: string; refused?: { status: number; error: string; message: string; messageEn: string } };
      expect(b.role).toBeUndefined();
      expect(b.unit).toBeUndefined();
      if (!t) {
        expect(b.refused).toBeUndefined(); // no credential sent: nothing to refuse
        return;
      }
      expect(b.refused).toMatchObject({ status: 401, error: 'unauthenticated' });
      expect(b.refused!.message).toMatch(message);
      expect(b.refused!.messageEn).not.toMatch(CHINESE);
    });
    test('a valid token without a unit role: refused with the 403 reason, nobody named', async () => {
      const res = await callReg(reg, method, bearer(await issuer.token(['Admin'])));
      const b = res.jsonBody as { role?: string; refused?: { status: number; message: string } };
      expect(b.role).toBeUndefined();
      expect(b.refused).toMatchObject({ status: 403 });
      expect(b.refused!.message).toMatch(/未被分配/);
    });
    return;
  }
  test.each(BAD)('%s → 401 with a Chinese message', async (_n, make, message) => {
    const t = await make();
    const res = await callReg(reg, method, t ? bearer(t) : {});
    expect(res.status).toBe(401);
    const b = res.jsonBody as { error: string; message: string };
    expect(b.error).toBe('unauthenticated');
    expect(b.message).toMatch(CHINESE);
    expect(b.message).toMatch(message);
    expect((b as { messageEn?: string }).messageEn ?? '').not.toMatch(CHINESE);
    expect((res.headers as Record<string, string>)['www-authenticate']).toMatch(/^Bearer/);
  });

  test.each([
    ['no roles', [] as string[], /未被分配/],
    ['only another application’s role', ['Admin'], /未被分配/],
    ['a role of a unit the service does not know', ['department.nosuch'], /未在服务端登记/],
    ['a department role on a street unit', ['department.dawangzhuang'], /未在服务端登记/],
  ])('a valid token with %s → 403', async (_n, roles, message) => {
    const res = await callReg(reg, method, bearer(await issuer.token(roles)));
    expect(res.status).toBe(403);
    expect((res.jsonBody as { message: string }).message).toMatch(message);
  });

  test('a valid token without the access_as_user scope → 403', async () => {
    const res = await callReg(reg, method, bearer(await issuer.token([ROLE_OF.office], { scp: 'User.Read' })));
    expect(res.status).toBe(403);
    expect((res.jsonBody as { message: string }).message).toContain('access_as_user');
  });

  test.each(Object.entries(ROLE_OF))('a valid %s token gets past sign-in%s', async (role, value) => {
    const res = await callReg(reg, method, bearer(await issuer.token([value])));
    expect(res.status).not.toBe(401);
    const b = (res.jsonBody ?? {}) as { error?: string; message?: string };
    if (role === 'office' || !OFFICE_ONLY.has(reg.name)) {
      expect(b.error).not.toBe('forbidden');
      expect(res.status).not.toBe(500);
    } else {
      expect(res.status).toBe(403);
      expect(b.message).toContain('仅限规划资源分局');
      // the English line is English: it names what was refused in English too
      expect((b as { messageEn?: string }).messageEn).toMatch(/^forbidden: only the office may [a-z]/);
      expect((b as { messageEn?: string }).messageEn).not.toMatch(CHINESE);
    }
  });
});

describe('mapping app roles to units', () => {
  test('health names the unit of a valid token', async () => {
    const health = registrations.find((r) => r.name === 'health')!;
    for (const [role, value] of Object.entries(ROLE_OF)) {
      const res = await callReg(health, 'GET', bearer(await issuer.token([value, 'SomethingElse'])));
      expect(res.jsonBody).toMatchObject({ role, unit: UNITS[value === 'office' ? 'office' : (value.split('.')[1] as keyof typeof UNITS)].name });
    }
  });

  test('office wins over a unit role; two unit roles are refused as ambiguous', () => {
    const units = new Map(Object.entries(UNITS).map(([id, u]) => [id, { id, name: u.name, role: u.role as 'office' }]));
    expect(principalFromRoles(['street.dawangzhuang', 'office'], units).role).toBe('office');
    expect(() => principalFromRoles(['street.dawangzhuang', 'department.industry'], units)).toThrow(/多个单位角色/);
    expect(principalFromRoles(['department.industry', 'department.industry'], units).id).toBe('industry');
  });

  test("a street office's street: its unit's street, else the district street its name begins with; none is a 403", () => {
    const streets = defaultRuleSet().streets;
    expect(streetScope({ id: 'dwz', name: '大王庄街道办事处', role: 'street' }, streets)).toBe('大王庄街道');
    expect(streetScope({ id: 'x', name: '街道办', role: 'street', street: '春华街道' }, streets)).toBe('春华街道');
    expect(streetScope({ id: 'i', name: '区产业发展促进局', role: 'department' }, streets)).toBeNull();
    expect(streetScope({ id: 'o', name: '市规划资源局河东分局', role: 'office' }, streets)).toBeNull();
    expect(() => streetScope({ id: 'nowhere', name: '某某办事处', role: 'street' }, streets)).toThrow(/未对应本区任何街道/);
    expect(() => streetScope({ id: 'typo', name: '春华街', role: 'street', street: '春花街道' }, streets)).toThrow(/“春花街道”不是本区街道/);
    // configured in LAND_SURVEY_UNITS, the street travels with the token's unit
    const units = new Map([['chunhua', { id: 'chunhua', name: '春华街', role: 'street' as const, street: '春华街道' }]]);
    expect(principalFromRoles(['street.chunhua'], units)).toEqual({ id: 'chunhua', name: '春华街', role: 'street', street: '春华街道' });
  });

  test('the JWKS is fetched once and cached across calls', async () => {
    clearKeySetCache();
    const before = issuer.fetches();
    const health = registrations.find((r) => r.name === 'health')!;
    for (let i = 0; i < 5; i++) await callReg(health, 'GET', bearer(await issuer.token([ROLE_OF.office])));
    expect(issuer.fetches() - before).toBe(1);
  });

  test('an unreachable JWKS is a 503, not a pass', async () => {
    const saved = process.env.LAND_SURVEY_ENTRA_JWKS_URL;
    process.env.LAND_SURVEY_ENTRA_JWKS_URL = 'http://127.0.0.1:9/keys';
    try {
      const reg = registrations.find((r) => r.name === 'listSubmissions')!;
      const res = await callReg(reg, 'GET', bearer(await issuer.token([ROLE_OF.office])));
      expect(res.status).toBe(503);
      expect((res.jsonBody as { message: string }).message).toMatch(CHINESE);
    } finally {
      process.env.LAND_SURVEY_ENTRA_JWKS_URL = saved;
    }
  });

  test('without any sign-in configured every protected route is a 500 (closed), keys are not accepted', async () => {
    const saved = { ...process.env };
    delete process.env.LAND_SURVEY_AUTH;
    delete process.env.LAND_SURVEY_ENTRA_TENANT_ID;
    process.env.LAND_SURVEY_KEYS = JSON.stringify({ office: { role: 'office', keyHash: 'a'.repeat(64) } });
    try {
      const reg = registrations.find((r) => r.name === 'listSubmissions')!;
      const res = await callReg(reg, 'GET', { 'x-land-survey-key': 'anything' });
      expect(res.status).toBe(500);
      expect((res.jsonBody as { message: string }).message).toContain('LAND_SURVEY_AUTH');
    } finally {
      process.env = saved;
    }
  });

  test('in Entra mode a development key is not a credential', async () => {
    const reg = registrations.find((r) => r.name === 'listSubmissions')!;
    const res = await callReg(reg, 'GET', { 'x-land-survey-key': 'office-dev-key' });
    expect(res.status).toBe(401);
  });
});

describe('CORS in the local stand-in host', () => {
  let host: LocalHost;
  const ORIGIN = 'https://localhost:3000';
  beforeAll(async () => {
    host = await startLocalHost({ registrations, corsOrigins: [ORIGIN] });
  });
  afterAll(() => host.close());

  test.each(routes())('preflight of %s from the add-in’s origin is answered; from another origin refused', async (_l, reg, method) => {
    const path = requestFor(reg, method, {}).url.replace('http://localhost', '');
    const pre = await fetch(`${host.url}${path}`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type, x-file-name' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(pre.headers.get('access-control-allow-methods')).toContain(method);
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    const evil = await fetch(`${host.url}${path}`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': method } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('answers (also refusals) carry the origin for the add-in only', async () => {
    const ok = await fetch(`${host.url}/api/health`, { headers: { origin: ORIGIN } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const refused = await fetch(`${host.url}/api/submissions`, { headers: { origin: ORIGIN } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(refused.headers.get('access-control-expose-headers')).toContain('www-authenticate');
    const other = await fetch(`${host.url}/api/health`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
