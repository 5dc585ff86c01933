import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { authenticate } from '../lib/auth';
import { listSubmissions } from '../lib/data';
import { handle, json } from '../lib/http';
import { getStore } from '../lib/storage';

/** GET /api/submissions — a department sees its own submissions, the office everyone's (newest first). */
export async function listSubmissionsHandler(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const who = await authenticate(req);
  const all = await listSubmissions(getStore(), who);
  const dept = req.query.get('department');
  const sel = who.role === 'office' && dept ? all.filter((s) => s.department === dept) : all;
  return json({ caller: { id: who.id, name: who.name, role: who.role }, submissions: sel.map(({ blob: _b, ...s }) => s) });
}

app.http('listSubmissions', { methods: ['GET'], authLevel: 'function', route: 'submissions', handler: handle(listSubmissionsHandler) });
