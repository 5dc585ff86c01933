/**
 * The add-in's Entra ID sign-in (addin/auth/msal.ts) with fakes of MSAL and Office.auth: silent
 * first, the popup when the user acts, Office single sign-on where the popup cannot open; the MSAL
 * configuration (tenant authority, the blank redirect page, sessionStorage, never localStorage).
 * The real sign-in against a (local) issuer runs in tests/addin/browser.test.ts.
 */
import { InteractionRequiredAuthError } from '@azure/msal-browser';
import type { AddinConfig } from '../../addin/auth/config';
import { entraAuthenticator, signInReason, type MsalDeps } from '../../addin/auth/msal';
import { devIssuerAuthenticator, SignInError } from '../../addin/auth/signin';

const CFG: AddinConfig = { apiUrl: 'https://fn.example', signIn: 'entra', clientId: 'cid', tenantId: 'tid', scope: 'api://addin.example/cid/access_as_user', devIssuerUrl: '' };
const account = { homeAccountId: 'h', environment: 'login.microsoftonline.com', tenantId: 'tid', username: 'u@hedong.example', localAccountId: 'l' };
const jwt = (exp: number) => `x.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.y`;

function fakes(opts: { silent?: 'ok' | 'fail'; popup?: 'ok' | 'blocked' | 'cancelled'; sso?: 'ok' | 'fail' | 'none' } = {}) {
  const calls: string[] = [];
  let config: unknown;
  let active: unknown = null;
  const pca = {
    getActiveAccount: () => active as never,
    getAllAccounts: () => [],
    setActiveAccount: (a: unknown) => void (active = a),
    acquireTokenSilent: async (r: { scopes: string[] }) => {
      calls.push(`silent ${r.scopes.join(' ')}`);
      if ((opts.silent ?? 'fail') === 'fail') throw new InteractionRequiredAuthError('interaction_required');
      return { accessToken: 'silent-token', account } as never;
    },
    acquireTokenPopup: async (r: { scopes: string[] }) => {
      calls.push(`popup ${r.scopes.join(' ')}`);
      const p = opts.popup ?? 'ok';
      if (p === 'blocked') throw Object.assign(new Error('popup blocked'), { errorCode: 'popup_window_error' });
      if (p === 'cancelled') throw Object.assign(new Error('cancelled'), { errorCode: 'user_cancelled' });
      return { accessToken: 'popup-token', account } as never;
    },
  };
  const sso = opts.sso ?? 'none';
  const deps: MsalDeps = {
    create: async (c) => {
      config = c;
      calls.push('create');
      return pca;
    },
    officeSso:
      sso === 'none'
        ? undefined
        : async () => {
            calls.push('office-sso');
            if (sso === 'fail') throw Object.assign(new Error('sso'), { code: 13003 });
            return jwt(Math.floor(Date.now() / 1000) + 3600);
          },
    origin: 'https://addin.example',
  };
  return { deps, calls, config: () => config as { auth: Record<string, string>; cache: { cacheLocation: string } }, active: () => active };
}

test('MSAL is configured for the tenant, redirects popups to the blank auth page and keeps its cache out of localStorage', async () => {
  const f = fakes({ silent: 'ok' });
  await entraAuthenticator(CFG, f.deps).headers(false);
  expect(f.config().auth).toEqual({ clientId: 'cid', authority: 'https://login.microsoftonline.com/tid', redirectUri: 'https://addin.example/auth.html' });
  expect(f.config().cache.cacheLocation).toBe('sessionStorage');
});

test('a silent token is used without any prompt, and MSAL is created once', async () => {
  const f = fakes({ silent: 'ok' });
  const auth = entraAuthenticator(CFG, f.deps);
  expect(await auth.headers(true)).toEqual({ authorization: 'Bearer silent-token' });
  expect(await auth.headers(true)).toEqual({ authorization: 'Bearer silent-token' });
  expect(f.calls).toEqual(['create', `silent ${CFG.scope}`, `silent ${CFG.scope}`]);
});

