/**
 * The project and milestone forms as read (shared/read) → the pilot's objects (model.ts): a
 * project's rows (one per parcel) joined into one project; rows with an error-level issue are
 * left out (they are in the issue list).
 */
import type { Mode } from '../lists';
import type { FieldValue, FormRead } from '../types';
import type { Maturity, PilotMilestone, PilotProject, PlanStatus } from './model';
import { canonicalUnit } from './units';

const str = (v: FieldValue): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const num = (v: FieldValue): number | null => (typeof v === 'number' ? v : null);

/** 配合单位 as written (several, separated by 、，,; or spaces) → catalogue names where known. */
export function splitUnits(text: string | null): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const part of text.split(/[、，,；;\s]+/)) {
    if (!part) continue;
    const name = canonicalUnit(part) ?? part;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

export function pilotRecords(reads: readonly FormRead[]): { projects: PilotProject[]; milestones: PilotMilestone[] } {
  const byId = new Map<string, PilotProject>();
  const milestones: PilotMilestone[] = [];
  for (const r of reads) {
    for (const row of r.rows) {
      if (row.hasError) continue;
      const v = row.values;
      const source = { file: r.file, sheet: r.sheet, row: row.row };
      if (r.form === 'project') {
        const id = str(v.projectId) as string;
        let p = byId.get(id);
        if (!p) {
          p = {
            projectId: id,
            name: str(v.name) as string,
            parcels: [],
            street: str(v.street) as string,
            mode: v.mode as Mode,
            developer: str(v.developer) as string,
            leadUnit: str(v.leadUnit) as string,
            status: str(v.status) as string,
            expectedTax: num(v.expectedTax),
            expectedOutput: num(v.expectedOutput),
            coordination: str(v.coordination),
            content: str(v.content) ?? '',
            planYear: num(v.planYear) ?? undefined,
            maturity: (str(v.maturity) ?? undefined) as Maturity | undefined,
            plannedStart: str(v.plannedStart),
            plannedEnd: str(v.plannedEnd) ?? undefined,
            investment: num(v.investment),
            fundSource: str(v.fundSource),
            coUnits: splitUnits(str(v.coUnits)),
            planStatus: (str(v.planStatus) ?? undefined) as PlanStatus | undefined,
            rows: [],
          };
          byId.set(id, p);
        } else {
          // figures of a project over several parcels may be given on each row or only on the first
          if (p.expectedTax === null) p.expectedTax = num(v.expectedTax);
          if (p.expectedOutput === null) p.expectedOutput = num(v.expectedOutput);
          if (p.coordination === null) p.coordination = str(v.coordination);
        }
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
  return { projects: [...byId.values()], milestones };
}
