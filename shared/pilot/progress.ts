/**
 * The work brief (工作简报, every two months) and the half-year progress report (工作进展情况报告)
 * of pilot.md §3, as computed objects: pure functions of the projects, their milestones, the
 * determination and the as-of date. The same object is the command's `--json` and the source of
 * every figure and table of the Word document (`docx.ts`), so nothing in the document is typed.
 *
 * Definitions (all "up to the as-of date D"):
 * - a milestone is done when its 实际完成日期 is on or before D, late when done after its
 *   计划完成日期; overdue when planned before D and not done (days overdue = D − planned);
 * - a project has started when its 开工 milestone is done, completed when its 竣工 milestone is;
 * - a project is 盘活 when its 项目状态 is 已盘活; its 盘活 date is the latest 实际完成日期 of its
 *   done milestones (none: it counts in the total, in no period);
 * - projects 终止 are out of every count; their milestones are neither due nor overdue;
 * - the period figures count what happened from the period's first day to D; 下步计划 lists the
 *   milestones not done and planned in the next period.
 */
import type { ConsolidationResultJson } from '../contract';
import { mu } from '../determine/util';
import { MODES, type Mode } from '../lists';
import type { Comparison } from './compare';
import {
  briefPeriodOf, daysBetween, halfYearOf, nextBriefPeriod, nextHalfYear, within,
  type BriefPeriod, type HalfYear, type Period,
} from './periods';

import { MILESTONE_COMPLETED, MILESTONE_STARTED, STATUS_REVITALISED, STATUS_TERMINATED, type PilotMilestone, type PilotProject } from './model';

export type { PilotMilestone, PilotProject } from './model';

export interface ProgressInput {
  projects: readonly PilotProject[];
  milestones: readonly PilotMilestone[];
  determination: ConsolidationResultJson;
  asOf: string;
  /** Order of units in the tables (the unit catalogue); units not in it follow by name. */
  unitOrder?: readonly string[];
}

export interface ModeRow {
  mode: Mode;
  projects: number;
  parcels: number;
  /** m² of the projects' parcels (as determined). */
  area: number;
  areaMu: number;
  started: number;
  completed: number;
  revitalised: number;
  revitalisedAreaMu: number;
}

export interface Overview {
  lowParcels: number;
  lowArea: number;
  lowAreaMu: number;
  projects: number;
  projectParcels: number;
  projectAreaMu: number;
  startedInPeriod: number;
  startedTotal: number;
  completedInPeriod: number;
  completedTotal: number;
  revitalisedInPeriod: number;
  revitalisedTotal: number;
  revitalisedAreaMuInPeriod: number;
  revitalisedAreaMuTotal: number;
  byMode: ModeRow[];
}

export interface DoneMilestone {
  projectId: string;
  projectName: string;
  name: string;
  plannedDate: string;
  actualDate: string;
  unit: string;
  late: boolean;
}

export interface OverdueMilestone {
  projectId: string;
  projectName: string;
  name: string;
  plannedDate: string;
  unit: string;
  daysOverdue: number;
}

export interface UnitOverdue {
  unit: string;
  count: number;
  milestones: OverdueMilestone[];
}

export interface DueMilestone {
  projectId: string;
  projectName: string;
  name: string;
  plannedDate: string;
  unit: string;
}

export interface Coordination {
  projectId: string;
  projectName: string;
  leadUnit: string;
  text: string;
}

export interface HalfYearModeArea {
  /** `2025H1` */
  half: string;
  label: string;
  areaMu: Record<Mode, number>;
}

export interface ProgressCommon {
  asOf: string;
  period: Period;
  next: Period;
  overview: Overview;
  /** 本期主要工作: milestones done in the period (by project, then date). */
  done: DoneMilestone[];
  /** 存在问题: overdue milestones by unit, oldest first within a unit. */
  overdueByUnit: UnitOverdue[];
  overdueTotal: number;
  coordination: Coordination[];
  /** 下步计划: milestones not done, planned in the next period. */
  nextDue: DueMilestone[];
  /** The chart: land brought back into use (亩) per mode per half year, 2024H1 to D's half. */
  revitalisedByHalfYear: HalfYearModeArea[];
}

export interface Brief extends ProgressCommon {
  kind: 'brief';
  period: BriefPeriod;
  next: BriefPeriod;
  issue: number;
}

export interface CaseParcel {
  parcelId: string;
  street: string;
  category: string;
  result: string | null;
  hits: string[];
  landArea: number | null;
  plotRatio: number | null;
  taxPerMu: number | null;
  outputPerMu: number | null;
}

export interface RevitalisationCase {
  projectId: string;
  name: string;
  mode: Mode;
  developer: string;
  leadUnit: string;
  revitalisedOn: string | null;
  parcels: CaseParcel[];
  areaMu: number;
  expectedTax: number | null;
  expectedOutput: number | null;
}

export interface Report extends ProgressCommon {
  kind: 'report';
  period: HalfYear;
  next: HalfYear;
  /** 盘活案例: projects 已盘活 in the half year. */
  cases: RevitalisationCase[];
  /** The change of the survey, when an older determination was given. */
  surveyChange: Comparison | null;
}

