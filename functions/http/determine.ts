import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getForm, referenceJoin } from '../../shared/forms';
import type { DeterminedRow } from '../../shared/contract';
import { consolidate } from '../../shared/determine';
import type { ContractIssue, FormRead, ParcelResult } from '../../shared/types';
import { authenticate } from '../lib/auth';
import { currentReference, requireBase } from '../lib/data';
import { parseGridRequest } from '../lib/grid';
import { handle, HttpError, json, readJson, Timing } from '../lib/http';
import { districtRuleSet, limits } from '../lib/settings';
import { readSentSheet } from '../lib/sheet';
import { getStore } from '../lib/storage';

export type { DeterminedRow };

export function rowsWithFigures(read: FormRead, parcels: Map<string, ParcelResult>): DeterminedRow[] {
  return read.rows.map((r) => {
    const id = typeof r.values.parcelId === 'string' ? r.values.parcelId : null;
    const p = id ? parcels.get(id) : undefined;
    return {
      row: r.row,
      parcelId: id,
      hasError: r.hasError,
      result: p?.result ?? null,
      hits: p?.hits ?? [],
      missing: p?.missing ?? [],
      mode: p?.mode ?? null,
      plotRatio: p?.plotRatio ?? null,
      coverage: p?.coverage ?? null,
      taxPerMu: p?.taxPerMu ?? null,
      outputPerMu: p?.outputPerMu ?? null,
    };
  });
}

/**
 * The reference reads cut down to what the sent rows can touch: base parcels they name and
 * enterprise rows (tax, output, environment) of the USCCs they carry. Parcels and enterprises no
 * sent row refers to cannot change the sent parcels' figures (a parcel without survey rows has no
 * known tax or output, so it adds nothing to district benchmarks), and the engine then works on a
 * few thousand parcels instead of the whole district. Tested: equal to the full consolidation.
 */
export function referenceForRows(refs: FormRead[], read: FormRead): FormRead[] {
  const parcels = new Set<unknown>();
  const usccs = new Set<unknown>();
  for (const r of read.rows) {
    if (r.values.parcelId != null) parcels.add(r.values.parcelId);
    if (r.values.uscc != null) usccs.add(r.values.uscc);
  }
  return refs.map((ref) => {
    const join = referenceJoin(getForm(ref.form));
    if (join === 'parcelId') return { ...ref, rows: ref.rows.filter((r) => parcels.has(r.values.parcelId)) };
    if (join === 'uscc') return { ...ref, rows: ref.rows.filter((r) => usccs.has(r.values.uscc)) };
    return ref;
  });
}

/**
 * POST /api/determine — rows of one survey form → per-row figures and results, determined with
 * the stored base map, reference data and the district rule set. Only the sent form's own parcels
 * and issues are returned: nothing of the reference data beyond those figures.
 */
export async function determine(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const timing = new Timing();
  await authenticate(req);
  const lim = limits();
  const raw = await readJson(req, lim.maxJsonBytes);
  timing.lap('json');
  const sent = parseGridRequest(raw, lim);
  timing.lap('schema');
  const rs = districtRuleSet();
  const read = readSentSheet(sent, rs);
  timing.lap('read');
  if (getForm(read.form).kind !== 'survey') {
    throw new HttpError(400, 'not-a-survey-form', `“${getForm(read.form).title}”是参考数据表，只能对调查表（工业、商办、设施、住房）进行认定`, 'only survey forms can be determined');
  }
  const ref = await currentReference(getStore(), rs);
  requireBase(ref.reads);
  const cut = referenceForRows(ref.reads, read);
  timing.lap('reference');
  const c = consolidate([...cut, read], rs);
  timing.lap('determine');
  const byId = new Map(c.result.parcels.map((p) => [p.parcelId, p]));
  const rows = rowsWithFigures(read, byId);
  const mine = new Set(rows.map((r) => r.parcelId).filter((x): x is string => x !== null));
  const parcels = c.result.parcels.filter((p) => mine.has(p.parcelId));
  const issues: ContractIssue[] = c.result.issues.filter((i) => i.form === read.form);
  timing.lap('answer');
  const res = json({
    ruleSet: c.result.ruleSet,
    evaluationDate: c.result.evaluationDate,
    form: read.form,
    sheet: read.sheet,
    referenceVersions: Object.fromEntries(ref.versions.map((v) => [v.form, v.version])),
    rows,
    parcels,
    issues,
  });
  res.headers = { ...(res.headers as Record<string, string>), 'server-timing': timing.header() };
  return res;
}

app.http('determine', { methods: ['POST'], authLevel: 'function', route: 'determine', handler: handle(determine) });