test('without a silent token: no prompt unless the user acts; then the popup, and its account is remembered', async () => {
  const f = fakes({ silent: 'fail', popup: 'ok' });
  const auth = entraAuthenticator(CFG, f.deps);
  expect(await auth.headers(false)).toBeNull();
  expect(f.calls).not.toContain(`popup ${CFG.scope}`);
  expect(await auth.headers(true)).toEqual({ authorization: 'Bearer popup-token' });
  expect(f.active()).toEqual(account);
});

test('a host where the popup cannot open falls back to Office single sign-on (WebApplicationInfo); its token is reused while valid', async () => {
  const f = fakes({ silent: 'fail', popup: 'blocked', sso: 'ok' });
  const auth = entraAuthenticator(CFG, f.deps);
  const h = await auth.headers(true);
  expect(h!.authorization).toMatch(/^Bearer x\./);
  expect(await auth.headers(false)).toEqual(h);
  expect(f.calls.filter((c) => c === 'office-sso')).toHaveLength(1);
});

test('a cancelled popup is not retried another way; a failed Office SSO says so in Chinese', async () => {
  const cancelled = fakes({ silent: 'fail', popup: 'cancelled', sso: 'ok' });
  await expect(entraAuthenticator(CFG, cancelled.deps).headers(true)).rejects.toThrow('已取消登录');
  expect(cancelled.calls).not.toContain('office-sso');
  const failed = fakes({ silent: 'fail', popup: 'blocked', sso: 'fail' });
  await expect(entraAuthenticator(CFG, failed.deps).signIn()).rejects.toThrow(/登录失败（Office 错误 13003）/);
  const none = fakes({ silent: 'fail', popup: 'blocked' });
  await expect(entraAuthenticator(CFG, none.deps).signIn()).rejects.toThrow(SignInError);
  // MSAL's English message is not what the user reads: the blocked popup in words
  await expect(entraAuthenticator(CFG, fakes({ silent: 'fail', popup: 'blocked' }).deps).signIn()).rejects.toThrow('登录失败：登录窗口被浏览器拦截或无法打开，请允许本站弹出窗口后重试');
});

test("MSAL's error codes in words; an unknown one keeps its code and message", () => {
  expect(signInReason(Object.assign(new Error('x'), { errorCode: 'interaction_in_progress' }))).toContain('另一个登录窗口尚未关闭');
  expect(signInReason(Object.assign(new Error('network down'), { errorCode: 'no_network_connectivity' }))).toBe('无法连接登录服务，请检查网络');
  expect(signInReason(Object.assign(new Error('AADSTS50020: user not in tenant'), { errorCode: 'invalid_grant' }))).toBe('（invalid_grant）AADSTS50020: user not in tenant');
  expect(signInReason(undefined)).toBe('无法打开登录窗口');
});

test('a build without the Entra ID ids says so instead of trying', async () => {
  const f = fakes();
  const auth = entraAuthenticator({ ...CFG, clientId: '' }, f.deps);
  expect(await auth.headers(false)).toBeNull();
  await expect(auth.headers(true)).rejects.toThrow('LAND_SURVEY_ADDIN_CLIENT_ID');
  expect(f.calls).toEqual([]);
});

test('the development issuer sign-in asks the local issuer for the typed role and sends its token', async () => {
  const fetchMock = jest.fn(async () => new Response(JSON.stringify({ access_token: 'dev-token' }), { status: 200 }));
  const auth = devIssuerAuthenticator('http://127.0.0.1:9/', fetchMock as unknown as typeof fetch);
  expect(await auth.headers(true)).toBeNull();
  await auth.signIn('department.industry');
  expect((fetchMock.mock.calls[0] as unknown as [string, RequestInit])[0]).toBe('http://127.0.0.1:9/token');
  expect(JSON.parse(String((fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1].body))).toEqual({ role: 'department.industry' });
  expect(await auth.headers(false)).toEqual({ authorization: 'Bearer dev-token' });
  const broken = devIssuerAuthenticator('http://x', (async () => new Response('no', { status: 500 })) as unknown as typeof fetch);
  await expect(broken.signIn('office')).rejects.toThrow('开发登录失败');
});
