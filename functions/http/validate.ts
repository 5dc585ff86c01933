import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getForm } from '../../shared/forms';
import { crossCheck } from '../../shared/determine';
import type { Issue } from '../../shared/issues/issue';
import { authenticate } from '../lib/auth';
import { currentReference } from '../lib/data';
import { parseGridRequest } from '../lib/grid';
import { handle, json, readJson } from '../lib/http';
import { districtRuleSet, limits, storageConnection } from '../lib/settings';
import { readSentSheet } from '../lib/sheet';
import { getStore } from '../lib/storage';

/**
 * POST /api/validate — one sheet as the add-in read it → the issue list. A survey form is also
 * checked against the stored base map when one is stored (parcel-not-in-base, category, area).
 */
export async function validate(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  await authenticate(req);
  const lim = limits();
  const sent = parseGridRequest(await readJson(req, lim.maxJsonBytes), lim);
  const rs = districtRuleSet();
  const read = readSentSheet(sent, rs);
  const issues: Issue[] = [...read.issues];
  let checkedAgainstBase = false;
  if (getForm(read.form).kind === 'survey' && storageConnection()) {
    const base = (await currentReference(getStore(), rs)).reads.filter((r) => r.form === 'base');
    if (base.length > 0) {
      issues.push(...crossCheck([...base, read], rs).filter((i) => i.form === read.form));
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
    valid: count('error') === 0,
    counts: { error: count('error'), warning: count('warning'), info: count('info') },
    issues,
  });
}

app.http('validate', { methods: ['POST'], authLevel: 'function', route: 'validate', handler: handle(validate) });
