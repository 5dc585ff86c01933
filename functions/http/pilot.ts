import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { consolidate as runConsolidation } from '../../shared/determine';
import { contractIssue, type Issue } from '../../shared/issues/issue';
import { compareDeterminations } from '../../shared/pilot/compare';
import { computeLedger, ledgerJson } from '../../shared/pilot/ledger';
import { computePlan } from '../../shared/pilot/plan';
import type { PilotMilestone, PilotProject } from '../../shared/pilot/model';
import { computeBrief, computeReport } from '../../shared/pilot/progress';
import { beforeReporting, FIRST_BRIEF_YEAR } from '../../shared/pilot/periods';
import { pilotIssues } from '../../shared/pilot/checks';
import { pilotRecords } from '../../shared/pilot/read';
import { consolidationResultSchema, type ConsolidationResultJson } from '../../shared/contract';
import { canonicalUnit, UNIT_NAMES } from '../../shared/pilot/units';
import { readWorkbook } from '../../shared/read';
import type { FormRead } from '../../shared/types';
import { authenticate, requireOffice, type Principal } from '../lib/auth';
import { currentReference, fileLabel, latestPerDepartment, listSubmissions, readSubmission, workbookFromUpload } from '../lib/data';
import { attachment, handle, HttpError, json, parseDateParam, readBody, readJson, requireContentType, xlsxResponse } from '../lib/http';
import { zhCN } from '../lib/grid';
import { inForceAsOf, listPilotSubmissions, storePilotSubmission, todayCst, type PilotKind } from '../lib/pilot-store';
import { districtRuleSet, limits } from '../lib/settings';
import { getStore, type Store } from '../lib/storage';
import { XLSX_UPLOAD_TYPES } from './reference';

/**
 * The pilot's routes (pilot.md §5, issue 11 item 5):
 * - POST /api/pilot/milestones — a unit submits its milestone sheet (xlsx); every row must be the
 *   unit's own (责任单位), else 403; kept with who and when, never overwritten.
 * - POST /api/pilot/projects — the office submits the project sheet.
 * - GET  /api/pilot/milestones?asOf=, /api/pilot/projects?asOf= — what was in force as of the date;
 *   a unit sees only its own milestones and the projects it leads, assists or has milestones in.
 * - GET  /api/pilot/plan?year=&format=json|xlsx, POST /api/pilot/compare ({old, new}: two results),
 * - GET  /api/pilot/ledger?asOf=&format=json|xlsx, /api/pilot/brief?asOf=&format=json|docx,
 *   /api/pilot/report?asOf=&format=json|docx — the office's outputs, from the sheets in force as of
 *   the date and the determination of the stored survey data.
 */

const FORM_OF: Record<PilotKind, 'milestone' | 'project'> = { milestone: 'milestone', project: 'project' };
const KIND_TITLE: Record<PilotKind, string> = { milestone: '项目节点表', project: '低效用地再开发项目表' };
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The caller's unit as a catalogue name; 403 when it is not one of the pilot's units. */
export function callerUnit(who: Principal): string {
  const u = canonicalUnit(who.name);
  if (u === null) throw new HttpError(403, 'not-a-pilot-unit', `${who.name}不在试点工作专班成员单位和街道名录中，不能报送或查看试点项目`, 'the caller is not one of the pilot units');
  return u;
}

async function readPilotUpload(data: Uint8Array, file: string, kind: PilotKind): Promise<FormRead[]> {
  const reads = readWorkbook(await workbookFromUpload(data, file), districtRuleSet()).filter((r) => r.form === FORM_OF[kind]);
  if (reads.length === 0) throw new HttpError(422, 'no-pilot-form', `工作簿中没有${KIND_TITLE[kind]}`, `the workbook holds no ${kind} form`);
  return reads;
}

