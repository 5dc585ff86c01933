/**
 * The annual implementation plan (年度实施计划) for year Y of pilot.md §3, "成熟一批、推动一批", as
 * a computed object (the data of the plan workbook's sheets): a pure function of the projects,
 * their milestones and the determination.
 *
 * Definitions and decisions:
 * - projects 终止 or 已盘活 are in no batch (nothing left to plan);
 * - 成熟一批: 成熟度 成熟 and 计划年度 Y; 推动一批: 成熟度 推动 (any year), and 成熟 ones of a later
 *   year. 成熟 projects of an earlier year are in neither (they are under way: the ledger follows
 *   them), nor are projects without 成熟度 or 计划年度;
 * - 计划汇总 counts the projects of both batches: projects, parcels, land area (m², 亩) by mode ×
 *   street (the project's 街道; streets in order of first appearance, modes in MODES order, only
 *   pairs with a project), by mode, and by batch (成熟一批 vs 推动一批);
 * - land area: the project's parcels' landArea in the determination (a parcel not in it adds
 *   nothing); null when no determination is given;
 * - 进度时序: the milestones of projects not 终止 planned in Y, counted by month × unit;
 * - 责任清单: per unit, the batch projects it leads (牵头) or supports (配合), and its milestones of Y;
 *   units in `unitOrder` (the unit catalogue), others after by name;
 * - 待纳入地块: 低效 parcels of the determination in no project that is not 终止, in the
 *   determination's order (empty without a determination).
 */
import type { ConsolidationResultJson } from '../contract';
import { mu } from '../determine/util';
import { MODES, type Mode } from '../lists';
import { STATUS_REVITALISED, STATUS_TERMINATED, type ListedMilestone, type Maturity, type PilotMilestone, type PilotProject } from './model';

export interface PlanInput {
  projects: readonly PilotProject[];
  milestones: readonly PilotMilestone[];
  determination: ConsolidationResultJson | null;
  /** Order of units (the unit catalogue); units not in it follow by name. */
  unitOrder?: readonly string[];
}

export interface PlanProject {
  projectId: string;
  name: string;
  street: string;
  mode: Mode;
  developer: string;
  content: string | null;
  planYear: number | null;
  maturity: Maturity;
  status: string;
  plannedStart: string | null;
  plannedEnd: string | null;
  leadUnit: string;
  coUnits: string[];
  parcels: string[];
  landArea: number | null;
  landAreaMu: number | null;
  investment: number | null;
  fundSource: string | null;
}

export interface PlanFigures {
  projects: number;
  parcels: number;
  /** m², null without a determination. */
  area: number | null;
  areaMu: number | null;
}

export interface PlanSummaryRow extends PlanFigures {
  mode: Mode;
  street: string;
}

export interface PlanMilestone extends ListedMilestone {
  /** 1–12. */
  month: number;
}

export interface ScheduleRow {
  unit: string;
  /** Milestones per month, January first (12 entries). */
  months: number[];
  total: number;
}

export interface UnitResponsibility {
  unit: string;
  projects: { projectId: string; name: string; role: '牵头' | '配合' }[];
  milestones: PlanMilestone[];
}

export interface CandidateParcel {
  parcelId: string;
  street: string;
  category: string;
  mode: Mode | null;
  hits: string[];
  landArea: number;
  areaMu: number;
}

