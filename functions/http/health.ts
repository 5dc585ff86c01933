import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { authenticate, hasCredential } from '../lib/auth';
import { handle, HttpError, json } from '../lib/http';
import { districtRuleSet, storageConnection } from '../lib/settings';
import { getStore } from '../lib/storage';

/** How long health waits for the storage to answer. */
const STORAGE_PING_MS = 1500;

/**
 * GET /api/health — liveness, the rule set in force, whether storage is configured and answers
 * (`storage`: ok, unreachable, refused (it answers but not to our key), not-configured; no
 * secrets). Anonymous; when a valid sign-in token (or, in local development, key) is sent it also
 * says whose it is (`role`, `unit`), so the add-in can show the office's functions only to the office.
 * A credential that is sent but not accepted names nobody: `refused` says why (expired, another
 * audience, no unit role, the signing keys unreachable …), so the pane can tell the user what to do.
 */
export async function health(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const rs = districtRuleSet();
  let caller: { role: string; unit: string } | { refused: { status: number; error: string; message: string; messageEn: string } } | Record<string, never> = {};
  if (hasCredential(req)) {
    try {
      const p = await authenticate(req);
      caller = { role: p.role, unit: p.name };
    } catch (e) {
      caller =
        e instanceof HttpError
          ? { refused: { status: e.status, error: e.code, message: e.messageZh, messageEn: e.messageEn } }
          : { refused: { status: 500, error: 'internal-error', message: '服务器未能核验登录', messageEn: 'the sign-in could not be checked' } };
    }
  }
  return json({
    ...caller,
    status: 'ok',
    service: 'land-efficiency-survey',
    ruleSet: { id: rs.id, version: rs.version },
    evaluationDate: rs.evaluationDate,
    storageConfigured: storageConnection() !== undefined,
    storage: storageConnection() === undefined ? 'not-configured' : await getStore().ping(STORAGE_PING_MS),
    time: new Date().toISOString(),
  });
}

app.http('health', { methods: ['GET'], authLevel: 'anonymous', route: 'health', handler: handle(health) });
