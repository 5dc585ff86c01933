/**
 * The pilot's objects after the survey (pilot.md §1): a project (its rows of the project form
 * joined, one entry per project) and a milestone (one row of the milestone form). The lists are
 * the forms' enumerations, defined once here; the forms catalogue (shared/forms/project.ts,
 * milestone.ts) takes them from here, and so do the computations (progress, ledger, plan).
 */
import type { Mode } from '../lists';

export const PROJECT_STATUSES = ['谋划', '前期', '实施中', '已盘活', '暂缓', '终止'] as const;
export const MATURITIES = ['成熟', '推动'] as const;
export const PLAN_STATUSES = ['未编制', '编制中', '已批准'] as const;
export const FUND_SOURCES = ['财政资金', '企业自筹', '社会资本', '专项债', '银行贷款', '其他'] as const;
/** The usual milestone names, in the order a project passes them; other names are free text. */
export const MILESTONE_NAMES = ['方案编制', '方案批准', '收储完成', '供地', '规划许可', '施工许可', '开工', '竣工', '投产运营'] as const;

export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export type Maturity = (typeof MATURITIES)[number];
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** Milestone names the computations look for. */
export const MILESTONE_STARTED = '开工';
export const MILESTONE_COMPLETED = '竣工';
/** Statuses with their own meaning in the counts. */
export const STATUS_REVITALISED: ProjectStatus = '已盘活';
export const STATUS_TERMINATED: ProjectStatus = '终止';
export const STATUS_IN_PROGRESS: ProjectStatus = '实施中';

/** Where a row came from, for issues on its cells. */
export interface RowSource {
  file: string;
  sheet: string;
  /** 1-based Excel row. */
  row: number;
}

/** One project: the rows of the project form with one 项目编号 joined (one row per parcel). */
export interface PilotProject {
  projectId: string;
  name: string;
  /** 宗地代码 of its rows, in sheet order, without repeats. */
  parcels: string[];
  /** 街道 of its first row (a project over several streets lists the first). */
  street: string;
  mode: Mode;
  developer: string;
  leadUnit: string;
  status: string;
  /** 预期新增税收, 预期新增产值 (万元/年), 投资估算 below: one amount given once or the same on every row, else the rows' sum (read.ts). */
  expectedTax: number | null;
  expectedOutput: number | null;
  /** 需协调事项, 实施内容 and 资金来源 below: every different value of the rows, in row order, joined (read.ts). */
  coordination: string | null;
  /** 实施内容. */
  content?: string;
  /** 计划年度. */
  planYear?: number;
  maturity?: Maturity;
  plannedStart?: string | null;
  plannedEnd?: string;
  /** 投资估算(万元). */
  investment?: number | null;
  fundSource?: string | null;
  /** 配合单位, catalogue names: every unit of its rows, in row order (read.ts). */
  coUnits?: string[];
  planStatus?: PlanStatus;
  /** The form rows it was joined from (one per parcel). */
  rows?: RowSource[];
}

/** A milestone as listed under its project in the ledger and the plan. */
export interface ListedMilestone {
  projectId: string;
  projectName: string;
  name: string;
  plannedDate: string;
  actualDate: string | null;
  unit: string;
}

export interface PilotMilestone {
  projectId: string;
  name: string;
  plannedDate: string;
  actualDate: string | null;
  /** 责任单位, a catalogue name. */
  unit: string;
  /** 责任人. */
  person?: string | null;
  /** 进展情况. */
  progress?: string | null;
  source?: RowSource;
}
