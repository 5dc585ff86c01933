/** Helpers for the xlsx reader tests: hand-made packages and the exceljs reference read. */
import ExcelJS from 'exceljs';
import { strToU8, zipSync, Zippable } from 'fflate';
import type { WorkbookGrid } from '../../shared/grid';
import { exceljsToGrid } from '../../shared/xlsx/exceljs-grid';

export interface MiniSheet {
  name: string;
  /** The worksheet XML (whole document). */
  xml: string;
  state?: 'hidden' | 'veryHidden';
}

/** A minimal but valid xlsx package from hand-written parts. */
export function miniPackage(opts: {
  sheets: MiniSheet[];
  sharedStrings?: string;
  styles?: string;
  workbookPr?: string;
  core?: string;
  custom?: string;
  extra?: Record<string, string | Uint8Array>;
  level?: 0 | 6 | 9;
}): Uint8Array {
  const sheetsXml = opts.sheets
    .map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`)
    .join('');
  const rels = opts.sheets
    .map((_s, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
    .join('');
  const files: Zippable = {
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        '</Relationships>',
    ),
    'xl/workbook.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        (opts.workbookPr ?? '') +
        `<sheets>${sheetsXml}</sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        rels +
        (opts.sharedStrings !== undefined ? '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' : '') +
        (opts.styles !== undefined ? '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' : '') +
        '</Relationships>',
    ),
  };
  opts.sheets.forEach((s, i) => (files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(s.xml)));
  if (opts.sharedStrings !== undefined) files['xl/sharedStrings.xml'] = strToU8(opts.sharedStrings);
  if (opts.styles !== undefined) files['xl/styles.xml'] = strToU8(opts.styles);
  if (opts.core !== undefined) files['docProps/core.xml'] = strToU8(opts.core);
  if (opts.custom !== undefined) files['docProps/custom.xml'] = strToU8(opts.custom);
  for (const [k, v] of Object.entries(opts.extra ?? {})) files[k] = typeof v === 'string' ? strToU8(v) : v;
  return zipSync(files, { level: opts.level ?? 6 });
}

export const SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

/** A worksheet document around the given `<sheetData>` content. */
export function sheetXml(sheetData: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${SHEET_NS}><sheetData>${sheetData}</sheetData></worksheet>`;
}

/** What exceljs's buffered reader makes of the bytes, as a grid. */
export async function exceljsRead(data: Uint8Array, file = 'x.xlsx'): Promise<WorkbookGrid> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(data) as unknown as ArrayBuffer);
  return exceljsToGrid(wb, file);
}

export async function writeBuffer(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Every cell of two grids compared one by one; returns the differences (empty when equal). */
export function gridDiff(a: WorkbookGrid, b: WorkbookGrid): string[] {
  const out: string[] = [];
  if (a.sheets.length !== b.sheets.length) out.push(`sheet count ${a.sheets.length} ≠ ${b.sheets.length}`);
  for (let i = 0; i < Math.min(a.sheets.length, b.sheets.length); i++) {
    const sa = a.sheets[i];
    const sb = b.sheets[i];
    if (sa.name !== sb.name) out.push(`sheet ${i} name ${sa.name} ≠ ${sb.name}`);
    if (!!sa.hidden !== !!sb.hidden) out.push(`sheet ${sa.name} hidden ${sa.hidden} ≠ ${sb.hidden}`);
    if (sa.rows.length !== sb.rows.length) out.push(`sheet ${sa.name} rows ${sa.rows.length} ≠ ${sb.rows.length}`);
    const n = Math.max(sa.rows.length, sb.rows.length);
    for (let r = 0; r < n; r++) {
      const ra = sa.rows[r] ?? [];
      const rb = sb.rows[r] ?? [];
      const w = Math.max(ra.length, rb.length);
      for (let c = 0; c < w; c++) {
        const va = ra[c];
        const vb = rb[c];
        const same =
          va instanceof Date && vb instanceof Date
            ? va.getTime() === vb.getTime()
            : JSON.stringify(va) === JSON.stringify(vb) && typeof va === typeof vb;
        if (!same && out.length < 50) out.push(`${sa.name}!R${r + 1}C${c + 1}: ${JSON.stringify(va)} ≠ ${JSON.stringify(vb)}`);
      }
    }
  }
  return out;
}