function submitRoute(kind: PilotKind) {
  return async (req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> => {
    const who = await authenticate(req);
    if (kind === 'project') requireOffice(who, '报送项目表', 'submit the project form');
    const unit = callerUnit(who);
    requireContentType(req, XLSX_UPLOAD_TYPES, 'Excel工作簿');
    const data = await readBody(req, limits().maxXlsxBytes);
    const file = fileLabel(req.headers.get('x-file-name') ?? req.query.get('file'), `${KIND_TITLE[kind]}.xlsx`);
    const reads = await readPilotUpload(data, file, kind);
    if (kind === 'milestone' && who.role !== 'office') {
      const foreign = pilotRecords(reads).milestones.filter((m) => m.unit !== unit);
      if (foreign.length > 0) {
        const rows = foreign.slice(0, 5).map((m) => `第${m.source?.row ?? '?'}行（${m.unit}）`).join('、');
        throw new HttpError(403, 'foreign-milestones', `节点表中有其他单位负责的节点：${rows}${foreign.length > 5 ? ` 等${foreign.length}个` : ''}，只能报送本单位（${unit}）负责的节点`, 'the sheet holds milestones of other units');
      }
    }
    const { issues } = pilotIssues({ reads, determination: null, asOf: todayCst() });
    const rec = await storePilotSubmission(getStore(), who, kind, data, 'xlsx', {
      catalogueUnit: unit,
      file,
      sheet: reads.map((r) => r.sheet).join('、'),
      rows: reads.reduce((s, r) => s + r.rows.length, 0),
      errorCount: issues.filter((i) => i.severity === 'error').length,
      warningCount: issues.filter((i) => i.severity === 'warning').length,
    });
    const { blob: _blob, ...shown } = rec;
    return json({ ...shown, issues }, 201);
  };
}

/** The projects and milestones of every sheet in force as of `asOf`. */
export async function pilotAsOf(
  store: Store,
  asOf: string,
  determination: ConsolidationResultJson | null = null,
): Promise<{ projects: PilotProject[]; milestones: PilotMilestone[]; issues: Issue[]; fileOf: (is: Issue) => string }> {
  const reads: FormRead[] = [];
  for (const kind of ['project', 'milestone'] as const) {
    for (const s of inForceAsOf(await listPilotSubmissions(store, kind), asOf)) {
      reads.push(...(await readPilotUpload(await store.getBlob(s.blob), `${s.unitName}/${s.file}`, kind)));
    }
  }
  return { ...pilotRecords(reads), ...pilotIssues({ reads, determination, asOf }) };
}

/** What a unit may see: its own milestones, and the projects it leads, assists or has milestones in. */
export function visibleTo(unit: string, all: { projects: PilotProject[]; milestones: PilotMilestone[] }): { projects: PilotProject[]; milestones: PilotMilestone[] } {
  const milestones = all.milestones.filter((m) => m.unit === unit);
  const mine = new Set(milestones.map((m) => m.projectId));
  const projects = all.projects.filter((p) => p.leadUnit === unit || (p.coUnits ?? []).includes(unit) || mine.has(p.projectId));
  return { projects, milestones };
}

function asOfParam(req: HttpRequest): string {
  return parseDateParam(req.query.get('asOf'), 'asOf', '截至日期') ?? todayCst();
}

function listRoute(kind: PilotKind) {
  return async (req: HttpRequest): Promise<HttpResponseInit> => {
    const who = await authenticate(req);
    const asOf = asOfParam(req);
    const all = await pilotAsOf(getStore(), asOf);
    const seen = who.role === 'office' ? all : visibleTo(callerUnit(who), all);
    return json(kind === 'milestone' ? { asOf, milestones: seen.milestones } : { asOf, projects: seen.projects });
  };
}

/** The determination of the stored survey data (as POST /api/consolidate computes it). */
async function storedDetermination(store: Store, who: Principal) {
  const rs = districtRuleSet();
  const ref = await currentReference(store, rs);
  if (!ref.reads.some((r) => r.form === 'base')) {
    throw new HttpError(409, 'no-determination', '尚未上传地块底图，无法认定；请先完成调查数据汇总', 'no base map stored yet: nothing is determined');
  }
  const latest = latestPerDepartment(await listSubmissions(store, who));
  const submitted = (await Promise.all(latest.map((s) => readSubmission(store, s, rs)))).flat();
  return runConsolidation([...ref.reads, ...submitted], rs).result;
}

function formatParam(req: HttpRequest, file: 'xlsx' | 'docx'): 'json' | 'xlsx' | 'docx' {
  const f = req.query.get('format') ?? file;
  if (f !== 'json' && f !== file) throw new HttpError(400, 'bad-format', `format 须为 json 或 ${file}，收到“${f.slice(0, 20)}”`, `format must be json or ${file}`);
  return f;
}

async function ledgerRoute(req: HttpRequest): Promise<HttpResponseInit> {
  const who = await authenticate(req);
  requireOffice(who, '生成项目台账', 'build the project ledger');
  const asOf = asOfParam(req);
  const format = formatParam(req, 'xlsx');
  const store = getStore();
  let determination: ConsolidationResultJson | null = null;
  try {
    determination = await storedDetermination(store, who);
  } catch (e) {
    if (!(e instanceof HttpError && e.status === 409)) throw e;
  }
  const inputs = await pilotAsOf(store, asOf, determination);
  const l = computeLedger({ projects: inputs.projects, milestones: inputs.milestones, issues: inputs.issues, determination, asOf, unitOrder: UNIT_NAMES });
  if (format === 'json') return json(ledgerJson(l));
  const { writeLedger } = await import('../../shared/pilot/ledger-xlsx');
  return xlsxResponse(await toBytes((sink) => writeLedger(l, sink, { fileOf: inputs.fileOf })), `低效用地再开发项目台账_${asOf}.xlsx`);
}

function documentRoute(kind: 'brief' | 'report') {
  return async (req: HttpRequest): Promise<HttpResponseInit> => {
    const who = await authenticate(req);
    requireOffice(who, kind === 'brief' ? '生成工作简报' : '生成进展报告', kind === 'brief' ? 'build the work brief' : 'build the progress report');
    const asOf = asOfParam(req);
    if (beforeReporting(asOf)) throw new HttpError(400, 'bad-date', `截至日期${asOf}早于试点报告期（自${FIRST_BRIEF_YEAR}年1–2月第1期起）`, `asOf ${asOf} is before the pilot's reporting periods (from ${FIRST_BRIEF_YEAR})`);
    const format = formatParam(req, 'docx');
    const store = getStore();
    const { projects, milestones } = await pilotAsOf(store, asOf);
    const input = { projects, milestones, determination: await storedDetermination(store, who), asOf, unitOrder: UNIT_NAMES };
    const doc = kind === 'brief' ? computeBrief(input) : computeReport(input);
    if (format === 'json') return json(doc);
    const { renderBriefDocx, renderReportDocx } = await import('../../shared/pilot/docx');
    const bytes = doc.kind === 'brief' ? await renderBriefDocx(doc) : await renderReportDocx(doc);
    const name = doc.kind === 'brief' ? `工作简报第${doc.issue}期_${asOf}.docx` : `工作进展情况报告_${asOf}.docx`;
    return { status: 200, body: bytes, headers: { 'content-type': DOCX_TYPE, 'content-disposition': attachment(name), 'cache-control': 'no-store' } };
  };
}

async function planRoute(req: HttpRequest): Promise<HttpResponseInit> {
  const who = await authenticate(req);
  requireOffice(who, '生成年度实施计划', 'build the annual plan');
  const raw = req.query.get('year') ?? '';
  const year = Number(raw);
  if (!/^\d{4}$/.test(raw) || year < 2024 || year > 2035) throw new HttpError(400, 'bad-year', `计划年度（year）须为 2024—2035 的四位年份，收到“${raw.slice(0, 20)}”`, 'year must be YYYY (2024-2035)');
  const format = formatParam(req, 'xlsx');
  const store = getStore();
  const asOf = todayCst();
  const determination = await storedDetermination(store, who);
  const { projects, milestones, issues, fileOf } = await pilotAsOf(store, asOf, determination);
  const plan = computePlan({ projects, milestones, determination, unitOrder: UNIT_NAMES }, year);
  if (format === 'json') return json({ ...plan, issues: issues.map(contractIssue) });
  const { writePlan } = await import('../../shared/pilot/plan-xlsx');
  return xlsxResponse(await toBytes((sink) => writePlan(plan, sink, { issues, fileOf })), `低效用地再开发${year}年度实施计划.xlsx`);
}

/** POST /api/pilot/compare — `{ "old": <result>, "new": <result> }` (two consolidate JSON results) → the comparison. */
async function compareRoute(req: HttpRequest): Promise<HttpResponseInit> {
  const who = await authenticate(req);
  requireOffice(who, '对比两次认定', 'compare two determinations');
  const format = formatParam(req, 'xlsx');
  const doc = (await readJson(req, limits().maxJsonBytes)) as { old?: unknown; new?: unknown } | null;
  const side = (v: unknown, name: 'old' | 'new', zh: string) => {
    const r = consolidationResultSchema.safeParse(v, { error: zhCN });
    if (!r.success) {
      const first = r.error.issues[0];
      const at = [name, ...first.path].join('.');
      throw new HttpError(400, 'not-a-determination', `${zh}（${name}）不是认定结果（consolidate 的 JSON）：${at}：${first.message}`, `${name} is not a determination (consolidate's JSON): ${at}`);
    }
    return r.data;
  };
  const c = compareDeterminations(side(doc?.old, 'old', '原认定'), side(doc?.new, 'new', '新认定'));
  if (format === 'json') return json(c);
  const { writeComparison } = await import('../../shared/pilot/compare-xlsx');
  return xlsxResponse(await toBytes((sink) => writeComparison(c, sink)), '低效用地认定前后对比表.xlsx');
}

async function toBytes(write: (sink: import('node:stream').Writable) => Promise<void>): Promise<Uint8Array> {
  const { PassThrough } = await import('node:stream');
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (d: Buffer) => chunks.push(d));
  await write(sink);
  return new Uint8Array(Buffer.concat(chunks));
}

