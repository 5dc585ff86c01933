/**
 * Every check and the issue codes it may raise (as frictionless checks declare their errors):
 * where it runs, what it looks at, which codes. The engine's passes and the row checks declare
 * their codes beside their code (`*_RAISES`); the reader's cell, header and row checks are
 * declared here with the module that raises them. A test holds every declaration to the source
 * (each code raised in a module is declared for it, each declared code is raised there) and to
 * the catalogue (every code is raised by some check); docs/forms.md lists them.
 */
import { ENTERPRISE_RAISES } from '../determine/enterprise';
import { FIGURES_RAISES } from '../determine/figures';
import { HISTORIC_RAISES } from '../determine/historic';
import { JOIN_RAISES } from '../determine/join';
import type { IssueCode } from '../issues/catalogue';
import { PILOT_CHECK_RAISES } from '../pilot/checks';
import { ROW_CHECK_RAISES, UNUSED_RAISES } from './index';

export interface DeclaredCheck {
  id: string;
  /** What it checks, in Chinese (docs/forms.md). */
  title: string;
  /** 单表 (one sheet as read) or 跨表 (across inputs, in the engine). */
  scope: '单表' | '跨表';
  /** The source file that raises the codes (relative to the project root). */
  module: string;
  raises: readonly IssueCode[];
}

export const DECLARED_CHECKS: readonly DeclaredCheck[] = [
  { id: 'header', title: '表头识别：必填列、未识别的列', scope: '单表', module: 'shared/read/index.ts', raises: ['missing-column', 'unknown-column'] },
  { id: 'records', title: '记录行：必填项、合计行、说明行、重复记录、换算提示', scope: '单表', module: 'shared/read/index.ts', raises: ['missing-value', 'total-row', 'note-row', 'duplicate-key', 'normalized-value'] },
  {
    id: 'cells',
    title: '单元格：格式、范围、选项、宗地代码、信用代码、行业代码、公式错误值',
    scope: '单表',
    module: 'shared/read/parse.ts',
    raises: ['type-error', 'out-of-range', 'invalid-enum', 'invalid-parcel-id', 'foreign-parcel', 'invalid-uscc', 'invalid-industry-code', 'formula-error'],
  },
  { id: 'row', title: '行内一致：基底与用地面积、容积率与面积、空置与建筑面积、用地发生时间、晚于评价基准日的日期', scope: '单表', module: 'shared/checks/index.ts', raises: ROW_CHECK_RAISES },
  { id: 'year', title: '非评价年度的税收、产值行', scope: '单表', module: 'shared/checks/index.ts', raises: UNUSED_RAISES },
  { id: 'join', title: '宗地在底图中、用地类别、跨表重复记录、非评价年度', scope: '跨表', module: 'shared/determine/join.ts', raises: JOIN_RAISES },
  { id: 'historic', title: '历史遗留用地：用地发生时间、三调后新增', scope: '跨表', module: 'shared/determine/historic.ts', raises: HISTORIC_RAISES },
  { id: 'enterprise', title: '企业税收分摊：自报与税务数据、缺少部门数据', scope: '跨表', module: 'shared/determine/enterprise.ts', raises: ENTERPRISE_RAISES },
  { id: 'figures', title: '宗地指标：企业用地面积合计与底图', scope: '跨表', module: 'shared/determine/figures.ts', raises: FIGURES_RAISES },
  { id: 'pilot', title: '试点项目：项目宗地与认定结果、宗地重复纳入、项目各行一致、节点对应项目、逾期与未来日期、计划日期、项目停滞', scope: '跨表', module: 'shared/pilot/checks.ts', raises: PILOT_CHECK_RAISES },
];

/** The checks that may raise a code. */
export function checksRaising(code: IssueCode): DeclaredCheck[] {
  return DECLARED_CHECKS.filter((c) => c.raises.includes(code));
}
