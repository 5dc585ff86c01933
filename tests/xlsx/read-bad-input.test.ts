/**
 * Unusable inputs: each is refused with UnusableInputError naming the file, with a Chinese and an
 * English reason, never a stack trace and never a half-read grid.
 */
import { strToU8, unzipSync, zipSync } from 'fflate';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnusableInputError } from '../../shared/types';
import { readXlsx, readXlsxFile } from '../../shared/xlsx/read';
import { miniPackage, sheetXml } from './read-helpers';

async function refusal(data: Uint8Array, limits?: Parameters<typeof readXlsx>[2]): Promise<UnusableInputError> {
  try {
    await readXlsx(data, '调查表.xlsx', limits);
  } catch (e) {
    expect(e).toBeInstanceOf(UnusableInputError);
    const u = e as UnusableInputError;
    expect(u.file).toBe('调查表.xlsx');
    expect(u.reasonZh).toMatch(/[\u4e00-\u9fff]/);
    expect(u.reasonEn).toMatch(/[a-z]/);
    expect(u.message).toContain('调查表.xlsx');
    return u;
  }
  throw new Error('expected the input to be refused');
}

const goodSheet = sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>宗地代码</t></is></c></row>');
const good = () => miniPackage({ sheets: [{ name: '表', xml: goodSheet }] });

/** A Compound File Binary header followed by directory-entry names in UTF-16LE. */
function cfb(names: string[]): Uint8Array {
  const head = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  const body: number[] = new Array(504).fill(0);
  for (const n of names) {
    for (const ch of n) body.push(ch.charCodeAt(0), 0);
    body.push(0, 0, ...new Array(62).fill(0));
  }
  return new Uint8Array([...head, ...body]);
}

/** Overwrites the declared uncompressed size of `name` in the central directory. */
function lieAboutSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const dv = new DataView(out.buffer);
  const needle = new TextEncoder().encode(name);
  for (let p = 0; p + 46 < out.length; p++) {
    if (dv.getUint32(p, true) !== 0x02014b50) continue;
    const nameLen = dv.getUint16(p + 28, true);
    const got = out.subarray(p + 46, p + 46 + nameLen);
    if (got.length === needle.length && got.every((b, i) => b === needle[i])) {
      dv.setUint32(p + 24, size, true);
      return out;
    }
  }
  throw new Error(`no ${name} in the zip`);
}

