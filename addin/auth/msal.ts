/**
 * Entra ID sign-in of the add-in, as Microsoft documents it for Office add-ins:
 * 1. MSAL nested app authentication (`createNestablePublicClientApplication`): the Office host
 *    signs the user in with their work account (redirect URI `brk-multihub://<add-in host>`);
 *    where the host has no NAA, MSAL falls back to a standard browser client by itself;
 * 2. silent first, then an interactive popup (`acquireTokenPopup`, redirect to the blank auth.html);
 * 3. hosts where neither works: Office single sign-on, `Office.auth.getAccessToken` (the
 *    manifest's WebApplicationInfo).
 * MSAL keeps its cache in sessionStorage (never localStorage); the add-in keeps no secret.
 */
import { createNestablePublicClientApplication, InteractionRequiredAuthError, type IPublicClientApplication } from '@azure/msal-browser';
import type { AddinConfig } from './config';
import { SignInError, type Authenticator } from './signin';

/** The parts of MSAL and Office.js this module uses (tests hand in fakes). */
export interface MsalDeps {
  create(config: Parameters<typeof createNestablePublicClientApplication>[0]): Promise<Pick<IPublicClientApplication, 'getActiveAccount' | 'getAllAccounts' | 'setActiveAccount' | 'acquireTokenSilent' | 'acquireTokenPopup'>>;
  officeSso?: () => Promise<string>;
  origin: string;
}

const defaultDeps = (): MsalDeps => ({
  create: createNestablePublicClientApplication,
  officeSso: typeof Office !== 'undefined' && Office.auth?.getAccessToken ? () => Office.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true }) : undefined,
  origin: globalThis.location?.origin ?? '',
});

/** MSAL's error codes a user meets, in words (its own messages are English). */
const MSAL_REASON: Record<string, string> = {
  popup_window_error: '登录窗口被浏览器拦截或无法打开，请允许本站弹出窗口后重试',
  empty_window_error: '登录窗口无法打开，请允许本站弹出窗口后重试',
  monitor_window_timeout: '登录窗口长时间没有完成，请重试',
  interaction_in_progress: '另一个登录窗口尚未关闭，请先完成或关闭它',
  no_network_connectivity: '无法连接登录服务，请检查网络',
  endpoints_resolution_error: '无法连接登录服务，请检查网络',
  consent_required: '需要同意本应用的权限，请联系管理员为单位授予同意',
  interaction_required: '需要重新登录',
  login_required: '需要重新登录',
};

/** Why a sign-in failed, in Chinese: MSAL's known codes in words, else its message with the code. */
export function signInReason(e: unknown): string {
  if (e instanceof InteractionRequiredAuthError) return MSAL_REASON[e.errorCode] ?? '需要重新登录';
  const code = (e as { errorCode?: string })?.errorCode;
  if (code && MSAL_REASON[code]) return MSAL_REASON[code];
  const message = ((e as Error)?.message ?? '').slice(0, 120);
  if (!message) return '无法打开登录窗口';
  return `${code ? `（${code}）` : ''}${message}`;
}

function cancelled(e: unknown): boolean {
  const code = (e as { errorCode?: string })?.errorCode;
  return code === 'user_cancelled';
}

export function entraAuthenticator(cfg: AddinConfig, deps: MsalDeps = defaultDeps()): Authenticator {
  let pca: ReturnType<MsalDeps['create']> | undefined;
  let ssoToken: { token: string; exp: number } | null = null;
  const scopes = [cfg.scope];
  const client = () =>
    (pca ??= deps.create({
      auth: { clientId: cfg.clientId, authority: `https://login.microsoftonline.com/${cfg.tenantId}`, redirectUri: `${deps.origin}/auth.html` },
      cache: { cacheLocation: 'sessionStorage' },
    }));

  async function silent(): Promise<string | null> {
    if (ssoToken && ssoToken.exp > Date.now() + 60_000) return ssoToken.token;
    const app = await client();
    const account = app.getActiveAccount() ?? app.getAllAccounts()[0];
    try {
      const r = await app.acquireTokenSilent({ scopes, ...(account ? { account } : {}) });
      if (r.account) app.setActiveAccount(r.account);
      return r.accessToken;
    } catch {
      return null;
    }
  }

  async function interactive(): Promise<string> {
    const app = await client();
    let popupError: unknown;
    try {
      const r = await app.acquireTokenPopup({ scopes });
      if (r.account) app.setActiveAccount(r.account);
      return r.accessToken;
    } catch (e) {
      if (cancelled(e)) throw new SignInError('已取消登录');
      popupError = e;
    }
    if (deps.officeSso) {
      try {
        const token = await deps.officeSso();
        const exp = Number(JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp) * 1000;
        ssoToken = { token, exp: Number.isFinite(exp) ? exp : Date.now() + 300_000 };
        return token;
      } catch (e) {
        const code = (e as { code?: number })?.code;
        throw new SignInError(`登录失败${code ? `（Office 错误 ${code}）` : ''}：请确认已用工作账号登录 Office，或联系管理员检查应用注册`);
      }
    }
    throw new SignInError(`登录失败：${signInReason(popupError)}`);
  }

  return {
    mode: 'entra',
    async headers(allowPrompt) {
      if (!cfg.clientId || !cfg.tenantId) {
        if (!allowPrompt) return null;
        throw new SignInError('此加载项构建时未设置 Entra ID 应用（LAND_SURVEY_ADDIN_CLIENT_ID、LAND_SURVEY_ADDIN_TENANT_ID），请联系管理员');
      }
      const token = (await silent()) ?? (allowPrompt ? await interactive() : null);
      return token ? { authorization: `Bearer ${token}` } : null;
    },
    async signIn() {
      await this.headers(true);
    },
  };
}
