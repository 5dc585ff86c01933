/**
 * A messy 低效工业调查表 as a department fills it, built from the forms catalogue (titles by key),
 * with typical mistakes whose issues the shared reader must report.
 */
import { getForm } from '../../shared/forms';
import type { CellValue } from '../../shared/grid';

type Raw = string | number | boolean | null | { error: string };

export const INDUSTRIAL = getForm('industrial');
export const TITLES = INDUSTRIAL.fields.map((f) => f.title);
export const col = (key: string) => INDUSTRIAL.fields.findIndex((f) => f.key === key) + 1;

export function goodRow(i: number): Record<string, Raw> {
  return {
    parcelId: `120102001002GB${String(i + 1).padStart(5, '0')}`,
    enterpriseName: `天津市河东区第${i + 1}机械厂`,
    uscc: '91110000600037341L',
    industryCode: '3411',
    landArea: 10000,
    floorArea: 8000,
    footprint: 4000,
    plotRatio: 0.8,
    status: '正常生产',
    stopDate: null,
    employees: 50,
    output: 5000,
    tax: 200,
    obsolete: '否',
    stateOwned: '否',
    willingness: '暂无意愿',
    problemType: '无',
    problemDesc: null,
  };
}

/** Row values in catalogue order (plus extra trailing cells). */
export function rowValues(r: Record<string, Raw>, extra: Raw[] = []): Raw[] {
  return [...INDUSTRIAL.fields.map((f) => (f.key in r ? r[f.key] : null)), ...extra];
}

/** The mistakes, by data index (row = DATA_ROW + index). */
export const TITLE_ROW = 1;
export const HEADER_ROW = 2;
export const DATA_ROW = 3;

export function messyRows(): Raw[][] {
  const rows: Raw[][] = [];
  for (let i = 0; i < 8; i++) rows.push(rowValues(goodRow(i), ['']));
  rows[1][col('uscc') - 1] = '91110000600037341X'; // wrong check character → invalid-uscc (error)
  rows[2][col('footprint') - 1] = 20000; // more than 用地面积 → footprint-exceeds-land (error)
  rows[3][col('landArea') - 1] = '１２,０００'; // full-width digits → normalized-value (info)
  rows[4][col('floorArea') - 1] = { error: '#N/A' }; // formula error (error)
  rows[5][col('enterpriseName') - 1] = null; // required blank → missing-value (error)
  rows[6][col('problemDesc') - 1] = '=厂房闲置，需要盘活'; // text that looks like a formula stays text
  rows[7][TITLES.length] = '已核实'; // a value under the unknown column
  return rows;
}

export function messySheet(): { title: string; header: Raw[]; rows: Raw[][] } {
  return { title: INDUSTRIAL.title, header: [...TITLES, '备注'], rows: messyRows() };
}

export type { CellValue };
