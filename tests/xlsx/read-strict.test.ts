/**
 * The strict reader (issue 10 item 3): a part that is not well-formed XML, or that declares a DTD or
 * entities, makes the workbook unusable — as Excel refuses it — in every part that is read, and no
 * entity is ever expanded. The same rows well-formed are read normally (each fixture differs from a
 * good one by one fault).
 */
import { UnusableInputError } from '../../shared/types';
import { readXlsx } from '../../shared/xlsx/read';
import { miniPackage, sheetXml } from './read-helpers';

const ROW1 = '<row r="1"><c r="A1" t="inlineStr"><is><t>宗地代码</t></is></c><c r="B1" t="inlineStr"><is><t>街道</t></is></c></row>';
const ROW2 = '<row r="2"><c r="A2" t="inlineStr"><is><t>120102001002GB00001</t></is></c><c r="B2" t="inlineStr"><is><t>大王庄街道</t></is></c></row>';
const SST = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>宗地代码</t></si></sst>';

async function refused(data: Uint8Array): Promise<UnusableInputError> {
  try {
    await readXlsx(data, '街道表.xlsx');
  } catch (e) {
    expect(e).toBeInstanceOf(UnusableInputError);
    const u = e as UnusableInputError;
    expect(u.message).toContain('街道表.xlsx');
    return u;
  }
  throw new Error('expected the workbook to be refused');
}

const withSheet = (data: string) => miniPackage({ sheets: [{ name: '表', xml: sheetXml(data) }] });

describe('well-formedness is checked while scanning', () => {
  test('the well-formed rows are read (the fixtures below differ by one fault each)', async () => {
    const g = await readXlsx(withSheet(ROW1 + ROW2), 'ok.xlsx');
    expect(g.sheets[0].rows).toEqual([['宗地代码', '街道'], ['120102001002GB00001', '大王庄街道']]);
  });

  test.each([
    ['an unclosed tag half-way through a row', ROW1 + ROW2.replace('</t></is></c><c r="B2"', '</t></is><c r="B2"')],
    ['a row closed by the wrong end tag', ROW1.replace('</row>', '</c>') + ROW2],
    ['an end tag without a start tag', ROW1 + '</c>' + ROW2],
    ['an unquoted attribute', ROW1 + ROW2.replace('r="A2"', 'r=A2')],
    ['an attribute without a value', ROW1 + ROW2.replace('r="B2"', 'r')],
    ['attributes run together', ROW1 + ROW2.replace('r="A2" t="inlineStr"', 'r="A2"t="inlineStr"')],
  ])('%s: refused as damaged, nothing half-read', async (_what, data) => {
    const u = await refused(withSheet(data));
    expect(u.reasonZh).toContain('XML');
    expect(u.reasonZh).toContain('格式错误');
    expect(u.reasonEn).toContain('not well-formed');
    expect(u.reasonEn).toContain('xl/worksheets/sheet1.xml');
  });

  test('a part cut off before its root closes', async () => {
    const xml = sheetXml(ROW1 + ROW2);
    const u = await refused(miniPackage({ sheets: [{ name: '表', xml: xml.slice(0, xml.indexOf('<row r="2"')) }] }));
    expect(u.reasonEn).toContain('never closed');
  });

  test('two root elements, and text outside the root', async () => {
    const xml = sheetXml(ROW1);
    expect((await refused(miniPackage({ sheets: [{ name: '表', xml: xml + '<worksheet/>' }] }))).reasonEn).toContain('more than one root');
    expect((await refused(miniPackage({ sheets: [{ name: '表', xml: xml + '宗地' }] }))).reasonEn).toContain('outside the root');
  });

  test('every part that is read is checked: workbook, relationships, shared strings, styles, properties', async () => {
    const sheet = sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>');
    const ok = await readXlsx(miniPackage({ sheets: [{ name: '表', xml: sheet }], sharedStrings: SST }), 'ok.xlsx');
    expect(ok.sheets[0].rows).toEqual([['宗地代码']]);
    const bad = [
      miniPackage({ sheets: [{ name: '表', xml: sheet }], sharedStrings: SST.replace('</si>', '') }),
      miniPackage({ sheets: [{ name: '表', xml: sheet }], sharedStrings: SST, styles: '<styleSheet><cellXfs><xf numFmtId=14/></cellXfs></styleSheet>' }),
      miniPackage({ sheets: [{ name: '表', xml: sheet }], sharedStrings: SST, workbookPr: '<workbookPr date1904="1">' }),
      miniPackage({ sheets: [{ name: '表', xml: sheet }], sharedStrings: SST, core: '<cp:coreProperties><dc:title>表</dc:creator></cp:coreProperties>' }),
    ];
    for (const data of bad) expect((await refused(data)).reasonEn).toContain('not well-formed');
  });
});

describe('a cell pointing at a shared string the table does not hold', () => {
  test.each([
    ['past the end of the table', '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="5"><c r="C5" t="s"><v>7</v></c></row>', SST, 'C5', '7'],
    ['with no shared-strings part at all', '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', undefined, 'A1', '0'],
    ['not a number', '<row r="2"><c r="B2" t="s"><v>x</v></c></row>', SST, 'B2', 'x'],
  ])('%s: refused as damaged, naming the cell (a value read as blank would be lost unseen)', async (_what, rows, sst, cell, index) => {
    const u = await refused(miniPackage({ sheets: [{ name: '表', xml: sheetXml(rows) }], sharedStrings: sst }));
    expect(u.reasonZh).toContain(`单元格 ${cell}`);
    expect(u.reasonZh).toContain('共享字符串不存在');
    expect(u.reasonEn).toContain(`shared string ${index}`);
  });
});

describe('DTDs and entity declarations are refused, never expanded', () => {
  const dtd = '<!DOCTYPE worksheet [<!ENTITY a "宗地宗地宗地宗地"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>';

  test('a DOCTYPE with entities in a sheet (billion-laughs shape)', async () => {
    const xml = sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>').replace('?>', `?>${dtd}`);
    const u = await refused(miniPackage({ sheets: [{ name: '表', xml }] }));
    expect(u.reasonZh).toContain('DTD');
    expect(u.reasonEn).toContain('DOCTYPE/ENTITY');
    expect(u.reasonEn).toContain('xl/worksheets/sheet1.xml');
  });

  test('a bare DOCTYPE (no entities) in the shared strings, and an ENTITY in the workbook part', async () => {
    const sheet = sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>');
    const a = await refused(miniPackage({ sheets: [{ name: '表', xml: sheet }], sharedStrings: SST.replace('?>', '?><!DOCTYPE sst>') }));
    expect(a.reasonEn).toContain('xl/sharedStrings.xml');
    expect(a.reasonZh).toContain('DTD');
    const b = await refused(miniPackage({ sheets: [{ name: '表', xml: sheet }], sharedStrings: SST, workbookPr: '<!ENTITY x "y">' }));
    expect(b.reasonZh).toContain('DTD');
  });

  test('an undeclared entity reference stays literal text (nothing looked up)', async () => {
    const g = await readXlsx(withSheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&a; &amp;b; &lt;c&gt; &#x6CB3;</t></is></c></row>'), 'ok.xlsx');
    expect(g.sheets[0].rows).toEqual([['&a; &b; <c> 河']]);
  });
});
