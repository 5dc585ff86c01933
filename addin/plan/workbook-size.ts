/**
 * Whether a workbook can be opened with `Excel.createWorkbook(base64)`: Excel on the web refuses a
 * request over 5 MB, and the workbook travels as base64 (4 characters per 3 bytes) inside it. Over
 * the limit the add-in offers the file as a download instead. Pure.
 */

/** Excel on the web's request limit. */
export const EXCEL_REQUEST_LIMIT = 5 * 1024 * 1024;
/** Room left in the request for what travels beside the base64 text. */
const ENVELOPE = 64 * 1024;

/** Length of the base64 text of `bytes` bytes. */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/** True when an .xlsx of `bytes` bytes fits one createWorkbook request. */
export function fitsCreateWorkbook(bytes: number): boolean {
  return base64Length(bytes) + ENVELOPE <= EXCEL_REQUEST_LIMIT;
}

/** The largest .xlsx that still fits (for messages and tests). */
export const MAX_CREATE_WORKBOOK_BYTES = Math.floor(((EXCEL_REQUEST_LIMIT - ENVELOPE) / 4) * 3);

/** `3.2 MB`, for messages. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
