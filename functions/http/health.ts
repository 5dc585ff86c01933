import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handle, json } from '../lib/http';
import { districtRuleSet, storageConnection } from '../lib/settings';

/** GET /api/health — liveness, the rule set in force and whether storage is configured (no secrets). */
export async function health(_req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const rs = districtRuleSet();
  return json({
    status: 'ok',
    service: 'land-efficiency-survey',
    ruleSet: { id: rs.id, version: rs.version },
    evaluationDate: rs.evaluationDate,
    storageConfigured: storageConnection() !== undefined,
    time: new Date().toISOString(),
  });
}

app.http('health', { methods: ['GET'], authLevel: 'anonymous', route: 'health', handler: handle(health) });
