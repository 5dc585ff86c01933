import { PassThrough } from 'node:stream';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { consolidate as runConsolidation } from '../../shared/determine';
import { withEvaluationDate } from '../../shared/rules';
import { authenticate, requireOffice } from '../lib/auth';
import { currentReference, latestPerDepartment, listSubmissions, readSubmission, requireBase } from '../lib/data';
import { handle, HttpError, json, parseDateParam, xlsxResponse } from '../lib/http';
import { districtRuleSet } from '../lib/settings';
import { getStore } from '../lib/storage';

/**
 * POST /api/consolidate (office only) — the latest submission of every department with the stored
 * reference data → the submission workbook (default) or, with `?format=json` or
 * `Accept: application/json`, the JSON result of the contract.
 * `?evaluationDate=YYYY-MM-DD` overrides the rule set's evaluation date for this call.
 */
export async function consolidateHandler(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const who = await authenticate(req);
  requireOffice(who, '汇总认定', 'consolidate the submissions');
  const format = req.query.get('format') ?? ((req.headers.get('accept') ?? '').includes('application/json') ? 'json' : 'xlsx');
  if (format !== 'json' && format !== 'xlsx') {
    throw new HttpError(400, 'bad-format', `format 须为 json 或 xlsx，收到“${format.slice(0, 20)}”`, 'format must be json or xlsx');
  }
  let rs = districtRuleSet();
  const date = req.query.get('evaluationDate');
  if (date) {
    rs = withEvaluationDate(rs, parseDateParam(date, 'evaluationDate', '评价基准日')!);
  }
  const store = getStore();
  const ref = await currentReference(store, rs);
  requireBase(ref.reads);
  const latest = latestPerDepartment(await listSubmissions(store, who));
  const submitted = (await Promise.all(latest.map((s) => readSubmission(store, s, rs)))).flat();
  const c = runConsolidation([...ref.reads, ...submitted], rs);
  if (format === 'json') return json(c.result);
  const { writeSubmission } = await import('../../shared/xlsx/submission');
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (d: Buffer) => chunks.push(d));
  await writeSubmission(c, rs, sink);
  return xlsxResponse(new Uint8Array(Buffer.concat(chunks)), `河东区低效用地调查认定报送表_${rs.evaluationDate}.xlsx`);
}

app.http('consolidate', { methods: ['POST'], authLevel: 'function', route: 'consolidate', handler: handle(consolidateHandler) });
