/**
 * Parts written at once (the marked copy's changed parts): a large part is deflated in pieces side
 * by side and joined into one deflate stream. Whatever the cut, every inflater must give back the
 * same bytes: node's zlib, fflate (an independent implementation) and the project's reader.
 */
import { unzipSync } from 'fflate';
import { crc32, inflateRawSync } from 'node:zlib';
import { readZipDirectory, storedBytes } from '../../shared/xlsx/read-zip';
import { deflatedPart, zipParts } from '../../shared/xlsx/zip-write';

/** Sheet-like text mixing ASCII markup and CJK values, `rows` rows long. */
function sheetText(rows: number): string {
  const out: string[] = [];
  for (let r = 1; r <= rows; r++) {
    out.push(`<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>天津市河东区第${r}号制造有限公司</t></is></c><c r="B${r}"><v>${(r * 7919) % 100003}</v></c></row>`);
  }
  return `<worksheet><sheetData>${out.join('')}</sheetData></worksheet>`;
}

describe('a part deflated in pieces', () => {
  const text = sheetText(140_000); // about 17 MB of UTF-8: cut into several pieces
  const bytes = Buffer.from(text, 'utf8');

  test('is large enough to be cut (the test means something)', () => {
    expect(bytes.length).toBeGreaterThan(12 << 20);
  });

  test('inflates back to the same bytes with node:zlib, with the CRC and size of the whole', async () => {
    const p = await deflatedPart('xl/worksheets/sheet1.xml', text, 1);
    expect(p.method).toBe(8);
    expect(p.size).toBe(bytes.length);
    expect(p.crc).toBe(crc32(bytes));
    expect(inflateRawSync(p.data).equals(bytes)).toBe(true);
    expect(p.data.length).toBeLessThan(bytes.length / 4);
  });

  test('a zip of it reads back the same through fflate and through the project reader', async () => {
    const parts = [await deflatedPart('a.xml', '<a>小</a>'), await deflatedPart('xl/worksheets/sheet1.xml', text, 3), await deflatedPart('z.xml', '')];
    const zip = zipParts(parts);
    const viaFflate = unzipSync(new Uint8Array(zip));
    expect(Buffer.from(viaFflate['xl/worksheets/sheet1.xml']).equals(bytes)).toBe(true);
    expect(Buffer.from(viaFflate['a.xml']).toString('utf8')).toBe('<a>小</a>');
    expect(viaFflate['z.xml'].length).toBe(0);
    const dir = readZipDirectory(zip);
    const e = dir.get('xl/worksheets/sheet1.xml')!;
    expect(e.size).toBe(bytes.length);
    expect(e.crc).toBe(crc32(bytes));
    expect(inflateRawSync(storedBytes(zip, e)).equals(bytes)).toBe(true);
  });

  test('a small part is one deflate stream, as before', async () => {
    const p = await deflatedPart('x.xml', sheetText(100));
    expect(inflateRawSync(p.data).toString('utf8')).toBe(sheetText(100));
  });
});
