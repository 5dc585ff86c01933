import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getForm } from '../../shared/forms';
import { crossCheck } from '../../shared/determine';
import type { Issue } from '../../shared/issues/issue';
import type { FormRead } from '../../shared/types';
import { authenticate, checkScope } from '../lib/auth';
import { currentReference, issuesForStreet } from '../lib/data';
import { parseGridRequest } from '../lib/grid';
import { handle, HttpError, json, readJson } from '../lib/http';
import { districtRuleSet, limits, storageConnection } from '../lib/settings';
import { readSentSheet } from '../lib/sheet';
import { getStore } from '../lib/storage';

/**
 * POST /api/validate — one sheet as the add-in read it → the issue list. A survey form is also
 * checked against the stored base map when one is stored (parcel-not-in-base, category, area).
 * When the storage cannot be reached the sheet's own checks are still answered, with
 * `checkedAgainstBase: false` and a `notice` saying why.
 */
export async function validate(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const who = await authenticate(req);
  const lim = limits();
  const sent = parseGridRequest(await readJson(req, lim.maxJsonBytes), lim);
  const rs = districtRuleSet();
  const scope = checkScope(who, rs.streets);
  const read = readSentSheet(sent, rs);
  const issues: Issue[] = [...read.issues];
  let checkedAgainstBase = false;
  let notice: string | undefined;
  if (getForm(read.form).kind === 'survey' && storageConnection()) {
    let base: FormRead[] = [];
    try {
      base = (await currentReference(getStore(), rs)).reads.filter((r) => r.form === 'base');
    } catch (e) {
      if (!(e instanceof HttpError && e.code === 'storage-unavailable')) throw e;
      notice = '存储服务暂时无法连接，本次未对照地块底图检查（宗地是否在底图中、地类、面积）';
    }
    if (base.length > 0) {
      // a street office is not told the base map's figures (area, 地类) of another street's parcels
      issues.push(...issuesForStreet(crossCheck([...base, read], rs).filter((i) => i.form === read.form), base, scope));
      checkedAgainstBase = true;
    }
  }
  const count = (s: Issue['severity']) => issues.filter((i) => i.severity === s).length;
  return json({
    form: read.form,
    sheet: read.sheet,
    headerRow: read.headerRow,
    rows: read.rows.length,
    checkedAgainstBase,
    ...(notice ? { notice } : {}),
    valid: count('error') === 0,
    counts: { error: count('error'), warning: count('warning'), info: count('info') },
    issues,
  });
}

app.http('validate', { methods: ['POST'], authLevel: 'function', route: 'validate', handler: handle(validate) });
