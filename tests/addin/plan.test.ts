import { chunkAddresses, mergeCells, parseAddress, rectAddress, type Cell, type Rect } from '../../addin/plan/address';
import { blockBytes, jsonBytes, splitBlock, type ValueBlock } from '../../addin/plan/blocks';
import { locationCell, planIssueSheet, sortIssues } from '../../addin/plan/issue-sheet';
import { ISSUE_LIST_TITLES } from '../../shared/issues/list';
import { isOwnMarkFormula, isOwnNote, MARK_FILL, MARK_FORMULA, planMarks } from '../../addin/plan/marks';
import { findResultBlock, lastUsedColumn, planResults, RESULT_COLUMNS, withoutResultBlock, type DeterminedRow } from '../../addin/plan/results';
import { columnNumber } from '../../shared/grid';
import { issue, rng } from './helpers';

function cellsOf(rects: Rect[]): string[] {
  const out: string[] = [];
  for (const r of rects) for (let i = r.r1; i <= r.r2; i++) for (let j = r.c1; j <= r.c2; j++) out.push(`${i},${j}`);
  return out;
}

function cellsOfAddresses(chunks: string[]): string[] {
  return cellsOf(chunks.flatMap((c) => c.split(',')).map(parseAddress));
}

describe('mergeCells: the marked cells, as few rectangles', () => {
  test('a run down a column and a block become one rectangle each', () => {
    const column: Cell[] = [5, 6, 7, 8, 9].map((row) => ({ row, col: 3 }));
    const block: Cell[] = [];
    for (let row = 20; row <= 21; row++) for (let col = 2; col <= 4; col++) block.push({ row, col });
    const rects = mergeCells([...column, ...block]);
    expect(rects.map(rectAddress).sort()).toEqual(['B20:D21', 'C5:C9']);
  });

  test('random cell sets are covered exactly once, nothing else is covered', () => {
    const rand = rng(7);
    for (let round = 0; round < 30; round++) {
      const cells: Cell[] = [];
      const n = 1 + Math.floor(rand() * 300);
      for (let i = 0; i < n; i++) cells.push({ row: 1 + Math.floor(rand() * 40), col: 1 + Math.floor(rand() * 8) });
      const rects = mergeCells(cells);
      const covered = cellsOf(rects);
      expect(new Set(covered).size).toBe(covered.length); // no overlap
      expect(covered.sort()).toEqual([...new Set(cells.map((c) => `${c.row},${c.col}`))].sort());
      expect(rects.length).toBeLessThanOrEqual(new Set(cells.map((c) => `${c.row},${c.col}`)).size);
    }
  });

  test('a fully marked column of 20,000 rows is one address, not 20,000', () => {
    const cells: Cell[] = [];
    for (let row = 3; row < 20003; row++) cells.push({ row, col: 5 });
    expect(mergeCells(cells).map(rectAddress)).toEqual(['E3:E20002']);
  });
});

describe('chunkAddresses: getRanges strings under 8,192 characters', () => {
  test('every chunk is short enough, no address is split, order is kept', () => {
    const addresses = Array.from({ length: 5000 }, (_, i) => `AB${1000 + i * 2}:AC${1001 + i * 2}`);
    const chunks = chunkAddresses(addresses);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThan(8192);
    expect(chunks.join(',').split(',')).toEqual(addresses);
  });
});

