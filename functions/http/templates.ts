import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { authenticate } from '../lib/auth';
import { formFromParam } from '../lib/grid';
import { handle, xlsxResponse } from '../lib/http';

/** GET /api/templates/{form} — the standard blank workbook of a form. exceljs loads only here. */
export async function templates(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  await authenticate(req);
  const form = formFromParam(req.params.form);
  const { writeTemplate } = await import('../../shared/xlsx/template');
  const data = await writeTemplate(form.id);
  return xlsxResponse(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), `${form.title}.xlsx`);
}

app.http('templates', { methods: ['GET'], authLevel: 'function', route: 'templates/{form}', handler: handle(templates) });