app.http('pilotPlan', { methods: ['GET'], authLevel: 'function', route: 'pilot/plan', handler: handle(planRoute) });
app.http('pilotCompare', { methods: ['POST'], authLevel: 'function', route: 'pilot/compare', handler: handle(compareRoute) });
app.http('pilotSubmitMilestones', { methods: ['POST'], authLevel: 'function', route: 'pilot/milestones', handler: handle(submitRoute('milestone')) });
app.http('pilotSubmitProjects', { methods: ['POST'], authLevel: 'function', route: 'pilot/projects', handler: handle(submitRoute('project')) });
app.http('pilotMilestones', { methods: ['GET'], authLevel: 'function', route: 'pilot/milestones/list', handler: handle(listRoute('milestone')) });
app.http('pilotProjects', { methods: ['GET'], authLevel: 'function', route: 'pilot/projects/list', handler: handle(listRoute('project')) });
app.http('pilotLedger', { methods: ['GET'], authLevel: 'function', route: 'pilot/ledger', handler: handle(ledgerRoute) });
app.http('pilotBrief', { methods: ['GET'], authLevel: 'function', route: 'pilot/brief', handler: handle(documentRoute('brief')) });
app.http('pilotReport', { methods: ['GET'], authLevel: 'function', route: 'pilot/report', handler: handle(documentRoute('report')) });
