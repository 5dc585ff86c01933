/**
 * The ledger (台账, pilot.md §3) as of a date D: "工作项目化、项目目标化、目标节点化、节点责任化".
 * A pure function of the projects, their milestones, the determination (optional: land areas) and D.
 * `ledgerJson` is exactly the `ledger --json` contract (interfaces.md); the rest of `Ledger` is what
 * the workbook shows besides.
 *
 * Definitions (as interfaces.md and the brief, progress.ts):
 * - done: 实际完成日期 on or before D; doneLate: done after its 计划完成日期 (one day late counts);
 * - overdue: 计划完成日期 before D and not done (due on D is not overdue); days overdue = D − planned;
 * - due60: not done, planned from D to D + 60 days, both ends included;
 * - an 实际完成日期 after D is not done as of D (the form's check reports it as milestone-in-future);
 * - milestones of a 终止 project are listed in 节点明细 as 已终止 but count nowhere;
 * - next: the earliest not-done milestone of the project (null when none).
 */
import type { ConsolidationResultJson } from '../contract';
import { contractIssue, type Issue } from '../issues/issue';
import type { ContractIssue } from '../types';
import { STATUS_TERMINATED, type ListedMilestone, type PilotMilestone, type PilotProject } from './model';
import { daysBetween } from './periods';

/** A milestone's state as of D. */
export const MILESTONE_STATES = ['按期完成', '逾期完成', '未到期', '逾期', '已终止'] as const;
export type MilestoneState = (typeof MILESTONE_STATES)[number];

/** How many days ahead `due60` looks. */
export const DUE_WINDOW_DAYS = 60;

export interface MilestoneCounts {
  total: number;
  done: number;
  doneLate: number;
  overdue: number;
  due60: number;
}

export interface LedgerProject {
  projectId: string;
  name: string;
  status: string;
  parcels: string[];
  /** m² of its parcels as determined; null without a determination or when a parcel is not in it. */
  landArea: number | null;
  milestones: MilestoneCounts;
  next: { name: string; due: string; unit: string } | null;
}

export interface LedgerOverdue {
  projectId: string;
  name: string;
  due: string;
  unit: string;
  daysOverdue: number;
}

export interface LedgerUnit {
  unit: string;
  done: number;
  doneLate: number;
  overdue: number;
  due60: number;
}

/** The JSON of `ledger --json` (interfaces.md), key for key. */
export interface LedgerJson {
  asOf: string;
  projects: LedgerProject[];
  overdue: LedgerOverdue[];
  units: LedgerUnit[];
  /** The issue objects as in consolidate's JSON (no hint). */
  issues: ContractIssue[];
}

export interface LedgerMilestone extends ListedMilestone {
  person: string | null;
  progress: string | null;
  state: MilestoneState;
  /** Days overdue (逾期) or days late (逾期完成); 0 otherwise. */
  days: number;
}

export interface Ledger extends Omit<LedgerJson, 'issues'> {
  /** The pilot's issues, with their hints (the workbook's 问题清单 shows them). */
  issues: Issue[];
  /** 节点明细: every milestone with its state, by project (ledger order), then planned date. */
  detail: LedgerMilestone[];
  /** Per project (ledger order): street, mode, lead unit and 需协调事项 for the 台账 sheet. */
  extra: Record<string, { street: string; mode: string; leadUnit: string; coordination: string | null }>;
}

