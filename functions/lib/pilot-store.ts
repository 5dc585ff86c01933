/**
 * Storage of the pilot's sheets (pilot.md §5): every milestone sheet a unit submits and every
 * project sheet the office submits is kept — never overwritten — with who and when, so the
 * ledger can be rebuilt as of any date from what was known then.
 *
 * Table `pilot`: partition `<kind>.<unit id>` (kind `milestone` or `project`), row key the time
 * key of the submission (sorts by time); blob `pilot/<kind>/<unit id>/<row key>.xlsx` (a workbook
 * as sent) or `.json` (a sheet sent as JSON by the add-in, stored as the validated grid).
 *
 * As of a date D: for each unit, its latest submission made on or before the end of D in the
 * district's time zone (China Standard Time, UTC+8); a unit's later submission replaces its earlier
 * one for all later dates, the earlier one stays stored and still answers for earlier dates.
 */
import { todayInDistrict } from '../../shared/pilot/periods';
import type { Principal } from './auth';
import { sha256 } from './data';
import { HttpError, XLSX_TYPE } from './http';
import { putIndexed, timeKey, type Entity, type Store } from './storage';

export type PilotKind = 'milestone' | 'project';
export const PILOT_KINDS: readonly PilotKind[] = ['milestone', 'project'];

export interface PilotSubmission {
  /** `<kind>.<unit id>/<row key>`. */
  id: string;
  kind: PilotKind;
  /** The submitting unit's id (its role's id) and name. */
  unit: string;
  unitName: string;
  /** The unit-catalogue name the submission was checked against (pilot.md §1). */
  catalogueUnit: string;
  submittedAt: string;
  /** `xlsx` (a workbook as sent) or `grid` (one sheet as JSON). */
  format: 'xlsx' | 'grid';
  sha256: string;
  size: number;
  file: string;
  sheet: string;
  rows: number;
  errorCount: number;
  warningCount: number;
  blob: string;
}

/** What a route has learnt about the sheet before it is stored. */
export interface PilotSubmissionMeta {
  catalogueUnit: string;
  file: string;
  sheet: string;
  rows: number;
  errorCount: number;
  warningCount: number;
}

const partition = (kind: PilotKind, unit: string) => `${kind}.${unit}`;

function toRecord(e: Entity): PilotSubmission {
  const [kind, ...rest] = e.partitionKey.split('.');
  return {
    id: `${e.partitionKey}/${e.rowKey}`,
    kind: kind as PilotKind,
    unit: rest.join('.'),
    unitName: String(e.unitName),
    catalogueUnit: String(e.catalogueUnit),
    submittedAt: String(e.submittedAt),
    format: e.format === 'grid' ? 'grid' : 'xlsx',
    sha256: String(e.sha256),
    size: Number(e.size),
    file: String(e.file),
    sheet: String(e.sheet ?? ''),
    rows: Number(e.rows),
    errorCount: Number(e.errorCount),
    warningCount: Number(e.warningCount),
    blob: String(e.blob),
  };
}

/** Stores one submission as a new record; nothing earlier is changed. */
export async function storePilotSubmission(
  store: Store,
  who: Principal,
  kind: PilotKind,
  data: Uint8Array,
  format: 'xlsx' | 'grid',
  meta: PilotSubmissionMeta,
  now = new Date(),
): Promise<PilotSubmission> {
  const rk = timeKey(now);
  const blob = `pilot/${kind}/${who.id}/${rk}.${format === 'grid' ? 'json' : 'xlsx'}`;
  const e: Entity = {
    partitionKey: partition(kind, who.id),
    rowKey: rk,
    unitName: who.name,
    catalogueUnit: meta.catalogueUnit,
    submittedAt: now.toISOString(),
    format,
    sha256: sha256(data),
    size: data.byteLength,
    file: meta.file,
    sheet: meta.sheet,
    rows: meta.rows,
    errorCount: meta.errorCount,
    warningCount: meta.warningCount,
    blob,
  };
  await putIndexed(store, blob, data, format === 'grid' ? 'application/json' : XLSX_TYPE, () => store.createEntity('pilot', e));
  return toRecord(e);
}

/** Every stored submission of `kind` (of one unit when `unit` is given), newest first. */
export async function listPilotSubmissions(store: Store, kind: PilotKind, unit?: string): Promise<PilotSubmission[]> {
  const rows = await store.listEntities('pilot', unit === undefined ? undefined : partition(kind, unit));
  return rows
    .filter((e) => e.partitionKey.startsWith(`${kind}.`))
    .map(toRecord)
    .sort((a, b) => (a.submittedAt === b.submittedAt ? (a.id < b.id ? 1 : -1) : a.submittedAt < b.submittedAt ? 1 : -1));
}

/** The district's time zone offset (China Standard Time, no daylight saving). */
const CST_OFFSET_MS = 8 * 3600 * 1000;

/** The instant just after the end of `date` (YYYY-MM-DD) in China Standard Time. */
export function endOfDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 24 * 3600 * 1000 - CST_OFFSET_MS);
}

/** Today's date in China Standard Time (the default as-of date). */
export function todayCst(now = new Date()): string {
  return todayInDistrict(now);
}

/**
 * The submissions in force as of `asOf` (YYYY-MM-DD): per unit, its latest one submitted on or
 * before the end of that day (UTC+8). In unit-id order.
 */
export function inForceAsOf(all: readonly PilotSubmission[], asOf: string): PilotSubmission[] {
  const limit = endOfDay(asOf).toISOString();
  const best = new Map<string, PilotSubmission>();
  for (const s of all) {
    if (s.submittedAt >= limit) continue;
    const b = best.get(s.unit);
    if (!b || s.submittedAt > b.submittedAt || (s.submittedAt === b.submittedAt && s.id > b.id)) best.set(s.unit, s);
  }
  return [...best.values()].sort((a, b) => (a.unit < b.unit ? -1 : 1));
}
