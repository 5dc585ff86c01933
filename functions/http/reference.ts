import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { readWorkbook } from '../../shared/read';
import { authenticate, requireOffice } from '../lib/auth';
import { fileLabel, REFERENCE_FORMS, storeReference, workbookFromUpload } from '../lib/data';
import { formFromParam } from '../lib/grid';
import { handle, HttpError, json, readBody, requireContentType, XLSX_TYPE } from '../lib/http';
import { districtRuleSet, limits } from '../lib/settings';
import { getStore } from '../lib/storage';

export const XLSX_UPLOAD_TYPES = [XLSX_TYPE, 'application/octet-stream'] as const;

/**
 * PUT /api/reference/{form} (office only) — upload a reference dataset (base, tax, taxBenchmark,
 * output, outputBenchmark, environment) as xlsx. It is read and checked first; when it cannot be
 * used as a whole (a required column missing, no usable row, or with `?strict=true` any error)
 * nothing is stored (422 with the issue list). Otherwise it becomes the current version, the
 * previous version stays stored, and rows with errors are reported (and not used).
 */
export async function putReference(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const who = await authenticate(req);
  requireOffice(who, '上传参考数据', 'upload reference data');
  const form = formFromParam(req.params.form);
  if (!REFERENCE_FORMS.includes(form.id)) {
    throw new HttpError(400, 'not-a-reference-form', `“${form.title}”是调查表，不是参考数据；参考数据为：${REFERENCE_FORMS.join('、')}`, `${form.id} is not a reference dataset`);
  }
  requireContentType(req, XLSX_UPLOAD_TYPES, 'Excel工作簿');
  const data = await readBody(req, limits().maxXlsxBytes);
  const file = fileLabel(req.headers.get('x-file-name') ?? req.query.get('file'), `${form.title}.xlsx`);
  const rs = districtRuleSet();
  const reads = readWorkbook(await workbookFromUpload(data, file), rs);
  const read = reads.find((r) => r.form === form.id);
  if (!read) {
    const found = reads.map((r) => r.form).join('、');
    throw new HttpError(422, 'form-not-found', `工作簿中没有“${form.title}”（识别到：${found}）`, `the workbook holds no ${form.id} form (found: ${found})`);
  }
  // Unusable as a whole (a missing required column, or not one usable row): nothing is replaced.
  // Single rows with errors are reported and left out of determination, as in consolidation.
  const sheetErrors = read.issues.filter((i) => i.severity === 'error' && i.row === null);
  const usable = read.rows.filter((r) => !r.hasError).length;
  const strict = req.query.get('strict') === 'true';
  const rowErrors = read.issues.filter((i) => i.severity === 'error' && i.row !== null).length;
  if (sheetErrors.length > 0 || usable === 0 || (strict && rowErrors > 0)) {
    const why = sheetErrors.length > 0 ? sheetErrors.map((i) => i.message).join('；') : usable === 0 ? '没有一行可用的数据' : `${rowErrors}处错误（strict=true）`;
    throw new HttpError(422, 'reference-rejected', `“${form.title}”未通过检查（${why}），未替换现有数据，请更正后重新上传`, 'the dataset failed its checks; the stored data was not replaced', read.issues);
  }
  const { current, previous } = await storeReference(getStore(), form.id, data, file, read.rows.length, who);
  return json(
    {
      form: form.id,
      version: current.version,
      previousVersion: previous,
      sha256: current.sha256,
      rows: current.rows,
      uploadedAt: current.uploadedAt,
      issues: read.issues,
    },
    201,
  );
}

app.http('putReference', { methods: ['PUT'], authLevel: 'function', route: 'reference/{form}', handler: handle(putReference) });
