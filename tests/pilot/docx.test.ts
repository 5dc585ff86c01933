/**
 * The brief and the report as Word documents: their text comes from the computed object, the
 * chart is an embedded PNG, and LibreOffice Writer opens and renders them (docx → PDF → PNG).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { revitalisedChartPng, revitalisedChartSvg } from '../../shared/pilot/chart';
import { compareDeterminations } from '../../shared/pilot/compare';
import { BRIEF_TITLE, REPORT_TITLE, renderBriefDocx, renderReportDocx } from '../../shared/pilot/docx';
import { computeBrief, computeReport } from '../../shared/pilot/progress';
import { libreOfficeMissing, pdfPages, pdfPageToPng, sofficeConvert } from '../helpers/libreoffice';
import { removeDir, tempDir } from '../cli/helpers';
import { comparePair } from './fixtures';
import { progressInput } from './progress-fixtures';

const brief = computeBrief(progressInput());
const { older, newer } = comparePair();
const report = computeReport(progressInput(), compareDeterminations(older, newer));

function documentXml(docx: Uint8Array): string {
  return strFromU8(unzipSync(docx)['word/document.xml']);
}
/** The visible text of the document (runs joined). */
function textOf(xml: string): string {
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

test('the chart: one bar label per half year, its totals, a PNG', () => {
  const svg = revitalisedChartSvg(brief.revitalisedByHalfYear);
  for (const h of brief.revitalisedByHalfYear) expect(svg).toContain(h.label);
  expect(svg).toContain('>30<'); // 2026 H2 total
  const png = revitalisedChartPng(brief.revitalisedByHalfYear);
  expect([...png.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
});

test('the brief document carries the masthead and the computed figures, fonts 仿宋 and 黑体, one image', async () => {
  const docx = await renderBriefDocx(brief);
  const files = unzipSync(docx);
  const xml = documentXml(docx);
  const text = textOf(xml);
  expect(text).toContain(BRIEF_TITLE);
  expect(text).toContain('第18期');
  expect(text).toContain('工作专班办公室编');
  expect(text).toContain('2026年12月6日');
  expect(text).toContain('全区认定低效用地4宗、41,000.00平方米（61.50亩）');
  expect(text).toContain('本期完成项目节点2个，其中按期完成1个、逾期完成1个');
  expect(text).toContain('逾期未完成项目节点2个，涉及2个责任单位：市规划资源局河东分局1个，区国资委1个');
  expect(text).toContain('需协调供电扩容');
  for (const s of ['一、总体进展', '二、本期主要工作', '三、存在问题', '四、下步计划']) expect(text).toContain(s);
  expect(xml).toContain('w:eastAsia="仿宋"');
  expect(xml).toContain('w:eastAsia="黑体"');
  expect(Object.keys(files).filter((f) => f.startsWith('word/media/') && f.endsWith('.png'))).toHaveLength(1);
});

test('the report adds 盘活案例 and the survey change only when a comparison is given', async () => {
  const text = textOf(documentXml(await renderReportDocx(report)));
  expect(text).toContain(REPORT_TITLE);
  expect(text).toContain('（2026年下半年）');
  expect(text).toContain('五、盘活案例');
  expect(text).toContain('预期新增税收300.00万元/年');
  expect(text).toContain('六、调查认定变化');
  expect(text).toContain('退出低效1宗、15.00亩（盘活成效）');
  // 表5 by street has a 转待核实 column beside 退出低效: a parcel gone from 低效 to 待核实 shows there, not as left
  const unsettledNewer = { ...newer, parcels: newer.parcels.map((p) => (p.parcelId === 'C' ? { ...p, result: '待核实' as const, hits: [], missing: ['tax' as const] } : p)) };
  const t5 = textOf(documentXml(await renderReportDocx(computeReport(progressInput(), compareDeterminations(older, unsettledNewer)))));
  expect(t5).toContain('退出低效（亩）新增低效（亩）转待核实（亩）增减（亩）');
  // 唐家口街道: C (20,000 ㎡ = 30 亩) was 低效 and is now 待核实
  expect(t5).toMatch(/唐家口街道30\.000\.000\.000\.0030\.00-30\.00/);
  const without = textOf(documentXml(await renderReportDocx(computeReport(progressInput()))));
  expect(without).not.toContain('六、调查认定变化');
});

const missing = libreOfficeMissing();
(missing ? describe.skip : describe)(`LibreOffice Writer renders the documents${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('docx-');
  });
  afterAll(() => removeDir(dir));

  test('brief and report: PDF pages with the title and 第N期, page 1 rendered to PNG', async () => {
    const b = join(dir, 'brief.docx');
    const r = join(dir, 'report.docx');
    writeFileSync(b, await renderBriefDocx(brief));
    writeFileSync(r, await renderReportDocx(report));
    const out = sofficeConvert([b, r], 'pdf');
    const bp = pdfPages(join(out, 'brief.pdf'));
    expect(bp.length).toBeGreaterThanOrEqual(1);
    const squeeze = (s: string) => s.replace(/\s+/g, '');
    expect(squeeze(bp[0])).toContain(BRIEF_TITLE);
    expect(squeeze(bp[0])).toContain('第18期');
    expect(squeeze(bp.join(''))).toContain('四、下步计划');
    const rp = pdfPages(join(out, 'report.pdf'));
    expect(squeeze(rp[0])).toContain(REPORT_TITLE);
    expect(squeeze(rp.join(''))).toContain('五、盘活案例');
    const png = pdfPageToPng(join(out, 'brief.pdf'), 1, join(dir, 'page1'), 50);
    expect(statSync(png).size).toBeGreaterThan(5000);
    expect([...readFileSync(png).slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  }, 240_000);
});