describe('readXlsx refuses unusable inputs', () => {
  test('a good minimal package is read (the fixtures below differ from it by one fault)', async () => {
    const g = await readXlsx(good(), 'ok.xlsx');
    expect(g.sheets[0].rows).toEqual([['宗地代码']]);
  });

  test('plain text, CSV and an empty file', async () => {
    expect((await refusal(strToU8('宗地代码,企业名称\n120102001002GB00001,某公司\n'))).reasonZh).toContain('不是 Excel 工作簿');
    expect((await refusal(new Uint8Array(0))).reasonZh).toContain('文件为空');
  });

  test('a PDF', async () => {
    const u = await refusal(strToU8('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'));
    expect(u.reasonZh).toContain('PDF');
    expect(u.reasonEn).toContain('PDF');
  });

  test('a password-protected workbook (encrypted OLE package) is reported as encrypted', async () => {
    const u = await refusal(cfb(['Root Entry', 'EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']));
    expect(u.reasonZh).toContain('密码');
    expect(u.reasonEn).toContain('password');
  });

  test('a legacy .xls (OLE package without encryption) is asked to be saved as .xlsx', async () => {
    const u = await refusal(cfb(['Root Entry', 'Workbook', '\u0005SummaryInformation']));
    expect(u.reasonZh).toContain('.xls');
    expect(u.reasonZh).toContain('另存为');
    expect(u.reasonEn).toContain('.xlsx');
  });

  test('a truncated zip', async () => {
    const data = good();
    const u = await refusal(data.subarray(0, Math.floor(data.length / 2)));
    expect(u.reasonZh).toContain('损坏');
  });

  test('a zip whose sheet data is corrupt', async () => {
    const big = miniPackage({ sheets: [{ name: '表', xml: sheetXml('<row><c t="inlineStr"><is><t>河东区低效用地</t></is></c></row>'.repeat(2000)) }] });
    // find the sheet's compressed data through its local header and scramble the middle of it
    const dv = new DataView(big.buffer, big.byteOffset);
    let p = 0;
    for (;;) {
      expect(dv.getUint32(p, true)).toBe(0x04034b50);
      const csize = dv.getUint32(p + 18, true);
      const nameLen = dv.getUint16(p + 26, true);
      const name = new TextDecoder().decode(big.subarray(p + 30, p + 30 + nameLen));
      const start = p + 30 + nameLen + dv.getUint16(p + 28, true);
      if (name === 'xl/worksheets/sheet1.xml') {
        for (let i = start + 2; i < start + csize - 2; i += 3) big[i] ^= 0x5a;
        break;
      }
      p = start + csize;
    }
    expect((await refusal(big)).reasonZh).toContain('损坏');
  });

  test('a zip without xl/workbook.xml', async () => {
    const u = await refusal(zipSync({ 'readme.txt': strToU8('hello'), 'data/sheet.xml': strToU8('<a/>') }));
    expect(u.reasonZh).toContain('xl/workbook.xml');
  });

  test('other office files are named (Word document, OpenDocument spreadsheet)', async () => {
    expect((await refusal(zipSync({ 'word/document.xml': strToU8('<w:document/>') }))).reasonZh).toContain('Word');
    expect((await refusal(zipSync({ mimetype: strToU8('application/vnd.oasis.opendocument.spreadsheet'), 'content.xml': strToU8('<x/>') }))).reasonEn).toContain('.ods');
  });

  describe('zip bombs', () => {
    // 8 MiB of one repeated row: deflates to a few KiB
    let cached: Uint8Array | undefined;
    const bomb = () => (cached ??= miniPackage({ sheets: [{ name: '表', xml: sheetXml('<row><c><v>1</v></c></row>'.repeat(320_000)) }], level: 9 }));

    test('declared inflated size past the limit is refused before inflating', async () => {
      const u = await refusal(bomb(), { maxInflatedBytes: 1024 * 1024, maxCompressionRatio: 1e9 });
      expect(u.reasonZh).toContain('压缩炸弹');
    });

    test('an abnormal compression ratio is refused', async () => {
      const u = await refusal(bomb(), { maxCompressionRatio: 100 });
      expect(u.reasonEn).toContain('zip bomb');
    });

    test('a part that inflates past its declared size is stopped', async () => {
      const lying = lieAboutSize(bomb(), 'xl/worksheets/sheet1.xml', 1000);
      const u = await refusal(lying, { maxCompressionRatio: 1e9 });
      expect(u.reasonEn).toContain('larger than declared');
    });

    test('the same package is read when the limits allow it', async () => {
      const g = await readXlsx(bomb(), 'b.xlsx', { maxCompressionRatio: 1e9, maxRowsPerSheet: 400_000 });
      expect(g.sheets[0].rows).toHaveLength(320_000);
    });
  });

  test('a sheet with 1,000,000 rows is refused at the row limit', async () => {
    const data = miniPackage({ sheets: [{ name: '工业', xml: sheetXml('<row><c><v>1</v></c></row>'.repeat(1_000_000)) }], level: 9 });
    const u = await refusal(data, { maxCompressionRatio: 1e9 });
    expect(u.reasonZh).toContain('200000');
    expect(u.reasonZh).toContain('工业');
    // a configured limit is honoured
    const u2 = await refusal(data, { maxCompressionRatio: 1e9, maxRowsPerSheet: 10 });
    expect(u2.reasonEn).toContain('more than 10 rows');
  });

  test('a cell longer than 32,767 characters (inline and shared)', async () => {
    const long = '长'.repeat(100_000);
    const inline = miniPackage({ sheets: [{ name: '表', xml: sheetXml(`<row r="3"><c r="B3" t="inlineStr"><is><t>${long}</t></is></c></row>`) }] });
    const u = await refusal(inline);
    expect(u.reasonZh).toContain('32767');
    expect(u.reasonZh).toContain('B3');
    const shared = miniPackage({
      sheets: [{ name: '表', xml: sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>') }],
      sharedStrings: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${long}</t></si></sst>`,
    });
    expect((await refusal(shared)).reasonEn).toContain('32767');
    // exactly at the limit is fine
    const atLimit = miniPackage({ sheets: [{ name: '表', xml: sheetXml(`<row r="1"><c r="A1" t="inlineStr"><is><t>${'长'.repeat(32_767)}</t></is></c></row>`) }] });
    expect(((await readXlsx(atLimit, 'ok.xlsx')).sheets[0].rows[0][0] as string).length).toBe(32_767);
  });

  test('readXlsxFile: missing file, folder, file over the size limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsxbad-'));
    try {
      await expect(readXlsxFile(join(dir, 'nope.xlsx'))).rejects.toMatchObject({ name: 'UnusableInputError', reasonZh: '文件不存在' });
      await expect(readXlsxFile(dir)).rejects.toMatchObject({ name: 'UnusableInputError', reasonEn: expect.stringContaining('folder') });
      const f = join(dir, 'ok.xlsx');
      writeFileSync(f, good());
      expect((await readXlsxFile(f)).sheets[0].rows[0][0]).toBe('宗地代码');
      await expect(readXlsxFile(f, { maxFileBytes: 10 })).rejects.toBeInstanceOf(UnusableInputError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('random damage (flipped bytes, cuts) gives a grid or UnusableInputError, never another error', async () => {
    const src = miniPackage({
      sheets: [{ name: '表', xml: sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>44926</v></c></row>'.repeat(50)) }],
      sharedStrings: '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>河东区</t></si></sst>',
      styles: '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>',
      level: 0, // stored: damage lands in the XML itself as often as in the zip structure
    });
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let read = 0;
    let refused = 0;
    for (let k = 0; k < 300; k++) {
      let d = src.slice();
      if (k % 3 === 0) d = d.subarray(0, rnd(d.length));
      else for (let j = 0; j < 1 + rnd(8); j++) d[rnd(d.length)] = rnd(256);
      try {
        const g = await readXlsx(d, 'x.xlsx');
        expect(Array.isArray(g.sheets)).toBe(true);
        read++;
      } catch (e) {
        expect(e).toBeInstanceOf(UnusableInputError);
        refused++;
      }
    }
    expect(read + refused).toBe(300);
    expect(refused).toBeGreaterThan(0);
  });

  test('unzipSync agrees the scrambled fixtures are real zips before the fault (sanity of the fixtures)', () => {
    expect(Object.keys(unzipSync(good()))).toContain('xl/workbook.xml');
  });
});
