/** Helpers for the CLI tests: build once, run the real command, craft bad inputs cheaply. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'land-survey.js');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of readdirSync(path)) m = Math.max(m, newestMtime(join(path, e)));
  return m;
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Bundles dist/cli.js from the current sources, unless it is already newer than them. Test files
 * run in parallel workers: a lock folder makes the second one wait instead of rewriting the bundle
 * while the first is running it.
 */
export function buildCli(): void {
  const dist = join(ROOT, 'dist');
  const out = join(dist, 'cli.js');
  const lock = join(dist, '.cli-build.lock');
  mkdirSync(dist, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a lock left by a killed run is stale after two minutes
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      sleepMs(200);
    }
  }
  try {
    const sources = Math.max(newestMtime(join(ROOT, 'cli')), newestMtime(join(ROOT, 'shared')), newestMtime(join(ROOT, 'package.json')));
    // the CLI target builds its helper threads' bundles too
    const helpers = ['cards-worker.js', 'read-worker.js'].map((f) => join(dist, f));
    if (!existsSync(out) || statSync(out).mtimeMs <= sources || helpers.some((h) => !existsSync(h))) {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), 'cli', '--quiet'], { cwd: ROOT, stdio: 'pipe' });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stderr split into its non-empty lines. */
  errLines: string[];
}

/** Runs `node bin/land-survey.js …args` (stdin/stdout/stderr are pipes: not a terminal). */
export function runCli(args: string[], opts: { cwd?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, LAND_SURVEY_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, errLines: r.stderr.split('\n').filter((l) => l.trim() !== '') };
}

export function tempDir(prefix = 'cli-'): string {
  return mkdtempSync(join(tmpdir(), `land-survey-${prefix}`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs `fn` in a fresh temp folder, removed afterwards whatever happens. */
export function inTempDir(prefix: string, fn: (dir: string) => void): void {
  const dir = tempDir(prefix);
  try {
    fn(dir);
  } finally {
    removeDir(dir);
  }
}

/** Every file name in a folder, hidden temp files included. */
export function listAll(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** A minimal xlsx package with one sheet whose XML is `sheetXml` (already a full document). */
export function craftXlsx(sheetXml: string | Uint8Array, level: 0 | 1 | 6 = 6): Uint8Array {
  const files: Zippable = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    'xl/workbook.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    'xl/worksheets/sheet1.xml': typeof sheetXml === 'string' ? strToU8(sheetXml) : sheetXml,
  };
  return zipSync(files, { level });
}

const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Sheet XML from rows of inline strings. */
export function sheetXml(rows: string[][]): string {
  const body = rows
    .map((cells, r) => `<row r="${r + 1}">${cells.map((v, c) => `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join('')}</row>`)
    .join('');
  return SHEET_HEAD + body + SHEET_TAIL;
}

/** A sheet of `n` rows (one number cell each), built as bytes without one huge JS string. */
export function manyRowsSheet(n: number): Uint8Array {
  const parts: Uint8Array[] = [strToU8(SHEET_HEAD)];
  const chunk: string[] = [];
  for (let r = 1; r <= n; r++) {
    chunk.push(`<row r="${r}"><c r="A${r}"><v>${r}</v></c></row>`);
    if (chunk.length === 50_000) {
      parts.push(strToU8(chunk.join('')));
      chunk.length = 0;
    }
  }
  parts.push(strToU8(chunk.join('') + SHEET_TAIL));
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The start of an OLE compound file (how Excel stores a password-protected workbook). */
export function encryptedWorkbookBytes(): Uint8Array {
  const d = new Uint8Array(4096);
  d.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  // Directory entry names are UTF-16LE; an encrypted OOXML package holds these two streams.
  const names = ['EncryptionInfo', 'EncryptedPackage'];
  let o = 1024;
  for (const n of names) {
    for (let i = 0; i < n.length; i++) {
      d[o + i * 2] = n.charCodeAt(i);
      d[o + i * 2 + 1] = 0;
    }
    o += 128;
  }
  return d;
}
