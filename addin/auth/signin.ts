/**
 * How the add-in proves who the user is to the service. Production: an Entra ID access token
 * (addin/auth/msal.ts). Development builds only: a unit key typed in the pane, or a token from a
 * local issuer; both are kept in memory for the session, never in localStorage or the workbook.
 */
import type { AddinConfig } from './config';

export interface Authenticator {
  readonly mode: AddinConfig['signIn'];
  /** Headers proving the user; `interactive` may show a sign-in prompt. null = not signed in. */
  headers(interactive: boolean): Promise<Record<string, string> | null>;
  /** Sign in now (a button): dev modes take the typed key or unit id. Throws SignInError. */
  signIn(input?: string): Promise<void>;
}

/** A sign-in that did not succeed; its message is shown as is. */
export class SignInError extends Error {}

/** dev-keys: the unit's development key, sent as `x-land-survey-key` (the service's LAND_SURVEY_AUTH=dev-keys). */
export function devKeyAuthenticator(): Authenticator {
  let key = '';
  return {
    mode: 'dev-keys',
    async headers() {
      return key ? { 'x-land-survey-key': key } : null;
    },
    async signIn(input) {
      if (!input?.trim()) throw new SignInError('请填写本单位的开发密钥');
      key = input.trim();
    },
  };
}

/**
 * dev-issuer: a signed token from a local issuer (the browser test's stand-in tenant) for a unit's
 * app role. The service checks it exactly like an Entra ID token (signature, issuer, audience …).
 */
export function devIssuerAuthenticator(url: string, fetchImpl: typeof fetch = (...a) => fetch(...a)): Authenticator {
  let token = '';
  return {
    mode: 'dev-issuer',
    async headers() {
      return token ? { authorization: `Bearer ${token}` } : null;
    },
    async signIn(input) {
      const res = await fetchImpl(`${url.replace(/\/+$/, '')}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: input?.trim() ?? '' }) }).catch(() => null);
      const doc = res?.ok ? ((await res.json().catch(() => null)) as { access_token?: unknown } | null) : null;
      if (typeof doc?.access_token !== 'string') throw new SignInError(`开发登录失败：本地签发服务（${url}）未返回令牌`);
      token = doc.access_token;
    },
  };
}
