/**
 * Limits of the xlsx reader, and the workbook-property convention shared by the template writer
 * and the readers.
 *
 * ## Workbook properties: form id and template version
 *
 * exceljs 4.4 cannot write custom document properties (`docProps/custom.xml`): its workbook model
 * only knows the core properties (creator, title, subject, keywords, category, description, …).
 * The convention is therefore:
 *
 * - Templates set the core property **keywords** (`workbook.keywords`, `cp:keywords` in
 *   `docProps/core.xml`) to `formKeywords(formId, TEMPLATE_VERSION)`, i.e.
 *   `formId=industrial;templateVersion=2022.1`, and the **title** to the form's Chinese title.
 * - Readers (`readXlsx`, `exceljsToGrid`) parse keywords with `parseFormKeywords` and expose
 *   `properties.formId` / `properties.templateVersion` / `properties.title` on the `WorkbookGrid`.
 *   When a workbook does carry custom properties named `formId` / `templateVersion` (written by
 *   another tool), those win over the keywords.
 * Other keywords a user adds are kept: tokens are separated by `;`, `,` or white space, and only
 * `formId=` / `templateVersion=` tokens are interpreted.
 */

export interface ReadLimits {
  /** Total inflated bytes of the parts read (zip-bomb guard). Default 512 MiB. */
  maxInflatedBytes: number;
  /** Largest inflated / compressed ratio of one part once it is past 1 MiB (zip-bomb guard). Default 1000. */
  maxCompressionRatio: number;
  /** Size of the .xlsx file itself. Default 256 MiB. */
  maxFileBytes: number;
  /** Rows holding at least one value, per sheet (title and header rows included). Default 200,000. */
  maxRowsPerSheet: number;
  /** Columns per sheet (Excel allows 16,384). Default 16,384. */
  maxColumns: number;
  /** Characters in one cell: Excel's own limit is 32,767. */
  maxCellChars: number;
  /** Rows × columns of the used area of one sheet (the dense grid kept in memory). Default 20,000,000. */
  maxCells: number;
}

export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxInflatedBytes: 512 * 1024 * 1024,
  maxCompressionRatio: 1000,
  maxFileBytes: 256 * 1024 * 1024,
  maxRowsPerSheet: 200_000,
  maxColumns: 16_384,
  maxCellChars: 32_767,
  maxCells: 20_000_000,
});

export function resolveLimits(limits?: Partial<ReadLimits>): ReadLimits {
  const out: ReadLimits = { ...DEFAULT_READ_LIMITS };
  if (limits) {
    for (const k of Object.keys(out) as (keyof ReadLimits)[]) {
      const v = limits[k];
      if (typeof v === 'number' && v > 0) out[k] = v;
    }
  }
  return out;
}

/** The keywords a template carries: `formId=<id>;templateVersion=<version>`. */
export function formKeywords(formId: string, templateVersion: string): string {
  return `formId=${formId};templateVersion=${templateVersion}`;
}

/** `formId` / `templateVersion` found in a keywords property (absent keys are left out). */
export function parseFormKeywords(keywords: string | undefined | null): { formId?: string; templateVersion?: string } {
  const out: { formId?: string; templateVersion?: string } = {};
  if (!keywords) return out;
  for (const token of keywords.split(/[;,\s]+/)) {
    const m = /^(formId|templateVersion)=(.+)$/.exec(token.trim());
    if (m) out[m[1] as 'formId' | 'templateVersion'] = m[2];
  }
  return out;
}
