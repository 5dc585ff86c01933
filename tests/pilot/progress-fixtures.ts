/**
 * A hand-worked pilot set as of 2026-12-06 (2026 11–12, 第18期; half year 2026 H2). Parcels as
 * determined: A 10000 m² 低效, B 6000 低效, C 20000 低效, D 3000 非低效, E 5000 低效, F 非低效.
 * - P1 技改升级 on A+B (24 亩), 实施中: 方案批准 done early; 开工 planned 10-31, done 11-05 (late,
 *   in the period); 竣工 planned 2027-01-15 (next period); needs 供电扩容.
 * - P2 因地招商 on C (30 亩), 已盘活: 开工 2025-06-30 on time, 竣工 2026-06-10 (H1), 投产运营
 *   2026-11-20 (盘活 date, in the period); its coordination text is not listed (已盘活).
 * - P3 收储出让 on D (4.5 亩), 前期: 收储完成 planned 09-30 not done (67 days overdue, 区国资委);
 *   规划许可 planned 11-15 with an actual date after the as-of date (not done: 21 days overdue,
 *   市规划资源局河东分局); 方案编制 planned on the as-of date (not yet overdue); 供地 2027-02-28.
 * - P4 整合重组 on E, 终止: out of every count, its overdue milestone too.
 * - a milestone of an unknown project: ignored.
 */
import type { PilotMilestone, PilotProject, ProgressInput } from '../../shared/pilot/progress';
import { determination, low, parcel } from './fixtures';

const project = (over: Partial<PilotProject> & Pick<PilotProject, 'projectId' | 'mode' | 'parcels' | 'status'>): PilotProject => ({
  name: `${over.projectId}项目`, street: '大王庄街道', developer: '某某公司', leadUnit: '区产业发展促进局',
  expectedTax: null, expectedOutput: null, coordination: null, ...over,
});
const ms = (projectId: string, name: string, plannedDate: string, actualDate: string | null, unit = '区住房城乡建设委'): PilotMilestone => ({ projectId, name, plannedDate, actualDate, unit });

export const AS_OF = '2026-12-06';

export const UNIT_ORDER = ['市规划资源局河东分局', '区发展改革委', '区财政局', '区住房城乡建设委', '区国资委', '区产业发展促进局'];

export function progressInput(asOf = AS_OF): ProgressInput {
  return {
    asOf,
    unitOrder: UNIT_ORDER,
    determination: determination('2026-06-30', [
      parcel('A', low(['IND-PLOT'])),
      parcel('B', { ...low(['IND-TAX']), landArea: 6000 }),
      parcel('C', { ...low(['IND-IDLE'], '因地招商'), landArea: 20000, plotRatio: 0.3, taxPerMu: 1.5, outputPerMu: 20 }),
      parcel('D', { landArea: 3000 }),
      parcel('E', { ...low(['IND-STOP'], '整合重组'), landArea: 5000 }),
      parcel('F'),
    ]),
    projects: [
      project({ projectId: 'HD-2026-001', mode: '技改升级', parcels: ['A', 'B'], status: '实施中', coordination: ' 需协调供电扩容 ' }),
      project({ projectId: 'HD-2026-002', mode: '因地招商', parcels: ['C'], status: '已盘活', expectedTax: 300, expectedOutput: 8000, coordination: '已解决' }),
      project({ projectId: 'HD-2026-003', mode: '收储出让', parcels: ['D'], status: '前期', leadUnit: '市规划资源局河东分局' }),
      project({ projectId: 'HD-2026-004', mode: '整合重组', parcels: ['E'], status: '终止' }),
    ],
    milestones: [
      ms('HD-2026-001', '方案批准', '2026-03-31', '2026-03-30', '市规划资源局河东分局'),
      ms('HD-2026-001', '开工', '2026-10-31', '2026-11-05'),
      ms('HD-2026-001', '竣工', '2027-01-15', null),
      ms('HD-2026-002', '开工', '2025-06-30', '2025-06-30'),
      ms('HD-2026-002', '竣工', '2026-05-31', '2026-06-10'),
      ms('HD-2026-002', '投产运营', '2026-11-30', '2026-11-20', '区产业发展促进局'),
      ms('HD-2026-003', '收储完成', '2026-09-30', null, '区国资委'),
      ms('HD-2026-003', '规划许可', '2026-11-15', '2026-12-20', '市规划资源局河东分局'),
      ms('HD-2026-003', '方案编制', '2026-12-06', null, '市规划资源局河东分局'),
      ms('HD-2026-003', '供地', '2027-02-28', null, '市规划资源局河东分局'),
      ms('HD-2026-004', '开工', '2026-01-01', null),
      ms('HD-X', '开工', '2026-01-01', null),
    ],
  };
}
