/**
 * The real Office host: Excel.run, requirement sets, the document's file in slices, opening a new
 * workbook, and the ribbon state. The controller only sees the `Host` interface, so tests and the
 * browser page can hand in a fake.
 */
import type { Caps } from './sheet-io';

export interface Host {
  run<T>(fn: (ctx: Excel.RequestContext) => Promise<T>): Promise<T>;
  caps(): Caps;
  /** The whole workbook as .xlsx bytes (getFileAsync, compressed, in slices). */
  readFile(onProgress?: (done: number) => void): Promise<Uint8Array>;
  /** File name of the open workbook, for the service's records. */
  fileName(): string;
  /** Opens bytes of an .xlsx as a new workbook. */
  openWorkbook(xlsx: Uint8Array): Promise<void>;
  /** Offers a file as a download from the pane (when it is too large to open through Office.js). */
  download(bytes: Uint8Array, fileName: string, type: string): Promise<void>;
  /** Enables or disables the office-only ribbon buttons (汇总). */
  setOfficeButtons(enabled: boolean): Promise<void>;
  /** Shows the task pane (so a message from a ribbon command is seen). */
  showPane(): Promise<void>;
}

/** Ribbon ids, as in manifest.xml. */
export const RIBBON = { tab: 'LandSurvey.Tab', group: 'LandSurvey.Group', consolidate: 'LandSurvey.Consolidate' } as const;

/** Slice size asked of getFileAsync (the maximum Office allows is 4 MB). */
export const FILE_SLICE_BYTES = 4 * 1024 * 1024;

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) s += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(s);
}

function officeCall<T>(fn: (cb: (r: Office.AsyncResult<T>) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    fn((r) => (r.status === Office.AsyncResultStatus.Succeeded ? resolve(r.value) : reject(new Error(r.error?.message ?? '读取文件失败')))),
  );
}

/** Reads the document as compressed .xlsx, one slice after the other (each needs the previous). */
export async function readDocumentFile(onProgress?: (done: number) => void): Promise<Uint8Array> {
  const file = await officeCall<Office.File>((cb) => Office.context.document.getFileAsync(Office.FileType.Compressed, { sliceSize: FILE_SLICE_BYTES }, cb));
  try {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (let i = 0; i < file.sliceCount; i++) {
      const slice = await officeCall<Office.Slice>((cb) => file.getSliceAsync(i, cb));
      const bytes = new Uint8Array(slice.data as ArrayLike<number>);
      parts.push(bytes);
      size += bytes.length;
      onProgress?.((i + 1) / file.sliceCount);
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  } finally {
    file.closeAsync();
  }
}

export function officeHost(): Host {
  return {
    run: (fn) => Excel.run(fn),
    caps: () => ({
      notes: Office.context.requirements.isSetSupported('ExcelApi', '1.18'),
      comments: Office.context.requirements.isSetSupported('ExcelApi', '1.10'),
      merges: Office.context.requirements.isSetSupported('ExcelApi', '1.13'),
    }),
    readFile: readDocumentFile,
    fileName: () => {
      const url = Office.context.document.url ?? '';
      return url.split(/[\\/]/).pop() || '工作簿.xlsx';
    },
    openWorkbook: (xlsx) => Excel.createWorkbook(toBase64(xlsx)),
    download: async (bytes, fileName, type) => downloadInPane(bytes, fileName, type),
    async setOfficeButtons(enabled) {
      if (!Office.context.requirements.isSetSupported('RibbonApi', '1.1')) return;
      await Office.ribbon.requestUpdate({
        tabs: [{ id: RIBBON.tab, groups: [{ id: RIBBON.group, controls: [{ id: RIBBON.consolidate, enabled }] }] }],
      });
    },
    async showPane() {
      if (Office.context.requirements.isSetSupported('SharedRuntime', '1.1')) await Office.addin.showAsTaskpane();
    },
  };
}

/** A download link clicked in the pane's own document (Excel on the web hands it to the browser). */
export function downloadInPane(bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
