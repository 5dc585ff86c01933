/**
 * The demo's second part (issue 11 item 7): a sample project and milestone workbook for the
 * sample district, drawn from the determination just made, and the pilot's outputs as of the
 * sample's day — the ledger, this period's brief and this half year's report — so a newcomer sees
 * the whole pilot in one command.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ConsolidationResultJson } from '../shared/contract';
import { renderBriefDocx, renderReportDocx } from '../shared/pilot/docx';
import { computeLedger, ledgerJson } from '../shared/pilot/ledger';
import { writeLedger } from '../shared/pilot/ledger-xlsx';
import { periodLabel } from '../shared/pilot/periods';
import { computePlan } from '../shared/pilot/plan';
import { writePlan } from '../shared/pilot/plan-xlsx';
import { computeBrief, computeReport } from '../shared/pilot/progress';
import { UNIT_NAMES } from '../shared/pilot/units';
import { generatePilotSample } from '../shared/sample/pilot';
import { writeSampleWorkbook } from '../shared/sample/write';
import { readPilotInputs } from './pilot';

export const DEMO_LEDGER = '项目台账.xlsx';
export const DEMO_PLAN = (year: number) => `${year}年度实施计划.xlsx`;
export const DEMO_BRIEF = '工作简报.docx';
export const DEMO_REPORT = '工作进展情况报告.docx';

export async function runPilotDemo(dir: string, det: ConsolidationResultJson, out: (s: string) => void): Promise<void> {
  const sample = generatePilotSample(det);
  const pilotDir = join(dir, 'pilot');
  const tmp = join(dir, `.pilot-${process.pid}.tmp`);
  mkdirSync(pilotDir, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  const files: string[] = [];
  try {
    for (const wb of sample.workbooks) {
      const f = await writeSampleWorkbook(tmp, wb);
      const dest = join(pilotDir, basename(f));
      renameSync(f, dest);
      files.push(dest);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const asOf = sample.asOf;
  const { projects, milestones, issues, fileOf } = await readPilotInputs(files, det, asOf);
  const ledger = computeLedger({ projects, milestones, determination: det, asOf, unitOrder: UNIT_NAMES, issues });
  await writeLedger(ledger, join(dir, DEMO_LEDGER), { fileOf });
  writeFileSync(join(dir, 'ledger.json'), JSON.stringify(ledgerJson(ledger), null, 2) + '\n');
  const planYear = Number(asOf.slice(0, 4)) + 1;
  const plan = computePlan({ projects, milestones, determination: det, unitOrder: UNIT_NAMES }, planYear);
  await writePlan(plan, join(dir, DEMO_PLAN(planYear)), { issues, fileOf });
  const input = { projects, milestones, determination: det, asOf, unitOrder: UNIT_NAMES };
  const brief = computeBrief(input);
  writeFileSync(join(dir, DEMO_BRIEF), await renderBriefDocx(brief));
  writeFileSync(join(dir, 'brief.json'), JSON.stringify(brief, null, 2) + '\n');
  const report = computeReport(input);
  writeFileSync(join(dir, DEMO_REPORT), await renderReportDocx(report));
  const j = ledgerJson(ledger);
  out('');
  out(`试点项目（截至 ${asOf}）：项目 ${projects.length} 个，节点 ${milestones.length} 个：${pilotDir}`);
  out(`${planYear}年度实施计划（成熟一批 ${plan.mature.length} 个、推动一批 ${plan.push.length} 个项目，待纳入地块 ${plan.candidates.length} 宗）：${join(dir, DEMO_PLAN(planYear))}`);
  out(`项目台账（逾期未完成节点 ${j.overdue.length} 个）：${join(dir, DEMO_LEDGER)}`);
  out(`工作简报第${brief.issue}期（${periodLabel(brief.period)}）：${join(dir, DEMO_BRIEF)}`);
  out(`工作进展情况报告（${periodLabel(report.period)}，盘活案例 ${report.cases.length} 个）：${join(dir, DEMO_REPORT)}`);
}