describe('planMarks', () => {
  const sheet = '低效工业调查表';
  const span = { c1: 1, c2: 6 };

  test('the worst severity of a cell decides its fill; every issue line is in its note', () => {
    const plan = planMarks(
      [issue('normalized-value', { row: 5, column: 'C', value: '１２' }), issue('invalid-uscc', { row: 5, column: 'C', value: 'X' }), issue('unknown-column', { row: 2, column: 'H', value: '备注' })],
      { sheet, rowSpan: span },
    );
    const bySev = Object.fromEntries(plan.fills.map((f) => [f.severity, cellsOfAddresses(f.addresses)]));
    expect(bySev.error).toEqual(['5,3']);
    expect(bySev.warning).toEqual(['2,8']);
    expect(bySev.info).toBeUndefined();
    expect(plan.fills.find((f) => f.severity === 'error')!.color).toBe(MARK_FILL.error);
    const note = plan.notes.find((n) => n.address === 'C5')!;
    expect(isOwnNote(note.text)).toBe(true);
    expect(note.text).toContain('错误：');
    expect(note.text).toContain('提示：');
  });

  test('a row-level issue spans the data columns; sheet- and parcel-level issues and other sheets mark nothing', () => {
    const plan = planMarks(
      [
        issue('duplicate-key', { row: 9, column: null }),
        issue('missing-column', { row: null }),
        issue('area-mismatch', { row: null, parcelId: '120102001002GB00001' }),
        issue('invalid-uscc', { sheet: '别的表', row: 3, column: 'A' }),
      ],
      { sheet, rowSpan: span },
    );
    expect(plan.fills).toHaveLength(1);
    expect(cellsOfAddresses(plan.fills[0].addresses)).toEqual(['9,1', '9,2', '9,3', '9,4', '9,5', '9,6']);
    expect(plan.fills[0].addresses).toEqual(['A9:F9']);
  });

  test("cells holding the user's own note get a fill but no note", () => {
    const plan = planMarks([issue('invalid-uscc', { row: 4, column: 'B' }), issue('invalid-uscc', { row: 5, column: 'B' })], {
      sheet,
      rowSpan: span,
      skipNoteCells: new Set(['B4']),
    });
    expect(cellsOfAddresses(plan.fills[0].addresses)).toEqual(['4,2', '5,2']);
    expect(plan.notes.map((n) => n.address)).toEqual(['B5']);
  });

  test('notes are capped, worst cells first; every cell still gets its fill', () => {
    const issues = [issue('normalized-value', { row: 3, column: 'A' }), issue('invalid-uscc', { row: 9, column: 'C' }), issue('unknown-column', { row: 4, column: 'B' })];
    const plan = planMarks(issues, { sheet, rowSpan: span, maxNotes: 2 });
    expect(plan.notes.map((n) => n.address)).toEqual(['C9', 'B4']);
    expect(plan.notesCapped).toBe(1);
    expect(plan.fills.reduce((n, f) => n + f.cells, 0)).toBe(3);
  });

  test('the mark formula is recognisable and has the always-true shape =N("…")=0 (N of a text is 0)', () => {
    expect(isOwnMarkFormula(MARK_FORMULA)).toBe(true);
    expect(isOwnMarkFormula('=$C5>100')).toBe(false);
    expect(MARK_FORMULA).toMatch(/^=N\(".*"\)=0$/);
  });
});

describe('planIssueSheet: 问题清单 rows that link to their cells and keep user text inert', () => {
  test('location links quote the sheet name for a hyperlink formula', () => {
    const i = issue('invalid-uscc', { sheet: `张三's "表"`, row: 7, column: 'C' });
    expect(locationCell(i, 1)).toBe(`=HYPERLINK("#'张三''s ""表""'!C7","C7")`);
    expect(locationCell(issue('duplicate-key', { row: 9 }), 2)).toBe(`=HYPERLINK("#'低效工业调查表'!B9","第9行")`);
    expect(locationCell(issue('missing-column', { row: null }), 1)).toBe('（整表）');
  });

  test('user text goes only into text-formatted value cells; formulas are only the generated links', () => {
    const evil = '=HYPERLINK("http://evil","点我")';
    const plan = planIssueSheet([issue('invalid-uscc', { row: 3, column: 'C', value: evil }), issue('missing-column', { row: null })], { firstCol: 1 });
    // the shared layout: 序号, 位置 (link), then text columns
    expect(plan.blocks[0].values![0]).toEqual([...ISSUE_LIST_TITLES]);
    expect(ISSUE_LIST_TITLES.slice(0, 2)).toEqual(['序号', '位置']);
    const numbers = plan.blocks.find((b) => b.col === 1 && b.row === 2)!;
    expect(numbers.values).toEqual([[1], [2]]);
    const links = plan.blocks.find((b) => b.formulas)!;
    expect(links.col).toBe(2);
    for (const [f] of links.formulas!) expect(String(f)).toMatch(/^(=HYPERLINK\("#'低效工业调查表'!C3","C3"\)|（整表）)$/);
    const text = plan.blocks.find((b) => b.col === 3)!;
    expect(text.cols).toBe(ISSUE_LIST_TITLES.length - 2);
    expect(text.numberFormat!.every((r) => r.every((f) => f === '@'))).toBe(true);
    expect(text.values!.flat()).toContain(evil);
    // 填报值 holds the value as found, under its title (the sheet-level issue, without a row, is listed first)
    const valueCol = ISSUE_LIST_TITLES.indexOf('填报值') - 2;
    expect(text.values![1][valueCol]).toBe(evil);
    expect(text.values![0][valueCol]).toBe('');
  });

  test('errors come first, then warnings, then infos', () => {
    const sorted = sortIssues([issue('normalized-value', { row: 2, column: 'A' }), issue('unknown-column', { row: 1, column: 'Z' }), issue('invalid-uscc', { row: 9, column: 'B' })]);
    expect(sorted.map((i) => i.severity)).toEqual(['error', 'warning', 'info']);
  });

  test('a long list is split into blocks under the byte budget, rows in order', () => {
    const issues = Array.from({ length: 2000 }, (_, k) => issue('invalid-uscc', { row: k + 3, column: 'C', value: `值${k}`.repeat(10) }));
    const plan = planIssueSheet(issues, { firstCol: 1, maxBytes: 64 * 1024 });
    const text = plan.blocks.filter((b) => b.col === 3);
    expect(text.length).toBeGreaterThan(2);
    for (const b of plan.blocks) expect(blockBytes(b)).toBeLessThan(64 * 1024 + 200);
    expect(text.map((b) => b.row)).toEqual(text.map((_, k) => (k === 0 ? 2 : text[k - 1].row + text[k - 1].rows)));
    expect(text.reduce((n, b) => n + b.rows, 0)).toBe(2000);
  });
});

