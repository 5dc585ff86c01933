import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { FORMS, getForm, TEMPLATE_VERSION, type FormId } from '../../shared/forms';
import { readWorkbook } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import type { FormRead } from '../../shared/types';
import { parseFormKeywords } from '../../shared/xlsx/limits';
import { readXlsx } from '../../shared/xlsx/read';
import { displayWidth } from '../../shared/xlsx/style';
import { writeTemplate } from '../../shared/xlsx/template';

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return wb;
}

function sheetXml(buf: Buffer, n = 1): string {
  return strFromU8(unzipSync(new Uint8Array(buf))[`xl/worksheets/sheet${n}.xml`]);
}

describe('templates of every form', () => {
  const built = new Map<FormId, Buffer>();
  beforeAll(async () => {
    for (const f of FORMS) built.set(f.id, await writeTemplate(f.id, { rows: 50 }));
  });

  test.each(FORMS.map((f) => [f.id]))('%s: title row, catalogue header in order, notes, frozen header', async (id) => {
    const form = getForm(id as FormId);
    const wb = await load(built.get(form.id)!);
    const ws = wb.getWorksheet(form.title)!;
    expect(ws).toBeDefined();
    expect(ws.getCell('A1').value).toBe(form.title);
    // the title spans every column of the form
    expect(ws.getCell(1, form.fields.length).isMerged).toBe(true);
    expect(ws.getCell(1, form.fields.length + 1).isMerged).toBe(false);
    form.fields.forEach((f, i) => {
      const cell = ws.getCell(2, i + 1);
      expect(cell.value).toBe(f.title);
      const note = cell.note as unknown as string | { texts: { text: string }[] };
      const text = typeof note === 'string' ? note : note.texts.map((t) => t.text).join('');
      expect(text).toContain(f.help);
      if (f.required) expect(text).toContain('必填');
      if (f.enum) expect(text).toContain(f.enum.join('、'));
      // a CJK character counts as two: the title fits its column
      expect(ws.getColumn(i + 1).width).toBeGreaterThanOrEqual(displayWidth(f.title));
    });
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws.pageSetup.printTitlesRow).toBe('1:2');
  });

  test.each(FORMS.map((f) => [f.id]))('%s: form id and template version in the workbook properties', async (id) => {
    const wb = await load(built.get(id as FormId)!);
    expect(parseFormKeywords(wb.keywords)).toEqual({ formId: id, templateVersion: TEMPLATE_VERSION });
    expect(wb.title).toBe(getForm(id as FormId).title);
  });

  test.each(FORMS.map((f) => [f.id]))('%s: the reader recognises the blank template as its form', async (id) => {
    const grid = await readXlsx(new Uint8Array(built.get(id as FormId)!), `${id}.xlsx`);
    expect(grid.properties?.formId).toBe(id);
    const reads = readWorkbook(grid, defaultRuleSet());
    expect(reads.map((r) => r.form)).toEqual([id]);
    expect(reads[0].headerRow).toBe(2);
    // a blank template has no data rows (formatted empty cells are not records)
    expect(reads[0].rows).toEqual([]);
  });

  test('drop-downs on every enumerated and 是/否 column, limited to the data rows', () => {
    for (const form of FORMS) {
      const xml = sheetXml(built.get(form.id)!);
      const dvs = [...xml.matchAll(/<dataValidation [^>]*sqref="([^"]+)"[^>]*>\s*<formula1>([^<]*)<\/formula1>/g)].map((m) => ({ sqref: m[1], formula: m[2] }));
      // an enum cell that may hold several values (配合单位) has no drop-down: a list allows only one
      const listed = form.fields.filter((f) => (f.type === 'enum' && !f.several) || f.type === 'bool');
      expect(dvs).toHaveLength(listed.length);
      for (const f of form.fields.filter((x) => x.several)) {
        const col = String.fromCharCode(65 + form.fields.indexOf(f));
        expect(dvs.some((d) => d.sqref.startsWith(col))).toBe(false);
      }
      for (const f of listed) {
        const col = String.fromCharCode(65 + form.fields.indexOf(f));
        const dv = dvs.find((d) => d.sqref === `${col}3:${col}52`);
        expect(dv).toBeDefined();
        const options = f.type === 'bool' ? ['是', '否'] : [...f.enum!];
        expect(dv!.formula).toBe(`&quot;${options.join(',')}&quot;`);
      }
      // never whole columns
      expect(xml).not.toMatch(/sqref="[A-Z]+:[A-Z]+"/);
    }
  });

  test('number, date and text formats follow the field type and unit', async () => {
    const wb = await load(built.get('industrial')!);
    const ws = wb.getWorksheet('低效工业调查表')!;
    const form = getForm('industrial');
    const col = (key: string) => form.fields.findIndex((f) => f.key === key) + 1;
    expect(ws.getCell(3, col('landArea')).numFmt).toBe('#,##0.00');
    expect(ws.getCell(3, col('tax')).numFmt).toBe('#,##0.00');
    expect(ws.getCell(3, col('stopDate')).numFmt).toBe('yyyy-mm-dd');
    expect(ws.getCell(3, col('employees')).numFmt).toBe('0');
    expect(ws.getCell(3, col('plotRatio')).numFmt).toBe('0.00');
    // codes are text so 0601 or a USCC keeps its characters
    expect(ws.getCell(3, col('uscc')).numFmt).toBe('@');
    expect(ws.getCell(3, col('parcelId')).numFmt).toBe('@');
    // rows beyond the formatted ones inherit the column format
    expect(ws.getColumn(col('landArea')).numFmt).toBe('#,##0.00');
  });

  test('the header is protected, the data cells are not', async () => {
    const buf = built.get('commercial')!;
    expect(sheetXml(buf)).toMatch(/<sheetProtection [^>]*sheet="1"/);
    const wb = await load(buf);
    const ws = wb.getWorksheet('低效商办调查表')!;
    expect(ws.getCell('A2').protection?.locked).not.toBe(false);
    expect(ws.getCell('A1').protection?.locked).not.toBe(false);
    expect(ws.getCell('A3').protection?.locked).toBe(false);
    expect(ws.getCell('C40').protection?.locked).toBe(false);
    // a column style keeps rows beyond the formatted ones editable too
    expect(ws.getColumn(1).style.protection?.locked).toBe(false);
  });

  test('default data rows are 500', async () => {
    const xml = sheetXml(await writeTemplate('environment'));
    expect(xml).toContain('sqref="C3:C502"');
  });
});

