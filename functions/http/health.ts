import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { authenticate, hasCredential } from '../lib/auth';
import { handle, json } from '../lib/http';
import { districtRuleSet, storageConnection } from '../lib/settings';

/**
 * GET /api/health — liveness, the rule set in force and whether storage is configured (no
 * secrets). Anonymous; when a valid sign-in token (or, in local development, key) is sent it also
 * says whose it is (`role`, `unit`), so the add-in can show the office's functions only to the office.
 */
export async function health(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const rs = districtRuleSet();
  let caller: { role: string; unit: string } | Record<string, never> = {};
  if (hasCredential(req)) {
    try {
      const p = await authenticate(req);
      caller = { role: p.role, unit: p.name };
    } catch {
      caller = {};
    }
  }
  return json({
    ...caller,
    status: 'ok',
    service: 'land-efficiency-survey',
    ruleSet: { id: rs.id, version: rs.version },
    evaluationDate: rs.evaluationDate,
    storageConfigured: storageConnection() !== undefined,
    time: new Date().toISOString(),
  });
}

app.http('health', { methods: ['GET'], authLevel: 'anonymous', route: 'health', handler: handle(health) });
