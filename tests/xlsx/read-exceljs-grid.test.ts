/** exceljs-grid: the conventions other code relies on when it turns an exceljs workbook into a grid. */
import ExcelJS from 'exceljs';
import { exceljsSheetToGrid, exceljsToGrid, exceljsValueToCell } from '../../shared/xlsx/exceljs-grid';

describe('exceljs → grid', () => {
  test('values: rich text, hyperlinks, formulas (also falsy results), errors, dates', () => {
    const d = new Date(Date.UTC(2022, 11, 31));
    expect(exceljsValueToCell({ richText: [{ text: '河东' }, { text: '区' }] })).toBe('河东区');
    expect(exceljsValueToCell({ text: '链接', hyperlink: 'https://example.org' })).toBe('链接');
    expect(exceljsValueToCell({ formula: 'A1', result: 0 } as ExcelJS.CellFormulaValue)).toBe(0);
    expect(exceljsValueToCell({ formula: 'A1', result: '文本' } as ExcelJS.CellFormulaValue)).toBe('文本');
    expect(exceljsValueToCell({ formula: 'A1' } as ExcelJS.CellFormulaValue)).toBeNull();
    expect(exceljsValueToCell({ formula: '1/0', result: { error: '#DIV/0!' } } as ExcelJS.CellFormulaValue)).toEqual({ error: '#DIV/0!' });
    expect(exceljsValueToCell({ error: '#N/A' } as ExcelJS.CellErrorValue)).toEqual({ error: '#N/A' });
    expect(exceljsValueToCell(d)).toBe(d);
    expect(exceljsValueToCell(undefined)).toBeNull();
  });

  test('a formula whose cached result is FALSE keeps it (exceljs leaves it out of cell.value)', () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.getCell('A1').value = { formula: '1>2', result: false } as ExcelJS.CellFormulaValue;
    expect(exceljsSheetToGrid(ws).rows).toEqual([[false]]);
  });

  test('dense rows: merged cells other than the top-left are null, empty rows kept, trailing ones and empty columns dropped', () => {
    const wb = new ExcelJS.Workbook();
    wb.title = '标题';
    wb.keywords = 'formId=base;templateVersion=2022.1';
    const ws = wb.addWorksheet('表', { state: 'veryHidden' });
    ws.mergeCells('A1:C1');
    ws.getCell('A1').value = '合并';
    ws.getCell('B3').value = 1;
    ws.getCell('A5').numFmt = '0.00'; // styled but empty: not a value
    const g = exceljsToGrid(wb, 'f.xlsx');
    expect(g.sheets).toEqual([{ name: '表', hidden: true, rows: [['合并', null], [null, null], [null, 1]], merges: [{ top: 1, left: 1, bottom: 1, right: 3 }] }]); // as wide as the widest value; the merge kept (§9.4)
    expect(g.properties).toEqual({ title: '标题', keywords: 'formId=base;templateVersion=2022.1', formId: 'base', templateVersion: '2022.1' });
    expect(g.file).toBe('f.xlsx');
  });
});
