/**
 * Renders docs/img/marked-sheet.png: a street office's own industrial sheet (序号, two-row header,
 * 亩 in the header, 宗地代码 merged over a parcel's enterprises, 小计/合计, 注 and signature lines)
 * after `land-survey validate -o`, as LibreOffice prints it. Run: node -r tsx/cjs scripts/render-marked-example.ts
 * Needs soffice and pdftoppm (Debian: libreoffice-calc-nogui, poppler-utils).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { readWorkbook } from '../shared/read';
import { defaultRuleSet } from '../shared/rules';
import { writeMarkedCopy } from '../shared/xlsx/marked';
import { readXlsx } from '../shared/xlsx/read';

async function streetSheet(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('工业企业', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.getCell('A1').value = '大王庄街道低效工业用地调查表';
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.mergeCells('A1:L1');
  ws.getRow(2).values = ['序号', '宗地代码', '企业名称', '统一社会信用代码', '行业代码', '用地情况', null, null, '经营状态', '停产起始日期', '年税收(万元)', '是否淘汰类'];
  ws.getRow(3).values = [null, null, null, null, null, '用地面积\n(亩)', '总建筑面积（m²）', '建筑基底面积(平方米)', null, null, null, null];
  for (const c of ['A', 'B', 'C', 'D', 'E', 'I', 'J', 'K', 'L']) ws.mergeCells(`${c}2:${c}3`);
  ws.mergeCells('F2:H2');
  ws.getRow(4).values = [1, '120102001002GB00001', '天津市河东区甲机械有限公司', '91110000600037341L', '3411', 3, 1500, 900, '停产', '2021年3月', 12.5, '否'];
  ws.getRow(5).values = [2, null, '天津市河东区乙食品有限公司', '91350100M000100Y4X', '1311', 1.5, 800, 1200, '半停产', 20210305, 3, '是'];
  ws.mergeCells('B4:B5');
  ws.getRow(6).values = ['小计（大王庄街道）', null, null, null, null, 4.5, 2300, 2100, null, null, 15.5, null];
  ws.getRow(7).values = [3, '120102001002GB00002', '天津市河东区丙电子有限公司', '91110000600037341L', '3971', 2, 2600, 700, '正常生产', null, null, '否'];
  ws.getRow(8).values = ['合 计', null, null, null, null, 6.5, 4900, 2800, null, null, 15.5, null];
  ws.getRow(9).values = ['注：面积以不动产登记为准。'];
  ws.mergeCells('A9:L9');
  ws.getRow(10).values = ['填表人：张三', null, null, '审核人：李四', null, null, null, null, '填报日期：2023年1月'];
  ws.columns = [6, 22, 26, 22, 8, 10, 12, 14, 10, 12, 10, 8].map((width) => ({ width }));
  for (let r = 2; r <= 8; r++) ws.getRow(r).eachCell({ includeEmpty: true }, (c) => (c.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } }));
  for (let r = 2; r <= 10; r++) ws.getRow(r).height = r === 3 ? 32 : 20;
  ws.getRow(3).alignment = { wrapText: true, vertical: 'middle' };
  ws.getCell('B4').alignment = { vertical: 'middle' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function main(): Promise<void> {
  const original = await streetSheet();
  const reads = readWorkbook(await readXlsx(original, '大王庄街道-工业.xlsx'), defaultRuleSet());
  const marked = await writeMarkedCopy(original, reads.flatMap((r) => r.issues), { file: '大王庄街道-工业.xlsx' });
  const dir = mkdtempSync(join(tmpdir(), 'marked-example-'));
  const xlsx = join(dir, 'marked.xlsx');
  writeFileSync(xlsx, marked);
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, xlsx], { stdio: 'ignore', timeout: 120000 });
  // the table's part of the first A4 landscape page, at 150 dpi
  execFileSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', '-x', '90', '-y', '90', '-W', '1580', '-H', '330', join(dir, 'marked.pdf'), join(dir, 'page')]);
  const png = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'));
  if (!png) throw new Error('pdftoppm wrote no page');
  const target = resolve(__dirname, '../docs/img/marked-sheet.png');
  copyFileSync(join(dir, png), target);
  console.log(`wrote ${target}`);
}

void main();