const ACTIVE = (p: PilotProject) => p.status !== STATUS_TERMINATED;

interface Ctx {
  asOf: string;
  projects: PilotProject[];
  byId: Map<string, PilotProject>;
  milestones: PilotMilestone[];
  area: Map<string, number>;
  unitRank: (u: string) => [number, string];
}

function context(input: ProgressInput): Ctx {
  const projects = input.projects.filter(ACTIVE);
  const byId = new Map(projects.map((p) => [p.projectId, p]));
  const milestones = input.milestones.filter((m) => byId.has(m.projectId));
  const area = new Map(input.determination.parcels.map((p) => [p.parcelId, p.landArea]));
  const order = new Map((input.unitOrder ?? []).map((u, i) => [u, i]));
  return { asOf: input.asOf, projects, byId, milestones, area, unitRank: (u) => [order.get(u) ?? Number.MAX_SAFE_INTEGER, u] };
}

const isDone = (m: PilotMilestone, asOf: string) => m.actualDate !== null && m.actualDate <= asOf;

function projectArea(ctx: Ctx, p: PilotProject): number {
  return p.parcels.reduce((s, id) => s + (ctx.area.get(id) ?? 0), 0);
}

/** Date a milestone called `name` was done (≤ D), or null. */
function doneDate(ctx: Ctx, projectId: string, name: string): string | null {
  let best: string | null = null;
  for (const m of ctx.milestones) if (m.projectId === projectId && m.name === name && isDone(m, ctx.asOf) && (best === null || m.actualDate! < best)) best = m.actualDate;
  return best;
}