export interface Plan {
  year: number;
  summary: {
    byModeStreet: PlanSummaryRow[];
    byMode: (PlanFigures & { mode: Mode })[];
    /** 成熟一批 vs 推动一批. */
    byBatch: (PlanFigures & { batch: '成熟一批' | '推动一批' })[];
    total: PlanFigures;
  };
  /** 成熟一批. */
  mature: PlanProject[];
  /** 推动一批. */
  push: PlanProject[];
  /** 进度时序: milestones of Y by month × unit, and the milestones themselves (by date). */
  schedule: ScheduleRow[];
  milestones: PlanMilestone[];
  /** 责任清单. */
  responsibilities: UnitResponsibility[];
  /** 待纳入地块. */
  candidates: CandidateParcel[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function computePlan(input: PlanInput, year: number): Plan {
  const area = input.determination ? new Map(input.determination.parcels.map((x) => [x.parcelId, x.landArea])) : null;
  const landArea = (p: PilotProject) => (area ? p.parcels.reduce((s, id) => s + (area.get(id) ?? 0), 0) : null);
  const open = (p: PilotProject) => p.status !== STATUS_TERMINATED && p.status !== STATUS_REVITALISED;
  const toPlan = (p: PilotProject): PlanProject => {
    const a = landArea(p);
    return {
      projectId: p.projectId, name: p.name, street: p.street, mode: p.mode, developer: p.developer,
      content: p.content ?? null, planYear: p.planYear ?? null, maturity: p.maturity!, status: p.status,
      plannedStart: p.plannedStart ?? null, plannedEnd: p.plannedEnd ?? null, leadUnit: p.leadUnit,
      coUnits: [...(p.coUnits ?? [])], parcels: [...p.parcels], landArea: a, landAreaMu: a === null ? null : mu(a),
      investment: p.investment ?? null, fundSource: p.fundSource ?? null,
    };
  };
  const mature = input.projects.filter((p) => open(p) && p.maturity === '成熟' && p.planYear === year).map(toPlan);
  const push = input.projects
    .filter((p) => open(p) && (p.maturity === '推动' || (p.maturity === '成熟' && p.planYear !== undefined && p.planYear > year)))
    .map(toPlan);
  const batch = [...mature, ...push];

  const figures = (ps: readonly PlanProject[]): PlanFigures => {
    const a = area ? ps.reduce((s, p) => s + (p.landArea ?? 0), 0) : null;
    return { projects: ps.length, parcels: ps.reduce((s, p) => s + p.parcels.length, 0), area: a, areaMu: a === null ? null : mu(a) };
  };
  const streets = [...new Set(batch.map((p) => p.street))];
  const byModeStreet: PlanSummaryRow[] = [];
  for (const mode of MODES)
    for (const street of streets) {
      const ps = batch.filter((p) => p.mode === mode && p.street === street);
      if (ps.length) byModeStreet.push({ mode, street, ...figures(ps) });
    }

  const ids = new Map(input.projects.map((p) => [p.projectId, p]));
  const milestones: PlanMilestone[] = input.milestones
    .map((m, seq) => ({ m, seq }))
    .filter(({ m }) => ids.has(m.projectId) && ids.get(m.projectId)!.status !== STATUS_TERMINATED && m.plannedDate.startsWith(`${year}-`))
    .sort((a, b) => cmp(a.m.plannedDate, b.m.plannedDate) || a.seq - b.seq)
    .map(({ m }) => ({
      projectId: m.projectId, projectName: ids.get(m.projectId)!.name, name: m.name, plannedDate: m.plannedDate,
      actualDate: m.actualDate, unit: m.unit, month: Number(m.plannedDate.slice(5, 7)),
    }));

  const rank = new Map((input.unitOrder ?? []).map((u, i) => [u, i]));
  const byUnit = (a: string, b: string) => (rank.get(a) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b) ?? Number.MAX_SAFE_INTEGER) || cmp(a, b);
  const schedule: ScheduleRow[] = [...new Set(milestones.map((m) => m.unit))].sort(byUnit).map((unit) => {
    const months = new Array<number>(12).fill(0);
    for (const m of milestones) if (m.unit === unit) months[m.month - 1]++;
    return { unit, months, total: months.reduce((s, n) => s + n, 0) };
  });

  const units = new Set<string>(milestones.map((m) => m.unit));
  for (const p of batch) {
    units.add(p.leadUnit);
    for (const u of p.coUnits) units.add(u);
  }
  const responsibilities: UnitResponsibility[] = [...units].sort(byUnit).map((unit) => ({
    unit,
    projects: batch.flatMap((p): UnitResponsibility['projects'] =>
      p.leadUnit === unit ? [{ projectId: p.projectId, name: p.name, role: '牵头' }]
        : p.coUnits.includes(unit) ? [{ projectId: p.projectId, name: p.name, role: '配合' }] : []),
    milestones: milestones.filter((m) => m.unit === unit),
  }));

  const inProject = new Set(input.projects.filter((p) => p.status !== STATUS_TERMINATED).flatMap((p) => p.parcels));
  const candidates: CandidateParcel[] = (input.determination?.parcels ?? [])
    .filter((x) => x.result === '低效' && !inProject.has(x.parcelId))
    .map((x) => ({ parcelId: x.parcelId, street: x.street, category: x.category, mode: x.mode, hits: [...x.hits], landArea: x.landArea, areaMu: mu(x.landArea) }));

  return {
    year,
    summary: {
      byModeStreet,
      byMode: MODES.map((mode) => ({ mode, ...figures(batch.filter((p) => p.mode === mode)) })),
      byBatch: [
        { batch: '成熟一批', ...figures(mature) },
        { batch: '推动一批', ...figures(push) },
      ],
      total: figures(batch),
    },
    mature,
    push,
    schedule,
    milestones,
    responsibilities,
    candidates,
  };
}