describe('value blocks', () => {
  test('splitBlock keeps every row once, in order, each piece under the budget', () => {
    const values = Array.from({ length: 500 }, (_, i) => [i, `第${i}行`, i % 2 === 0]);
    const b: ValueBlock = { row: 10, col: 4, rows: 500, cols: 3, values };
    const pieces = splitBlock(b, 2000);
    expect(pieces.length).toBeGreaterThan(5);
    for (const p of pieces) expect(jsonBytes(p.values)).toBeLessThanOrEqual(2000);
    expect(pieces.flatMap((p) => p.values!)).toEqual(values);
    expect(pieces[1].row).toBe(10 + pieces[0].rows);
  });
});

describe('result columns', () => {
  const rows: DeterminedRow[] = [
    { row: 4, parcelId: '120102001002GB00001', result: '低效', hits: ['IND-PLOT', 'IND-TAX'], missing: [], mode: '技改升级', plotRatio: 0.55, coverage: 28.1, taxPerMu: 3.2, outputPerMu: null },
    { row: 6, parcelId: '120102001002GB00002', result: '待核实', hits: [], missing: ['tax'], mode: null, plotRatio: 1.2, coverage: 40, taxPerMu: null, outputPerMu: null },
  ];

  test('titles in the header row, one row per sheet row, blanks cleared, number formats per column', () => {
    const [header, body] = planResults(rows, { headerRow: 3, col: 10, lastRow: 7 });
    expect(header).toMatchObject({ row: 3, col: 10, rows: 1 });
    expect(header.values![0]).toEqual(RESULT_COLUMNS.map((c) => c.title));
    expect(body).toMatchObject({ row: 4, col: 10, rows: 4, cols: 7 });
    expect(body.values![0]).toEqual([0.55, 28.1, 3.2, '', '低效', 'IND-PLOT、IND-TAX', '技改升级']);
    expect(body.values![1]).toEqual(['', '', '', '', '', '', '']); // row 5: not in the answer → cleared
    expect(body.values![2]).toEqual([1.2, 40, '', '', '待核实', '', '']);
    expect(body.numberFormat![0]).toEqual(['0.00', '0.00', '#,##0.00', '#,##0.00', '@', '@', '@']);
  });

  test('an earlier result block is found again and hidden from the reader', () => {
    const grid = {
      name: 's',
      firstRow: 2,
      firstCol: 1,
      rows: [
        ['低效工业调查表', null, null],
        ['宗地代码', '企业名称', '备注', ...RESULT_COLUMNS.map((c) => c.title)],
        ['120102001002GB00001', '甲厂', 'x', 0.5, 20, 1, 2, '低效', 'IND-PLOT', '技改升级'],
      ],
    };
    expect(findResultBlock(grid)).toEqual({ row: 3, col: 4 });
    const cut = withoutResultBlock(grid);
    expect(cut.rows[1]).toEqual(['宗地代码', '企业名称', '备注']);
    expect(lastUsedColumn(cut)).toBe(3);
    expect(columnNumber('D')).toBe(4);
    expect(findResultBlock({ name: 's', rows: [['容积率', '建筑密度(%)']] })).toBeNull();
  });
});
