/**
 * The stored data of the functions and how it is read: reference datasets (one current version
 * per form, every previous version kept) and department submissions. Parsed reference data is
 * cached in memory by its stored version, so repeated determine calls do not re-read workbooks.
 */
import { createHash } from 'node:crypto';
import { FORMS, getForm, type FormId } from '../../shared/forms';
import type { WorkbookGrid } from '../../shared/grid';
import { readWorkbook } from '../../shared/read';
import type { RuleSet } from '../../shared/rules';
import type { FormRead } from '../../shared/types';
import { readXlsx } from '../../shared/xlsx/read';
import type { Principal } from './auth';
import { HttpError, XLSX_TYPE } from './http';
import { limits, readLimits } from './settings';
import { lostRace, putIndexed, timeKey, type Entity, type Store } from './storage';
import { guardXlsx } from './xlsx-guard';

export const REFERENCE_FORMS: readonly FormId[] = FORMS.filter((f) => f.kind === 'reference').map((f) => f.id);
const CURRENT = 'current';

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Guard, then read an uploaded workbook into the plain grid. */
export async function workbookFromUpload(data: Uint8Array, file: string): Promise<WorkbookGrid> {
  guardXlsx(data, limits().maxInflatedBytes);
  return readXlsx(data, file, readLimits());
}

function ruleKey(rs: RuleSet): string {
  return `${rs.id}@${rs.version}@${rs.evaluationDate}@${JSON.stringify(rs.severities)}@${rs.countyCode}`;
}

export interface ReferenceVersion {
  form: FormId;
  version: string;
  blob: string;
  sha256: string;
  size: number;
  file: string;
  rows: number;
  uploadedAt: string;
  uploadedBy: string;
}

function toVersion(e: Entity): ReferenceVersion {
  return {
    form: (e.form ?? e.rowKey) as FormId,
    version: String(e.version),
    blob: String(e.blob),
    sha256: String(e.sha256),
    size: Number(e.size),
    file: String(e.file),
    rows: Number(e.rows),
    uploadedAt: String(e.uploadedAt),
    uploadedBy: String(e.uploadedBy),
  };
}

const refCache = new Map<string, { version: string; read: Promise<FormRead> }>();

/** Forget cached reference data (tests). */
export function clearReferenceCache(): void {
  refCache.clear();
  pointerCache = undefined;
}

/**
 * Which version of each reference form is current. Asked of Table storage at most once per
 * `LAND_SURVEY_REFERENCE_TTL_MS` (default 2000 ms) per instance, one request shared by concurrent
 * calls; an upload through this instance takes effect at once, on other instances within the TTL.
 */
let pointerCache: { store: Store; at: number; versions: Promise<ReferenceVersion[]> } | undefined;

function referenceTtlMs(): number {
  const n = Number(process.env.LAND_SURVEY_REFERENCE_TTL_MS);
  return Number.isFinite(n) && n >= 0 ? n : 2000;
}

function currentPointers(store: Store): Promise<ReferenceVersion[]> {
  const now = Date.now();
  if (pointerCache && pointerCache.store === store && now - pointerCache.at < referenceTtlMs()) return pointerCache.versions;
  const versions = store.listEntities('reference', CURRENT).then((es) => es.map(toVersion));
  const entry = { store, at: now, versions };
  versions.catch(() => {
    if (pointerCache === entry) pointerCache = undefined;
  });
  pointerCache = entry;
  return versions;
}

async function loadReference(store: Store, v: ReferenceVersion, rs: RuleSet): Promise<FormRead> {
  const wb = await workbookFromUpload(await store.getBlob(v.blob), v.file);
  const read = readWorkbook(wb, rs).find((r) => r.form === v.form);
  if (!read) throw new Error(`stored reference ${v.blob} holds no ${v.form} form`);
  return read;
}