/** 盘活 date: the latest done milestone of an 已盘活 project; null when not 盘活 or none done. */
function revitalisedOn(ctx: Ctx, p: PilotProject): string | null {
  let last: string | null = null;
  for (const m of ctx.milestones) if (m.projectId === p.projectId && isDone(m, ctx.asOf) && (last === null || m.actualDate! > last)) last = m.actualDate;
  return last;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function overview(ctx: Ctx, input: ProgressInput, period: Period): Overview {
  const low = input.determination.parcels.filter((p) => p.result === '低效');
  const lowArea = low.reduce((s, p) => s + p.landArea, 0);
  const byMode = new Map<Mode, ModeRow>(MODES.map((m) => [m, { mode: m, projects: 0, parcels: 0, area: 0, areaMu: 0, started: 0, completed: 0, revitalised: 0, revitalisedAreaMu: 0 }]));
  const o: Overview = {
    lowParcels: low.length, lowArea, lowAreaMu: mu(lowArea),
    projects: ctx.projects.length, projectParcels: 0, projectAreaMu: 0,
    startedInPeriod: 0, startedTotal: 0, completedInPeriod: 0, completedTotal: 0,
    revitalisedInPeriod: 0, revitalisedTotal: 0, revitalisedAreaMuInPeriod: 0, revitalisedAreaMuTotal: 0,
    byMode: [],
  };
  const to = ctx.asOf;
  let projectArea_ = 0;
  for (const p of ctx.projects) {
    const area = projectArea(ctx, p);
    const row = byMode.get(p.mode)!;
    row.projects++;
    row.parcels += p.parcels.length;
    row.area += area;
    o.projectParcels += p.parcels.length;
    projectArea_ += area;
    const started = doneDate(ctx, p.projectId, MILESTONE_STARTED);
    if (started) {
      o.startedTotal++;
      row.started++;
      if (within(started, period.start, to)) o.startedInPeriod++;
    }
    const completed = doneDate(ctx, p.projectId, MILESTONE_COMPLETED);
    if (completed) {
      o.completedTotal++;
      row.completed++;
      if (within(completed, period.start, to)) o.completedInPeriod++;
    }
    if (p.status === STATUS_REVITALISED) {
      o.revitalisedTotal++;
      o.revitalisedAreaMuTotal += mu(area);
      row.revitalised++;
      row.revitalisedAreaMu += mu(area);
      if (within(revitalisedOn(ctx, p), period.start, to)) {
        o.revitalisedInPeriod++;
        o.revitalisedAreaMuInPeriod += mu(area);
      }
    }
  }
  o.projectAreaMu = mu(projectArea_);
  for (const r of byMode.values()) r.areaMu = mu(r.area);
  o.byMode = [...byMode.values()];
  return o;
}

function common(input: ProgressInput, period: Period, next: Period): Omit<ProgressCommon, 'period' | 'next'> & { period: Period; next: Period } {
  const ctx = context(input);
  const name = (id: string) => ctx.byId.get(id)!.name;
  const order = new Map(ctx.projects.map((p, i) => [p.projectId, i]));
  const done: DoneMilestone[] = ctx.milestones
    .filter((m) => isDone(m, ctx.asOf) && within(m.actualDate, period.start, ctx.asOf))
    .map((m) => ({ projectId: m.projectId, projectName: name(m.projectId), name: m.name, plannedDate: m.plannedDate, actualDate: m.actualDate!, unit: m.unit, late: m.actualDate! > m.plannedDate }))
    .sort((a, b) => order.get(a.projectId)! - order.get(b.projectId)! || cmp(a.actualDate, b.actualDate));
  const overdue: OverdueMilestone[] = ctx.milestones
    .filter((m) => m.plannedDate < ctx.asOf && !isDone(m, ctx.asOf))
    .map((m) => ({ projectId: m.projectId, projectName: name(m.projectId), name: m.name, plannedDate: m.plannedDate, unit: m.unit, daysOverdue: daysBetween(m.plannedDate, ctx.asOf) }));
  const units = new Map<string, OverdueMilestone[]>();
  for (const m of overdue) {
    const l = units.get(m.unit) ?? [];
    l.push(m);
    units.set(m.unit, l);
  }
  const overdueByUnit = [...units.entries()]
    .map(([unit, ms]) => ({ unit, count: ms.length, milestones: ms.sort((a, b) => cmp(a.plannedDate, b.plannedDate) || cmp(a.projectId, b.projectId)) }))
    .sort((a, b) => {
      const [ra, na] = ctx.unitRank(a.unit);
      const [rb, nb] = ctx.unitRank(b.unit);
      return ra - rb || cmp(na, nb);
    });
  const coordination = ctx.projects
    .filter((p) => p.status !== STATUS_REVITALISED && p.coordination && p.coordination.trim() !== '')
    .map((p) => ({ projectId: p.projectId, projectName: p.name, leadUnit: p.leadUnit, text: p.coordination!.trim() }));
  const nextDue = ctx.milestones
    .filter((m) => !isDone(m, ctx.asOf) && within(m.plannedDate, next.start, next.end))
    .map((m) => ({ projectId: m.projectId, projectName: name(m.projectId), name: m.name, plannedDate: m.plannedDate, unit: m.unit }))
    .sort((a, b) => cmp(a.plannedDate, b.plannedDate) || order.get(a.projectId)! - order.get(b.projectId)!);
  return {
    asOf: input.asOf,
    period,
    next,
    overview: overview(ctx, input, period),
    done,
    overdueByUnit,
    overdueTotal: overdue.length,
    coordination,
    nextDue,
    revitalisedByHalfYear: byHalfYear(ctx),
  };
}

function byHalfYear(ctx: Ctx): HalfYearModeArea[] {
  const out: HalfYearModeArea[] = [];
  const last = halfYearOf(ctx.asOf);
  for (let h = halfYearOf('2024-01-01'); ; h = nextHalfYear(h)) {
    out.push({ half: `${h.year}H${h.half}`, label: `${h.year}年${h.half === 1 ? '上' : '下'}半年`, areaMu: Object.fromEntries(MODES.map((m) => [m, 0])) as Record<Mode, number> });
    if (h.start === last.start) break;
  }
  const index = new Map(out.map((x, i) => [x.half, i]));
  for (const p of ctx.projects) {
    if (p.status !== STATUS_REVITALISED) continue;
    const on = revitalisedOn(ctx, p);
    if (!on || on < '2024-01-01') continue;
    const h = halfYearOf(on);
    out[index.get(`${h.year}H${h.half}`)!].areaMu[p.mode] += mu(projectArea(ctx, p));
  }
  return out;
}

/** The work brief for the two-month period that holds `asOf`. */
export function computeBrief(input: ProgressInput): Brief {
  const period = briefPeriodOf(input.asOf);
  const next = nextBriefPeriod(period);
  const c = common(input, period, next);
  return { kind: 'brief', ...c, period, next, issue: period.issue };
}

/** The progress report for the half year that holds `asOf`; `surveyChange` from compare when given. */
export function computeReport(input: ProgressInput, surveyChange: Comparison | null = null): Report {
  const period = halfYearOf(input.asOf);
  const next = nextHalfYear(period);
  const c = common(input, period, next);
  const ctx = context(input);
  const parcels = new Map(input.determination.parcels.map((p) => [p.parcelId, p]));
  const cases: RevitalisationCase[] = ctx.projects
    .filter((p) => p.status === STATUS_REVITALISED && within(revitalisedOn(ctx, p), period.start, input.asOf))
    .map((p) => ({
      projectId: p.projectId,
      name: p.name,
      mode: p.mode,
      developer: p.developer,
      leadUnit: p.leadUnit,
      revitalisedOn: revitalisedOn(ctx, p),
      parcels: p.parcels.map((id) => {
        const d = parcels.get(id);
        return {
          parcelId: id, street: d?.street ?? p.street, category: d?.category ?? '', result: d?.result ?? null, hits: d ? [...d.hits] : [],
          landArea: d?.landArea ?? null, plotRatio: d?.plotRatio ?? null, taxPerMu: d?.taxPerMu ?? null, outputPerMu: d?.outputPerMu ?? null,
        };
      }),
      areaMu: mu(projectArea(ctx, p)),
      expectedTax: p.expectedTax,
      expectedOutput: p.expectedOutput,
    }));
  return { kind: 'report', ...c, period, next, cases, surveyChange };
}
