import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getForm, referenceJoin } from '../../shared/forms';
import type { DeterminedRow } from '../../shared/contract';
import { consolidate } from '../../shared/determine';
import type { Consolidation, ContractIssue, FormRead, ParcelResult } from '../../shared/types';
import { authenticate, streetScope } from '../lib/auth';
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
 * The sent form's issues; on the rows of withheld parcels only those the sheet itself shows (the
 * reader's), not the cross-form ones.
 */
function answerIssues(c: Consolidation, read: FormRead, withheld: ReadonlySet<string>): ContractIssue[] {
  const all = c.result.issues;
  if (withheld.size === 0) return all.filter((i) => i.form === read.form);
  const hidden = new Set<number>();
  for (const r of read.rows) if (typeof r.values.parcelId === 'string' && withheld.has(r.values.parcelId)) hidden.add(r.row);
  const own = new Set(read.issues);
  const out: ContractIssue[] = [];
  for (let i = 0; i < all.length; i++) {
    const is = all[i];
    if (is.form !== read.form) continue;
    // on a withheld row, or about a withheld parcel as a whole (area-mismatch has no row): only the sheet's own
    const about = (is.row !== null && hidden.has(is.row)) || (is.parcelId !== null && withheld.has(is.parcelId));
    if (about && !own.has(c.issues[i])) continue;
    out.push(is);
  }
  return out;
}

/**
 * POST /api/determine — rows of one survey form → per-row figures and results, determined with
 * the stored base map, reference data and the district rule set. Only the sent form's own parcels
 * and issues are returned: nothing of the reference data beyond those figures. A street office
 * gets them only for the parcels of its own street (the base map's 街道): the rows on other
 * streets' parcels come back without figures and without the cross-form issues (which quote the
 * bureaus' and the base map's figures), and `withheld` names those parcels.
 */
export async function determine(req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const timing = new Timing();
  const who = await authenticate(req);
  const lim = limits();
  const raw = await readJson(req, lim.maxJsonBytes);
  timing.lap('json');
  const sent = parseGridRequest(raw, lim);
  timing.lap('schema');
  const rs = districtRuleSet();
  const scope = streetScope(who, rs.streets);
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
  const named = new Set(read.rows.map((r) => r.values.parcelId).filter((x): x is string => typeof x === 'string'));
  const withheld = new Set(scope === null ? [] : c.result.parcels.filter((p) => named.has(p.parcelId) && p.street !== scope).map((p) => p.parcelId));
  const byId = new Map(c.result.parcels.filter((p) => !withheld.has(p.parcelId)).map((p) => [p.parcelId, p]));
  const rows = rowsWithFigures(read, byId);
  const parcels = c.result.parcels.filter((p) => named.has(p.parcelId) && !withheld.has(p.parcelId));
  const issues = answerIssues(c, read, withheld);
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
    ...(scope === null ? {} : { withheld: { street: scope, parcelIds: [...withheld] } }),
  });
  res.headers = { ...(res.headers as Record<string, string>), 'server-timing': timing.header() };
  return res;
}

app.http('determine', { methods: ['POST'], authLevel: 'function', route: 'determine', handler: handle(determine) });
