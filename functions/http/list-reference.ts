import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { authenticate, requireOffice } from '../lib/auth';
import { REFERENCE_FORMS, referenceHistory } from '../lib/data';
import { handle, json } from '../lib/http';
import { getStore } from '../lib/storage';

/**
 * GET /api/reference (office only) — every stored version of each reference dataset, newest
 * first, with who uploaded it, when, its rows and SHA-256; `current` marks the one in use.
 */
export async function listReference(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const who = await authenticate(req);
  requireOffice(who, '查看参考数据', 'list the reference data');
  const store = getStore();
  const current = new Map((await store.listEntities('reference', 'current')).map((e) => [e.rowKey, String(e.version)]));
  const forms = await Promise.all(
    REFERENCE_FORMS.map(async (form) => ({
      form,
      versions: (await referenceHistory(store, form)).map(({ blob: _b, ...v }) => ({ ...v, current: current.get(form) === v.version })),
    })),
  );
  return json({ reference: forms });
}

app.http('listReference', { methods: ['GET'], authLevel: 'function', route: 'reference', handler: handle(listReference) });
