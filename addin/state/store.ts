/**
 * The one state of the add-in, shared by the ribbon commands and the task pane (they run in the
 * same shared runtime). A tiny external store: React reads it with useSyncExternalStore.
 */
import type { FormId } from '../../shared/forms';
import type { Severity } from '../../shared/issues/catalogue';
import type { Issue } from '../../shared/issues/issue';
import type { Receipt } from '../api/schemas';

export type Role = 'office' | 'department' | 'street';
export type TaskId = 'validate' | 'determine' | 'submit' | 'uploadReference' | 'consolidate' | 'pilot' | 'clear' | 'select' | 'settings';

export interface Message {
  intent: 'success' | 'error' | 'warning' | 'info';
  text: string;
}

export interface AddinState {
  /** Role the service reported for the signed-in user (GET /api/health); null until known. */
  role: Role | null;
  /** The user's unit, as the service names it. */
  unit: string | null;
  /** The running task; `waiting` while the service is working (progress unknown, the call can be cancelled). */
  busy: { task: TaskId; label: string; progress: number | null; waiting?: boolean } | null;
  /** The checked sheet and its form. */
  sheet: string | null;
  /** Where the form sits: header row and first column (for issue locations). */
  form: { id: FormId; title: string; headerRow: number; firstCol: number } | null;
  /** Sorted as in 问题清单. */
  issues: Issue[];
  counts: Record<Severity, number>;
  /** Counts of 认定结果 after Determine. */
  results: Record<string, number> | null;
  receipt: Receipt | null;
  message: Message | null;
}

export function initialState(): AddinState {
  return {
    role: null,
    unit: null,
    busy: null,
    sheet: null,
    form: null,
    issues: [],
    counts: { error: 0, warning: 0, info: 0 },
    results: null,
    receipt: null,
    message: null,
  };
}

export function countIssues(issues: readonly Issue[]): Record<Severity, number> {
  const c = { error: 0, warning: 0, info: 0 };
  for (const i of issues) c[i.severity]++;
  return c;
}

/** Office features (汇总, reference uploads) are on only when the service says the user is the office's. */
export function isOffice(s: AddinState): boolean {
  return s.role === 'office';
}

export type Listener = () => void;

export class Store {
  private state: AddinState;
  private readonly listeners = new Set<Listener>();

  constructor(state: AddinState = initialState()) {
    this.state = state;
  }

  get = (): AddinState => this.state;

  set(patch: Partial<AddinState> | ((s: AddinState) => Partial<AddinState>)): void {
    const p = typeof patch === 'function' ? patch(this.state) : patch;
    this.state = { ...this.state, ...p };
    for (const l of [...this.listeners]) l();
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}
