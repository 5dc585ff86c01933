/**
 * What the reader must understand in files exceljs does not write: hand-written parts as Excel,
 * WPS, LibreOffice or other tools write them. Expected values are worked out from the XML by hand.
 */
import { unzipSync, zipSync } from 'fflate';
import { readXlsx } from '../../shared/xlsx/read';
import { formKeywords, parseFormKeywords } from '../../shared/xlsx/limits';
import { exceljsRead, miniPackage, SHEET_NS, sheetXml } from './read-helpers';

const utc = (y: number, m: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, m - 1, d, h, mi));

/** cellXfs: 0 General, 1 built-in 14, 2 custom yyyy-mm-dd, 3 built-in 31 (zh-CN 年月日), 4 custom money, 5 custom with escaped/quoted letters, 6 built-in 22 */
const STYLES = `<?xml version="1.0" encoding="UTF-8"?><styleSheet ${SHEET_NS}>
<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="#,##0.00_);[Red]\\(#,##0.00\\)&quot;万元&quot;"/><numFmt numFmtId="166" formatCode="0.0\\d&quot;m&quot;_m"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="31"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="22"/></cellXfs>
</styleSheet>`;

describe('readXlsx on hand-written parts', () => {
  test('value types, escapes, entities and phonetic runs', async () => {
    const sst = `<?xml version="1.0" encoding="UTF-8"?><sst ${SHEET_NS}>
<si><t>第一行_x000D_\n第二行</t></si>
<si><t>字面量_x005F_x000D_保留</t></si>
<si><r><rPr><b/></rPr><t>河东</t></r><r><t xml:space="preserve"> 区 </t></r><rPh sb="0" eb="2"><t>ハドン</t></rPh></si>
<si><t>&#x4E2D;&#20013;&lt;&amp;&gt;&quot;&apos;</t></si>
</sst>`;
    const xml = sheetXml(
      '<row r="1">' +
        '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>' +
        '</row>' +
        '<row r="2">' +
        '<c r="A2" t="inlineStr"><is><t><![CDATA[a<b & c]]></t></is></c>' +
        '<c r="B2" t="str"><f>A1&amp;""</f><v>公式&amp;文本</v></c>' +
        '<c r="C2" t="b"><v>0</v></c><c r="D2" t="b"><f>TRUE()</f><v>1</v></c>' +
        '<c r="E2" t="e"><f>NA()</f><v>#N/A</v></c>' +
        '<c r="F2"><f>1+1</f></c>' + // formula without a cached value
        '<c r="G2" s="4"/>' + // styled, empty
        '<c r="H2"><v>-1.25E-3</v></c>' +
        '</row>' +
        '<row r="4"><c r="B4" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r><rPh><t>x</t></rPh></is></c></row>' +
        '<row r="5"><c r="A5" s="4"/></row>', // trailing row with only styled empty cells
    );
    const g = await readXlsx(miniPackage({ sheets: [{ name: '类型', xml }], sharedStrings: sst, styles: STYLES }), 't.xlsx');
    expect(g.sheets[0].rows).toEqual([
      ['第一行\r\n第二行', '字面量_x000D_保留', '河东 区 ', '中中<&>"\'', null, null, null, null],
      ['a<b & c', '公式&文本', false, true, { error: '#N/A' }, null, null, -0.00125],
      [null, null, null, null, null, null, null, null],
      [null, '富文本', null, null, null, null, null, null],
    ]);
  });

  test('dates: built-in and custom formats, the 1900 leap-year bug, ISO cells, not-dates', async () => {
    const xml = sheetXml(
      '<row r="1">' +
        '<c r="A1" s="1"><v>44926</v></c>' + // 14 → 2022-12-31
        '<c r="B1" s="2"><v>43983</v></c>' + // yyyy-mm-dd → 2020-06-01
        '<c r="C1" s="3"><v>44562</v></c>' + // 31 (yyyy"年"m"月"d"日") → 2022-01-01
        '<c r="D1" s="6"><v>44927.5</v></c>' + // 22 → 2023-01-01 12:00
        '<c r="E1" s="4"><v>44926</v></c>' + // money format: a number
        '<c r="F1" s="5"><v>12.5</v></c>' + // \d and "m" and _m are literal: a number
        '<c r="G1" t="d"><v>2021-03-05T00:00:00</v></c>' +
        '</row>' +
        '<row r="2">' +
        '<c r="A2" s="1"><v>1</v></c>' + // 1900-01-01
        '<c r="B2" s="1"><v>59</v></c>' + // 1900-02-28
        '<c r="C2" s="1"><v>61</v></c>' + // 1900-03-01
        '<c r="D2" s="1"><v>-5</v></c>' + // no such date: kept as the number
        '<c r="E2" s="1" t="s"><v>0</v></c>' + // text in a date-formatted cell stays text
        '</row>',
    );
    const sst = `<sst ${SHEET_NS}><si><t>2022年</t></si></sst>`;
    const g = await readXlsx(miniPackage({ sheets: [{ name: '日期', xml }], styles: STYLES, sharedStrings: sst }), 'd.xlsx');
    expect(g.sheets[0].rows).toEqual([
      [utc(2022, 12, 31), utc(2020, 6, 1), utc(2022, 1, 1), utc(2023, 1, 1, 12), 44926, 12.5, utc(2021, 3, 5)],
      [utc(1900, 1, 1), utc(1900, 2, 28), utc(1900, 3, 1), -5, '2022年', null, null],
    ]);
    // 1904 date system: serial 0 is 1904-01-01
    const g1904 = await readXlsx(
      miniPackage({ sheets: [{ name: '日期', xml: sheetXml('<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>43464</v></c></row>') }], styles: STYLES, workbookPr: '<workbookPr date1904="1"/>' }),
      'd1904.xlsx',
    );
    expect(g1904.sheets[0].rows).toEqual([[utc(1904, 1, 1), utc(2022, 12, 31)]]);
  });

  // (exceljs 4.4 cannot load this package at all: it does not understand namespace prefixes)
  test('no r attributes, namespace prefixes, single quotes, hidden sheets', async () => {
    const prefixed = `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row><x:c t='inlineStr'><x:is><x:t>甲</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row>
<x:row r='3'><x:c r='C3'><x:v>3</x:v></x:c><x:c><x:v>4</x:v></x:c></x:row>
</x:sheetData></x:worksheet>`;
    const plain = sheetXml('<row r="2" hidden="1"><c r="B2"><v>7</v></c></row>');
    const data = miniPackage({
      sheets: [
        { name: '前缀', xml: prefixed },
        { name: '隐藏', xml: plain, state: 'hidden' },
        { name: '很隐藏 &amp; 空格', xml: sheetXml(''), state: 'veryHidden' },
      ],
    });
    const g = await readXlsx(data, 'p.xlsx');
    expect(g.sheets[0].rows).toEqual([
      ['甲', 2, null, null],
      [null, null, null, null],
      [null, null, 3, 4],
    ]);
    expect(g.sheets.map((s) => [s.name, !!s.hidden])).toEqual([['前缀', false], ['隐藏', true], ['很隐藏 & 空格', true]]);
    expect(g.sheets[1].rows).toEqual([[null, null], [null, 7]]);
    expect(g.sheets[2].rows).toEqual([]);
    await expect(exceljsRead(data)).rejects.toThrow();
  });

  test('workbook properties: keywords convention, custom properties win, title', async () => {
    const core = `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>低效工业调查表</dc:title><cp:keywords>${formKeywords('industrial', '2022.1')} 河东</cp:keywords><dc:creator>区产促局</dc:creator></cp:coreProperties>`;
    const sheet = { name: 's', xml: sheetXml('') };
    const g = await readXlsx(miniPackage({ sheets: [sheet], core }), 'p.xlsx');
    expect(g.properties).toEqual({
      title: '低效工业调查表', keywords: 'formId=industrial;templateVersion=2022.1 河东', creator: '区产促局', formId: 'industrial', templateVersion: '2022.1',
    });
    const custom = `<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="formId"><vt:lpwstr>commercial</vt:lpwstr></property>
<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="templateVersion"><vt:lpwstr>2023.2</vt:lpwstr></property></Properties>`;
    const g2 = await readXlsx(miniPackage({ sheets: [sheet], core, custom }), 'p.xlsx');
    expect(g2.properties).toMatchObject({ formId: 'commercial', templateVersion: '2023.2', title: '低效工业调查表' });
    expect(parseFormKeywords('河东, formId=tax ;templateVersion=1')).toEqual({ formId: 'tax', templateVersion: '1' });
    expect(parseFormKeywords(undefined)).toEqual({});
  });

  test('a part encoded as UTF-16 (with its byte-order mark) is read like UTF-8', async () => {
    const xml = sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>河东区</t></is></c><c r="B1"><v>5</v></c></row>').replace('UTF-8', 'UTF-16');
    const utf16 = new Uint8Array(2 + xml.length * 2);
    utf16[0] = 0xff;
    utf16[1] = 0xfe;
    for (let i = 0; i < xml.length; i++) {
      utf16[2 + 2 * i] = xml.charCodeAt(i) & 0xff;
      utf16[3 + 2 * i] = xml.charCodeAt(i) >> 8;
    }
    const data = miniPackage({ sheets: [{ name: 'u16', xml: '' }], extra: { 'xl/worksheets/sheet1.xml': utf16 } });
    expect((await readXlsx(data, 'u16.xlsx')).sheets[0].rows).toEqual([['河东区', 5]]);
  });

  test('a package without xl/_rels/workbook.xml.rels still finds its sheets by their usual names', async () => {
    const data = miniPackage({ sheets: [{ name: '甲', xml: sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>') }] });
    const parts = unzipSync(data);
    delete parts['xl/_rels/workbook.xml.rels'];
    expect((await readXlsx(zipSync(parts), 'norels.xlsx')).sheets).toEqual([{ name: '甲', rows: [[1]] }]);
  });

  test('workbook found through _rels/.rels elsewhere than xl/, sheets through absolute targets', async () => {
    const data = miniPackage({
      sheets: [],
      extra: {
        '_rels/.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/book/wb.xml"/></Relationships>`,
        'book/wb.xml': `<workbook xmlns="${'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="一" sheetId="1" r:id="a"/></sheets></workbook>`,
        'book/_rels/wb.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="a" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/data/s.xml"/></Relationships>`,
        'data/s.xml': sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>'),
      },
    });
    const g = await readXlsx(data, 'r.xlsx');
    expect(g.sheets).toEqual([{ name: '一', rows: [[1]] }]);
  });
});
