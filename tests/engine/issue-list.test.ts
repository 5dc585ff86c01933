import { makeIssue, type Issue, type IssueInput } from '../../shared/issues/issue';
import type { IssueCode } from '../../shared/issues/catalogue';
import { ISSUE_LIST_COLUMNS, ISSUE_LIST_SHEET, ISSUE_LIST_TITLES, issueListRow, locationText, sortIssues } from '../../shared/issues/list';

const SHEET = '低效工业调查表';
const issue = (code: IssueCode, input: Partial<IssueInput> = {}): Issue => makeIssue(code, { form: 'industrial', sheet: SHEET, ...input });

describe('问题清单: one layout for the CLI marked copy and the add-in', () => {
  test('the sheet and its columns: 序号, then 位置 (the link), then the issue as text', () => {
    expect(ISSUE_LIST_SHEET).toBe('问题清单');
    expect(ISSUE_LIST_TITLES).toEqual(['序号', '位置', '严重程度', '问题类别', '工作表', '字段', '宗地代码', '填报值', '问题说明', '处理建议', '问题代码']);
    expect(ISSUE_LIST_COLUMNS.map((c) => c.kind)).toEqual(['number', 'link', ...Array(9).fill('text')]);
    for (const c of ISSUE_LIST_COLUMNS) expect(c.width).toBeGreaterThanOrEqual(c.title.length * 2);
  });

  test('each column is derived from the issue', () => {
    const is = issue('invalid-uscc', { row: 7, column: 'C', field: '统一社会信用代码', parcelId: '120102001002GB00002', value: '91110000600037341X' });
    const row = issueListRow(is, 3, 'C7');
    const by = Object.fromEntries(ISSUE_LIST_TITLES.map((t, k) => [t, row[k]]));
    expect(by).toEqual({
      序号: 3,
      位置: 'C7',
      严重程度: '错误', // invalid-uscc is an error in the catalogue
      问题类别: '信用代码无效',
      工作表: SHEET,
      字段: '统一社会信用代码',
      宗地代码: '120102001002GB00002',
      填报值: '91110000600037341X',
      问题说明: is.message,
      处理建议: '按营业执照核对18位统一社会信用代码',
      问题代码: 'invalid-uscc',
    });
    expect(by['问题说明']).toContain('91110000600037341X');
    // absent parts are blank, never "null"
    const bare = issueListRow(issue('missing-column', { field: '统一社会信用代码' }), 1, null);
    expect(bare[ISSUE_LIST_TITLES.indexOf('宗地代码')]).toBe('');
    expect(bare[ISSUE_LIST_TITLES.indexOf('填报值')]).toBe('');
    expect(bare[ISSUE_LIST_TITLES.indexOf('严重程度')]).toBe('错误');
  });

  test('位置 shows the cell, the row, the column, or what the issue is about', () => {
    expect(locationText(issue('invalid-uscc', { row: 7, column: 'C' }), 'C7')).toBe('C7');
    expect(locationText(issue('unknown-column', { column: 'H', value: '备注' }), 'H2')).toBe('H2'); // its header cell
    expect(locationText(issue('unknown-column', { column: 'H', value: '备注' }), null)).toBe('H列');
    expect(locationText(issue('duplicate-key', { row: 9 }), 'A9')).toBe('第9行');
    expect(locationText(issue('duplicate-key', { row: 9 }), null)).toBe('第9行');
    expect(locationText(issue('area-mismatch', { parcelId: '120102001002GB00001' }), null)).toBe('（宗地）');
    expect(locationText(issue('missing-column', { field: '企业名称' }), null)).toBe('（整表）');
  });

  test('order: errors, warnings, infos; then row (none first), column (B < C < AA); else as given', () => {
    const info = issue('normalized-value', { row: 2, column: 'A' });
    const warning = issue('unknown-column', { row: 1, column: 'Z' });
    const e9B1 = issue('invalid-uscc', { row: 9, column: 'B', value: 'first' });
    const e9AA = issue('invalid-uscc', { row: 9, column: 'AA' });
    const eSheet = issue('missing-column', { field: '企业名称' });
    const e9C = issue('invalid-uscc', { row: 9, column: 'C' });
    const e9B2 = issue('invalid-uscc', { row: 9, column: 'B', value: 'second' });
    const e3 = issue('invalid-uscc', { row: 3, column: 'D' });
    const input = [info, warning, e9B1, e9AA, eSheet, e9C, e9B2, e3];
    expect(sortIssues(input)).toEqual([eSheet, e3, e9B1, e9B2, e9C, e9AA, warning, info]);
    expect(sortIssues(input)[2]).toBe(e9B1); // stable: the same cell keeps its issues' order
    expect(input[0]).toBe(info); // the input is not reordered
  });
});