/** The current reference reads (base first, then the other reference forms in catalogue order). */
export async function currentReference(store: Store, rs: RuleSet): Promise<{ reads: FormRead[]; versions: ReferenceVersion[] }> {
  const pointers = [...(await currentPointers(store))];
  pointers.sort((a, b) => REFERENCE_FORMS.indexOf(a.form) - REFERENCE_FORMS.indexOf(b.form));
  const rk = ruleKey(rs);
  const reads = await Promise.all(
    pointers.map((v) => {
      const key = `${v.form}|${rk}`;
      let hit = refCache.get(key);
      if (!hit || hit.version !== v.version) {
        hit = { version: v.version, read: loadReference(store, v, rs) };
        const mine = hit;
        mine.read.catch(() => {
          if (refCache.get(key) === mine) refCache.delete(key);
        });
        refCache.set(key, hit);
      }
      return hit.read;
    }),
  );
  return { reads, versions: pointers };
}

export function requireBase(reads: FormRead[]): void {
  if (!reads.some((r) => r.form === 'base')) {
    throw new HttpError(409, 'no-base', '尚未上传地块底图表（base），请规划资源分局先上传底图后再认定', 'no base map uploaded yet');
  }
}

/** Tries to move the current-version pointer when other uploads keep moving it first. */
const POINTER_TRIES = 8;

/** Stores a checked reference dataset as the new current version; the previous one stays stored. */
export async function storeReference(
  store: Store,
  form: FormId,
  data: Uint8Array,
  file: string,
  rows: number,
  who: Principal,
): Promise<{ current: ReferenceVersion; previous: string | null }> {
  const version = timeKey();
  const v: ReferenceVersion = {
    form,
    version,
    blob: `reference/${form}/${version}.xlsx`,
    sha256: sha256(data),
    size: data.byteLength,
    file,
    rows,
    uploadedAt: new Date().toISOString(),
    uploadedBy: who.id,
  };
  await putIndexed(store, v.blob, data, XLSX_TYPE, () => store.createEntity('reference', { partitionKey: form, rowKey: version, ...v }));
  // The pointer to the current version moves only from the version read here: when another upload
  // moved it meanwhile, read it again, so each answer's previousVersion is the one it replaced.
  for (let attempt = 1; ; attempt++) {
    const before = await store.getEntity('reference', CURRENT, form);
    const pointer = { partitionKey: CURRENT, rowKey: form, ...v };
    try {
      if (before) await store.replaceEntity('reference', pointer, before.etag);
      else await store.createEntity('reference', pointer);
      pointerCache = undefined;
      return { current: v, previous: before ? String(before.entity.version) : null };
    } catch (e) {
      if (!lostRace(e) || attempt >= POINTER_TRIES) throw e;
    }
  }
}

export async function referenceHistory(store: Store, form: FormId): Promise<ReferenceVersion[]> {
  return (await store.listEntities('reference', form)).map(toVersion).sort((a, b) => (a.version < b.version ? 1 : -1));
}

export interface SubmissionRecord {
  id: string;
  department: string;
  departmentName: string;
  submittedAt: string;
  sha256: string;
  size: number;
  file: string;
  forms: FormId[];
  rows: number;
  errorCount: number;
  warningCount: number;
  blob: string;
}

function toSubmission(e: Entity): SubmissionRecord {
  return {
    id: `${e.partitionKey}/${e.rowKey}`,
    department: e.partitionKey,
    departmentName: String(e.departmentName),
    submittedAt: String(e.submittedAt),
    sha256: String(e.sha256),
    size: Number(e.size),
    file: String(e.file),
    forms: String(e.forms).split(',').filter(Boolean) as FormId[],
    rows: Number(e.rows),
    errorCount: Number(e.errorCount),
    warningCount: Number(e.warningCount),
    blob: String(e.blob),
  };
}

export async function storeSubmission(
  store: Store,
  who: Principal,
  data: Uint8Array,
  file: string,
  reads: FormRead[],
  counts: { errors: number; warnings: number },
): Promise<SubmissionRecord> {
  const rk = timeKey();
  const blob = `submissions/${who.id}/${rk}.xlsx`;
  const e: Entity = {
    partitionKey: who.id,
    rowKey: rk,
    departmentName: who.name,
    submittedAt: new Date().toISOString(),
    sha256: sha256(data),
    size: data.byteLength,
    file,
    forms: reads.map((r) => r.form).join(','),
    rows: reads.reduce((n, r) => n + r.rows.length, 0),
    errorCount: counts.errors,
    warningCount: counts.warnings,
    blob,
  };
  await putIndexed(store, blob, data, XLSX_TYPE, () => store.createEntity('submissions', e));
  return toSubmission(e);
}

