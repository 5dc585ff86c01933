import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getForm } from '../../shared/forms';
import { crossCheck } from '../../shared/determine';
import type { Issue } from '../../shared/issues/issue';
import { hiddenSheetsLeftOut, readWorkbook } from '../../shared/read';
import { authenticate, checkScope } from '../lib/auth';
import { currentReference, fileLabel, issuesForStreet, storeSubmission, workbookFromUpload } from '../lib/data';
import { handle, HttpError, json, readBody, requireContentType } from '../lib/http';
import { districtRuleSet, limits } from '../lib/settings';
import { getStore } from '../lib/storage';
import { XLSX_UPLOAD_TYPES } from './reference';

/**
 * POST /api/submissions — a department submits its filled workbook (xlsx). It is read and checked
 * (with the stored base map when there is one) and stored with who, when and its SHA-256; rows
 * with errors stay in the issue list and are left out when the office consolidates.
 */
export async function submit(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const who = await authenticate(req);
  const rs = districtRuleSet();
  const scope = checkScope(who, rs.streets);
  requireContentType(req, XLSX_UPLOAD_TYPES, 'Excel工作簿');
  const data = await readBody(req, limits().maxXlsxBytes);
  const file = fileLabel(req.headers.get('x-file-name') ?? req.query.get('file'), '报送.xlsx');
  const wb = await workbookFromUpload(data, file);
  const reads = readWorkbook(wb, rs);
  const refForms = reads.filter((r) => getForm(r.form).kind === 'reference');
  if (refForms.length > 0) {
    const names = refForms.map((r) => getForm(r.form).title).join('、');
    throw new HttpError(422, 'reference-in-submission', `工作簿含参考数据表（${names}），参考数据由规划资源分局上传，不能作为部门报送`, 'reference datasets cannot be submitted by a department');
  }
  const store = getStore();
  const issues: Issue[] = reads.flatMap((r) => r.issues);
  const base = (await currentReference(store, rs)).reads.filter((r) => r.form === 'base');
  if (base.length > 0) {
    const forms = new Set(reads.map((r) => r.form));
    issues.push(...issuesForStreet(crossCheck([...base, ...reads], rs).filter((i) => forms.has(i.form)), base, scope));
  }
  const counts = { errors: issues.filter((i) => i.severity === 'error').length, warnings: issues.filter((i) => i.severity === 'warning').length };
  const rec = await storeSubmission(store, who, data, file, reads, counts);
  const { blob: _blob, ...shown } = rec;
  // a hidden sheet left out because a visible one holds the same form: said, not dropped unseen
  const notices = hiddenSheetsLeftOut(wb).map((h) => h.zh);
  return json({ ...shown, checkedAgainstBase: base.length > 0, ...(notices.length ? { notices } : {}), issues }, 201);
}

app.http('submit', { methods: ['POST'], authLevel: 'function', route: 'submissions', handler: handle(submit) });
