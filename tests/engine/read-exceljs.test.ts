/**
 * A workbook built with exceljs in the shapes people send (rich text headers, formulas with cached
 * results, hyperlinks, error values, dates, merged title, hidden rows), written, read back by
 * exceljs and converted to the grid by the test helper, then read.
 */
import ExcelJS from 'exceljs';
import { readWorkbook } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import { exceljsToGrid, parcel, validUscc, workbook } from '../helpers/grid';

async function roundTrip(build: (ws: ExcelJS.Worksheet) => void): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('企业'));
  const buf = await wb.xlsx.writeBuffer();
  const back = new ExcelJS.Workbook();
  await back.xlsx.load(buf as ArrayBuffer);
  return back.worksheets[0];
}

it('reads a messy industrial workbook', async () => {
  const ws = await roundTrip((ws) => {
    ws.mergeCells('A1:H1');
    ws.getCell('A1').value = '河东区低效工业用地调查表（2022年度）';
    const header = ['宗地代码', '企业名称', '统一社会信用代码', '行业代码', '用地面积(㎡)', '总建筑面积(㎡)', '建筑基底面积(㎡)', '经营状态', '停产起始日期', '年税收(万元)', '问题描述'];
    ws.getRow(2).values = header;
    // LibreOffice / WPS store mixed Latin + Chinese headers as rich text runs
    ws.getCell('E2').value = { richText: [{ text: '用地面积' }, { text: '(㎡)', font: { name: 'Arial' } }] };
    ws.getRow(3).values = [parcel(1), '甲公司', validUscc(1), 3311, 10000, 8000, 4000, '停产', new Date(Date.UTC(2021, 5, 1)), 12, '=厂房闲置'];
    ws.getCell('F3').value = { formula: 'E3*0.8', result: 8000 };
    ws.getCell('B3').value = { text: '甲公司', hyperlink: 'https://example.org' };
    ws.getCell('K3').value = '=厂房闲置';
    ws.getRow(5).values = [parcel(2), '乙公司', validUscc(2), '3311', 5000, 3000, 2000, '正常生产', null, 0];
    ws.getCell('J5').value = { formula: '1/0', result: { error: '#DIV/0!' } };
    ws.getRow(5).hidden = true;
  });
  const [r] = readWorkbook(workbook('ind.xlsx', [exceljsToGrid(ws)]), defaultRuleSet());
  expect(r.form).toBe('industrial');
  expect(r.headerRow).toBe(2);
  expect(r.rows.map((x) => x.row)).toEqual([3, 5]); // blank row 4 skipped, hidden row 5 read
  expect(r.rows[0].values).toMatchObject({ enterpriseName: '甲公司', floorArea: 8000, stopDate: '2021-06-01', landArea: 10000, problemDesc: '=厂房闲置', industryCode: '3311' });
  expect(r.rows[0].hasError).toBe(false);
  expect(r.rows[1].values.tax).toBeNull();
  expect(r.issues.map((i) => [i.code, i.row, i.column, i.value])).toEqual([['formula-error', 5, 'J', '#DIV/0!']]);
});
