/**
 * LibreOffice (soffice headless) and poppler (pdftotext, pdftoppm) as an independent reader of
 * the workbooks the project writes. Each call uses its own HOME and user profile so runs can be
 * concurrent; conversions are batched (one soffice start for many files) because each start is slow.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';

function has(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 60000 });
    return true;
  } catch {
    return false;
  }
}

/** Null when soffice, pdftotext and pdftoppm are all there; else why the tests are skipped. */
export function libreOfficeMissing(): string | null {
  const missing = [
    has('soffice', ['--version']) ? null : 'soffice',
    has('pdftotext', ['-v']) ? null : 'pdftotext',
    has('pdftoppm', ['-v']) ? null : 'pdftoppm',
  ].filter(Boolean);
  return missing.length ? `not installed: ${missing.join(', ')} (apt: libreoffice-calc-nogui, poppler-utils)` : null;
}

/** CSV filter: UTF-8 (76), comma, double quote, export every sheet to its own file (-1, LO ≥ 7.2). */
export const CSV_ALL_SHEETS = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';

/**
 * Converts `files` with one soffice run; returns the output directory. `format` is a soffice
 * `--convert-to` argument (`pdf`, `xlsx`, `CSV_ALL_SHEETS`). Throws with soffice's output when
 * the conversion fails or produces nothing for a file.
 */
export function sofficeConvert(files: string[], format: string): string {
  const work = mkdtempSync(join(tmpdir(), 'lo-run-'));
  const out = join(work, 'out');
  const r = spawnSync(
    'soffice',
    ['--headless', '--norestore', `-env:UserInstallation=file://${work}/profile`, '--convert-to', format, '--outdir', out, ...files],
    { env: { ...process.env, HOME: work }, encoding: 'utf8', timeout: 240000 },
  );
  if (r.status !== 0) throw new Error(`soffice failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  const made = safeList(out);
  for (const f of files) {
    const stem = basename(f, extname(f));
    if (!made.some((m) => m.startsWith(stem))) throw new Error(`soffice produced nothing for ${f}: ${r.stderr}\n${r.stdout}`);
  }
  return out;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The CSV soffice wrote for one sheet of a workbook converted with CSV_ALL_SHEETS, parsed. */
export function readSheetCsv(outDir: string, workbook: string, sheet: string): string[][] {
  const stem = basename(workbook, extname(workbook));
  const text = readFileSync(join(outDir, `${stem}-${sheet}.csv`), 'utf8');
  return parseCsv(text);
}

/** Minimal RFC 4180 parser (quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else q = false;
      } else field += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The text of each page of a PDF (pdftotext -layout; pages are separated by form feeds), page 1 first. */
export function pdfPages(pdf: string): string[] {
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const pages = text.split('\f');
  if (pages.length && pages[pages.length - 1].trim() === '') pages.pop();
  return pages;
}

/** Renders one page of a PDF to PNG; returns the PNG's path. */
export function pdfPageToPng(pdf: string, page: number, outStem: string, dpi = 150): string {
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', pdf, outStem]);
  return `${outStem}.png`;
}

/**
 * The printed size of each page's text: the median height (points) of the words' boxes as
 * `pdftotext -bbox` gives them, with the page's first words (its title) to tell the sheet.
 */
export function pdfTextSizes(pdf: string): { head: string; median: number }[] {
  const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return html.split('<page ').slice(1).map((p) => {
    const words = [...p.matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</g)];
    const hs = words.map((m) => Number(m[2]) - Number(m[1])).sort((a, b) => a - b);
    return { head: words.slice(0, 3).map((m) => m[3]).join(''), median: hs.length ? hs[hs.length >> 1] : 0 };
  });
}