export interface LedgerInput {
  projects: readonly PilotProject[];
  milestones: readonly PilotMilestone[];
  determination: ConsolidationResultJson | null;
  asOf: string;
  /** Order of units (the unit catalogue); units not in it follow by name. */
  unitOrder?: readonly string[];
  issues?: readonly Issue[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function milestoneState(m: PilotMilestone, asOf: string): { state: MilestoneState; days: number; done: boolean } {
  const done = m.actualDate !== null && m.actualDate <= asOf;
  if (done) {
    const late = (m.actualDate as string) > m.plannedDate;
    return { state: late ? '逾期完成' : '按期完成', days: late ? daysBetween(m.plannedDate, m.actualDate as string) : 0, done };
  }
  if (m.plannedDate < asOf) return { state: '逾期', days: daysBetween(m.plannedDate, asOf), done };
  return { state: '未到期', days: 0, done };
}

export function computeLedger(input: LedgerInput): Ledger {
  const { asOf } = input;
  const windowEnd = new Date(Date.parse(`${asOf}T00:00:00Z`) + DUE_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
  const area = new Map((input.determination?.parcels ?? []).map((p) => [p.parcelId, p.landArea]));
  const ofProject = new Map<string, PilotMilestone[]>();
  for (const m of input.milestones) {
    const list = ofProject.get(m.projectId);
    if (list) list.push(m);
    else ofProject.set(m.projectId, [m]);
  }
  const projects = [...input.projects].sort((a, b) => byText(a.projectId, b.projectId));
  const units = new Map<string, LedgerUnit>();
  const unit = (name: string) => {
    let u = units.get(name);
    if (!u) units.set(name, (u = { unit: name, done: 0, doneLate: 0, overdue: 0, due60: 0 }));
    return u;
  };
  const rows: LedgerProject[] = [];
  const overdue: LedgerOverdue[] = [];
  const detail: LedgerMilestone[] = [];
  const extra: Ledger['extra'] = {};
  for (const p of projects) {
    const terminated = p.status === STATUS_TERMINATED;
    const ms = [...(ofProject.get(p.projectId) ?? [])].sort((a, b) => byText(a.plannedDate, b.plannedDate) || byText(a.name, b.name));
    const counts: MilestoneCounts = { total: terminated ? 0 : ms.length, done: 0, doneLate: 0, overdue: 0, due60: 0 };
    let next: LedgerProject['next'] = null;
    for (const m of ms) {
      const st = milestoneState(m, asOf);
      detail.push({
        projectId: p.projectId, projectName: p.name, name: m.name, plannedDate: m.plannedDate, actualDate: m.actualDate, unit: m.unit,
        person: m.person ?? null, progress: m.progress ?? null, state: terminated ? '已终止' : st.state, days: terminated ? 0 : st.days,
      });
      if (terminated) continue;
      const u = unit(m.unit);
      if (st.done) {
        counts.done++;
        u.done++;
        if (st.state === '逾期完成') {
          counts.doneLate++;
          u.doneLate++;
        }
        continue;
      }
      if (next === null) next = { name: m.name, due: m.plannedDate, unit: m.unit };
      if (st.state === '逾期') {
        counts.overdue++;
        u.overdue++;
        overdue.push({ projectId: p.projectId, name: m.name, due: m.plannedDate, unit: m.unit, daysOverdue: st.days });
      } else if (m.plannedDate <= windowEnd) {
        counts.due60++;
        u.due60++;
      }
    }
    let landArea: number | null = input.determination ? 0 : null;
    for (const id of p.parcels) {
      const a = area.get(id);
      landArea = landArea === null || a === undefined ? null : landArea + a;
    }
    rows.push({ projectId: p.projectId, name: p.name, status: p.status, parcels: [...p.parcels], landArea, milestones: counts, next });
    extra[p.projectId] = { street: p.street, mode: p.mode, leadUnit: p.leadUnit, coordination: p.coordination };
  }
  overdue.sort((a, b) => byText(a.due, b.due) || byText(a.projectId, b.projectId) || byText(a.name, b.name));
  const order = input.unitOrder ?? [];
  const rank = (u: string) => {
    const i = order.indexOf(u);
    return i < 0 ? order.length : i;
  };
  const unitRows = [...units.values()].sort((a, b) => rank(a.unit) - rank(b.unit) || byText(a.unit, b.unit));
  return { asOf, projects: rows, overdue, units: unitRows, issues: [...(input.issues ?? [])], detail, extra };
}

/** Exactly the contract's keys. */
export function ledgerJson(l: Ledger): LedgerJson {
  return { asOf: l.asOf, projects: l.projects, overdue: l.overdue, units: l.units, issues: l.issues.map(contractIssue) };
}
