/**
 * The project and milestone forms as read (shared/read) → the pilot's objects (model.ts): a
 * project's rows (one per parcel) joined into one project; rows with an error-level issue are
 * left out (they are in the issue list).
 *
 * A project over several parcels, values its rows may give differently (the rows that must agree,
 * 项目名称 / 再开发模式 / 开发主体 / 牵头单位, are the checks' project-rows-disagree; the other
 * project-level fields are taken from its first row):
 * - amounts (投资估算, 预期新增税收, 预期新增产值, 万元): when every row that gives one gives the
 *   same, that is the project's figure, counted once (a total written on one row, repeated on each,
 *   or in a cell merged over the rows, which the reader copies into each); when the rows give
 *   different amounts they are the parcels' parts and the project's figure is their sum. None
 *   given: null. (A project whose parcels' parts happen to be equal is read as one total: write
 *   the total instead.)
 * - 资金来源, 实施内容, 需协调事项: every different value of the rows, in row order, joined
 *   (资金来源 with 、, the texts with ；), so that no row's is dropped; 配合单位: every unit of the rows.
 */
import type { Mode } from '../lists';
import type { FieldValue, FormRead } from '../types';
import type { Maturity, PilotMilestone, PilotProject, PlanStatus } from './model';
import { SEVERAL_JOINER } from '../forms/types';

const str = (v: FieldValue): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const num = (v: FieldValue): number | null => (typeof v === 'number' ? v : null);

/** The amounts of a project's rows (万元) → the project's figure (see the module's note). */
export function projectAmount(given: readonly number[]): number | null {
  if (given.length === 0) return null;
  if (given.every((x) => x === given[0])) return given[0];
  // to 1 元 (0.0001 万元): what the rows' amounts can hold, without the sum's binary noise
  return Math.round(given.reduce((s, x) => s + x, 0) * 1e4) / 1e4;
}

/** The amounts, in the order they are read. */
const AMOUNTS = ['investment', 'expectedTax', 'expectedOutput'] as const;
/** The values listed once each, with the text that joins them. */
const LISTED = { fundSource: '、', content: '；', coordination: '；' } as const;

interface Joining {
  project: PilotProject;
  amounts: Record<(typeof AMOUNTS)[number], number[]>;
  listed: Record<keyof typeof LISTED, string[]>;
}

export function pilotRecords(reads: readonly FormRead[]): { projects: PilotProject[]; milestones: PilotMilestone[] } {
  const byId = new Map<string, Joining>();
  const milestones: PilotMilestone[] = [];
  for (const r of reads) {
    for (const row of r.rows) {
      if (row.hasError) continue;
      const v = row.values;
      const source = { file: r.file, sheet: r.sheet, row: row.row };
      if (r.form === 'project') {
        const id = str(v.projectId) as string;
        let j = byId.get(id);
        if (!j) {
          j = {
            project: {
              projectId: id,
              name: str(v.name) as string,
              parcels: [],
              street: str(v.street) as string,
              mode: v.mode as Mode,
              developer: str(v.developer) as string,
              leadUnit: str(v.leadUnit) as string,
              status: str(v.status) as string,
              expectedTax: null,
              expectedOutput: null,
              coordination: null,
              content: '',
              planYear: num(v.planYear) ?? undefined,
              maturity: (str(v.maturity) ?? undefined) as Maturity | undefined,
              plannedStart: str(v.plannedStart),
              plannedEnd: str(v.plannedEnd) ?? undefined,
              investment: null,
              fundSource: null,
              coUnits: [],
              planStatus: (str(v.planStatus) ?? undefined) as PlanStatus | undefined,
              rows: [],
            },
            amounts: { investment: [], expectedTax: [], expectedOutput: [] },
            listed: { fundSource: [], content: [], coordination: [] },
          };
          byId.set(id, j);
        }
        for (const k of AMOUNTS) {
          const x = num(v[k]);
          if (x !== null) j.amounts[k].push(x);
        }
        for (const k of Object.keys(LISTED) as (keyof typeof LISTED)[]) {
          const t = str(v[k]);
          if (t !== null && !j.listed[k].includes(t)) j.listed[k].push(t);
        }
        const p = j.project;
        // the reader gives 配合单位 as the catalogue's full names joined by 、 (a `several` enum)
        for (const u of str(v.coUnits)?.split(SEVERAL_JOINER) ?? []) if (!p.coUnits!.includes(u)) p.coUnits!.push(u);
        const parcel = str(v.parcelId) as string;
        if (!p.parcels.includes(parcel)) p.parcels.push(parcel);
        p.rows!.push(source);
      } else if (r.form === 'milestone') {
        milestones.push({
          projectId: str(v.projectId) as string,
          name: str(v.name) as string,
          plannedDate: str(v.plannedDate) as string,
          actualDate: str(v.actualDate),
          unit: str(v.unit) as string,
          person: str(v.person),
          progress: str(v.progress),
          source,
        });
      }
    }
  }
  const projects = [...byId.values()].map(({ project: p, amounts, listed }) => {
    for (const k of AMOUNTS) p[k] = projectAmount(amounts[k]);
    // several texts: each without its own closing 。/；, so that the joining ； is the only one
    const join = (k: keyof typeof LISTED) =>
      listed[k].length === 0 ? null : listed[k].length === 1 ? listed[k][0] : listed[k].map((t) => t.replace(/[。；;，,]+$/, '')).join(LISTED[k]);
    p.fundSource = join('fundSource');
    p.content = join('content') ?? '';
    p.coordination = join('coordination');
    return p;
  });
  return { projects, milestones };
}
