/**
 * Looks at an uploaded .xlsx before anything is inflated: it must be a zip holding an Excel
 * workbook, and the sizes its central directory declares must stay within the configured limit
 * (a zip bomb is refused here; the xlsx reader enforces the same limits while inflating).
 */
import { HttpError } from './http';

const EOCD = 0x06054b50;
const CDH = 0x02014b50;

const notXlsx = (why: string) =>
  new HttpError(422, 'not-xlsx', `上传的文件不是有效的Excel工作簿（.xlsx）：${why}`, `the upload is not a valid .xlsx workbook`);

export interface ZipSummary {
  entries: number;
  declaredInflatedBytes: number;
}

export function guardXlsx(data: Uint8Array, maxInflatedBytes: number, maxRatio = 1000): ZipSummary {
  if (data.byteLength < 22 || data[0] !== 0x50 || data[1] !== 0x4b || data[2] !== 0x03 || data[3] !== 0x04) {
    throw notXlsx(data[0] === 0xd0 && data[1] === 0xcf ? '这是旧版 .xls 或加密文件，请另存为 .xlsx' : '文件不是 zip 格式');
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let eocd = -1;
  for (let i = data.byteLength - 22; i >= Math.max(0, data.byteLength - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notXlsx('文件不完整（找不到 zip 目录）');
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff || cdOffset + cdSize > data.byteLength) throw notXlsx('zip 目录无效');
  let p = cdOffset;
  let total = 0;
  let hasWorkbook = false;
  let hasTypes = false;
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (p + 46 > data.byteLength || view.getUint32(p, true) !== CDH) throw notXlsx('zip 目录损坏');
    const compressed = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const name = decoder.decode(data.subarray(p + 46, p + 46 + nameLen));
    if (name === 'xl/workbook.xml') hasWorkbook = true;
    if (name === '[Content_Types].xml') hasTypes = true;
    if (size === 0xffffffff || compressed === 0xffffffff) total = Number.POSITIVE_INFINITY;
    else total += size;
    if (size > 1024 * 1024 && size / Math.max(compressed, 1) > maxRatio) {
      throw new HttpError(422, 'zip-bomb', `文件“${name.slice(0, 80)}”部分压缩比异常（疑似压缩炸弹），已拒绝`, 'suspicious compression ratio (zip bomb), rejected');
    }
    if (total > maxInflatedBytes) {
      const mb = (maxInflatedBytes / 1024 / 1024).toFixed(0);
      throw new HttpError(413, 'inflated-too-large', `工作簿解压后超过上限（${mb} MB），已拒绝`, `the workbook inflates past the limit of ${mb} MB`);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (!hasWorkbook || !hasTypes) throw notXlsx('压缩包中没有 Excel 工作簿（xl/workbook.xml）');
  return { entries: count, declaredInflatedBytes: total };
}