describe('templates pre-filled from a base-map extract', () => {
  const form = getForm('base');
  const row = (r: number, v: Record<string, unknown>, hasError = false) => ({
    row: r,
    hasError,
    values: Object.fromEntries(form.fields.map((f) => [f.key, (v[f.key] ?? null) as never])),
  });
  const base: FormRead = {
    file: 'base.xlsx',
    form: 'base',
    sheet: '地块底图表',
    headerRow: 2,
    columns: {},
    issues: [],
    rows: [
      row(3, { parcelId: '120102001002GB00001', street: '大王庄街道', location: '津塘路1号', landUseCode: '0601', landArea: 12000.5, owner: '=HYPERLINK("http://x","y")', landProcedures: '齐全', agreedStartDate: '2019-06-30' }),
      row(4, { parcelId: '120102001002GB00002', street: '大直沽街道', location: '卫国道2号', landUseCode: '05H1', landArea: 8000, owner: '乙公司', landProcedures: '不全', occurrenceDate: '1995-01-01' }),
      row(5, { parcelId: 'bad', street: '大直沽街道', landUseCode: '0601' }, true),
      row(6, { parcelId: '120102001002GB00004', street: '春华街道', location: '成林道4号', landUseCode: '0601', landArea: 5000, owner: '丙公司', landProcedures: '齐全' }),
    ],
  };

  test('the base template carries every valid row with its values', async () => {
    const wb = await load(await writeTemplate('base', { base, rows: 10 }));
    const ws = wb.getWorksheet('地块底图表')!;
    expect(ws.getCell('A3').value).toBe('120102001002GB00001');
    expect(ws.getCell('E3').value).toBe(12000.5);
    // a user's text that looks like a formula stays text
    expect(ws.getCell('F3').value).toBe('=HYPERLINK("http://x","y")');
    expect(ws.getCell('F3').type).toBe(ExcelJS.ValueType.String);
    const agreed = ws.getCell(3, form.fields.findIndex((f) => f.key === 'agreedStartDate') + 1).value as Date;
    expect(agreed.toISOString().slice(0, 10)).toBe('2019-06-30');
    // the row with an error is left out
    expect(ws.getCell('A5').value).toBe('120102001002GB00004');
    expect(ws.getCell('A6').value).toBeNull();
  });

  test('a pre-filled base template reads back to the same values', async () => {
    const grid = await readXlsx(new Uint8Array(await writeTemplate('base', { base, rows: 10 })), 'base.xlsx');
    const [read] = readWorkbook(grid, defaultRuleSet());
    expect(read.form).toBe('base');
    const valid = base.rows.filter((r) => !r.hasError);
    expect(read.rows.map((r) => r.values)).toEqual(valid.map((r) => r.values));
  });

  test('a survey template lists the parcels the filter keeps, with 宗地代码 (and 街道 where the form has it)', async () => {
    const wb = await load(await writeTemplate('commercial', { base, parcelFilter: (v) => v.landUseCode === '05H1' }));
    const ws = wb.getWorksheet('低效商办调查表')!;
    const f = getForm('commercial');
    const streetCol = f.fields.findIndex((x) => x.key === 'street') + 1;
    expect(ws.getCell('A3').value).toBe('120102001002GB00002');
    expect(ws.getCell(3, streetCol).value).toBe('大直沽街道');
    expect(ws.getCell('A4').value).toBeNull();
  });

  test('more parcels than rows: the formatted rows grow past the pre-filled ones', async () => {
    const xml = sheetXml(await writeTemplate('industrial', { base, rows: 1 }));
    // 3 valid parcels + 100 spare rows
    expect(xml).toContain('sqref="I3:I105"');
  });

  test('an extract that is not the base form is refused', async () => {
    await expect(writeTemplate('industrial', { base: { ...base, form: 'tax' } })).rejects.toThrow(/地块底图表/);
  });
});