/** Submissions, newest first; only the caller's own unless it is the office. */
export async function listSubmissions(store: Store, who: Principal): Promise<SubmissionRecord[]> {
  const rows = await store.listEntities('submissions', who.role === 'office' ? undefined : who.id);
  return rows.map(toSubmission).sort((a, b) => (a.id.split('/')[1] < b.id.split('/')[1] ? 1 : -1));
}

/** The latest submission of every department, in department-id order. */
export function latestPerDepartment(all: SubmissionRecord[]): SubmissionRecord[] {
  const best = new Map<string, SubmissionRecord>();
  for (const s of all) {
    const b = best.get(s.department);
    if (!b || s.id > b.id) best.set(s.department, s);
  }
  return [...best.values()].sort((a, b) => (a.department < b.department ? -1 : 1));
}

const submissionCache = new Map<string, Promise<FormRead[]>>();

/** Reads of a stored submission (cached by blob name and rule set, the last 40: a stored blob never changes). */
export function readSubmission(store: Store, s: SubmissionRecord, rs: RuleSet): Promise<FormRead[]> {
  const key = `${s.blob}|${ruleKey(rs)}`;
  let p = submissionCache.get(key);
  if (!p) {
    p = (async () => readWorkbook(await workbookFromUpload(await store.getBlob(s.blob), `${s.departmentName}/${s.file}`), rs))();
    p.catch(() => submissionCache.delete(key));
    if (submissionCache.size >= 40) submissionCache.delete(submissionCache.keys().next().value as string);
    submissionCache.set(key, p);
  }
  return p;
}

const MAX_LABEL = 200;

/**
 * A header value sent as raw UTF-8 arrives as one character per byte (Node reads header bytes as
 * Latin-1): `å·¥ä¸è¡¨.xlsx` for 工业表.xlsx. Such a value is decoded again when its bytes are valid
 * UTF-8; anything else is kept as it came.
 */
function utf8FromLatin1(s: string): string {
  if (!/[\u0080-\u00ff]/.test(s) || /[^\u0000-\u00ff]/.test(s)) return s;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(s, 'latin1'));
  } catch {
    return s;
  }
}

/**
 * A safe file label from a client-given name (header `x-file-name`, URI-encoded or raw UTF-8, or
 * `?file=`): the last path part, without control characters or lone surrogates, at most 200
 * characters with its extension kept.
 */
export function fileLabel(raw: string | null | undefined, fallback: string): string {
  let name = utf8FromLatin1(raw ?? '');
  try {
    name = decodeURIComponent(name);
  } catch {
    /* keep as sent */
  }
  name = name.split(/[\\/]/).pop() ?? '';
  name = name.replace(/[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '').trim();
  if (name.length > MAX_LABEL) {
    const ext = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? '';
    name = Array.from(name.slice(0, name.length - ext.length)).slice(0, MAX_LABEL - ext.length).join('') + ext;
  }
  return name || fallback;
}

export function formTitle(form: FormId): string {
  return getForm(form).title;
}

/**
 * The cross-form issues a caller may see: for a street office (`scope`, its 街道), none about
 * another street's parcel (they quote the base map's area and 地类 of it); everyone else sees all.
 */
export function issuesForStreet<T extends { parcelId: string | null }>(issues: readonly T[], base: readonly FormRead[], scope: string | null): T[] {
  if (scope === null) return [...issues];
  const streetOf = new Map<unknown, unknown>();
  for (const b of base) for (const r of b.rows) streetOf.set(r.values.parcelId, r.values.street);
  return issues.filter((i) => i.parcelId === null || !streetOf.has(i.parcelId) || streetOf.get(i.parcelId) === scope);
}
