/**
 * The workbooks the project writes, read by an independent program: LibreOffice opens the
 * templates, a marked copy and the submission workbook (converted to CSV and PDF), the printed
 * 低效用地数据库 and 一宗一卡 pages carry the title and header rows, formula-looking text stays
 * text, and department workbooks saved by LibreOffice (not exceljs) read and consolidate the same.
 *
 * Three soffice runs in all (CSV, PDF, XLSX), each on a batch of files.
 * `UPDATE_DOCS_IMG=1 npx jest tests/xlsx/libreoffice-write` also refreshes docs/img/*.png.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { FORMS } from '../../shared/forms';
import { consolidate } from '../../shared/determine';
import { readWorkbook } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import { writeSampleWorkbooks } from '../../shared/sample/write';
import type { Consolidation, FormRead } from '../../shared/types';
import { writeMarkedCopy } from '../../shared/xlsx/marked';
import { readXlsxFile } from '../../shared/xlsx/read';
import { writeSubmission } from '../../shared/xlsx/submission';
import { writeTemplate } from '../../shared/xlsx/template';
import {
  CSV_ALL_SHEETS, libreOfficeMissing, pdfPages, pdfPageToPng, pdfTextSizes, readSheetCsv, sofficeConvert,
} from '../helpers/libreoffice';
import { INJECTIONS, makeConsolidation } from './write-fixtures';
import { buildCli, ROOT } from '../cli/helpers';

const missing = libreOfficeMissing();
const rs = defaultRuleSet();

async function consolidateFiles(files: string[]): Promise<{ reads: FormRead[]; c: Consolidation }> {
  const reads: FormRead[] = [];
  for (const f of files) reads.push(...readWorkbook(await readXlsxFile(f), rs));
  return { reads, c: consolidate(reads, rs) };
}

if (missing) {
  test.skip(`LibreOffice checks skipped: ${missing}`, () => undefined);
  // eslint-disable-next-line no-console
  console.log(`LibreOffice checks skipped: ${missing}`);
} else {
  describe('workbooks opened by LibreOffice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-write-'));
    const templates: string[] = [];
    let sample: { files: string[] };
    let real: Consolidation;
    const submission = join(dir, 'submission.xlsx');
    // the same submission with its cards written on a second thread, as the CLI writes large ones
    const threaded = join(dir, 'threaded.xlsx');
    const at = new Date();
    const injected = join(dir, 'injected.xlsx');
    // a 汇总 of several pages: 60 parcels (24 street × category rows) and 40 inputs
    const longSummary = join(dir, 'long-summary.xlsx');
    const big = makeConsolidation(60);
    big.conservation = Array.from({ length: 40 }, (_, k) => ({ file: `街道报送${k + 1}.xlsx`, form: 'industrial' as const, sheet: 'Sheet1', rowsIn: 10, rowsUsed: 9, rowsIssueOnly: 1, rowsNotRecords: 0 }));
    const marked = join(dir, 'marked.xlsx');
    let csvDir = '';
    let pdfDir = '';
    let loInputsDir = '';

    beforeAll(async () => {
      for (const f of FORMS) {
        const p = join(dir, `template-${f.id}.xlsx`);
        writeFileSync(p, await writeTemplate(f.id, { rows: 30 }));
        templates.push(p);
      }
      // a realistic consolidation: the sample department workbooks through the real reader and engine
      sample = await writeSampleWorkbooks(join(dir, 'sample'), { scale: 0.5 });
      real = (await consolidateFiles(sample.files)).c;
      await writeSubmission(real, rs, submission, { generatedAt: at });
      buildCli(); // dist/cards-worker.js is built with the CLI
      await writeSubmission(real, rs, threaded, { generatedAt: at, cardsWorker: join(ROOT, 'dist', 'cards-worker.js'), cardsWorkerMin: 0 });
      await writeSubmission(makeConsolidation(10), rs, injected);
      await writeSubmission(big, rs, longSummary);
      // a marked copy of the industrial workbook of the sample
      const industrial = sample.files.find((f) => f.includes('低效工业'))!;
      const grid = await readXlsxFile(industrial);
      const issues = readWorkbook(grid, rs).flatMap((r) => r.issues);
      writeFileSync(marked, await writeMarkedCopy(readFileSync(industrial), issues));

      csvDir = sofficeConvert([...templates, submission, injected, marked], CSV_ALL_SHEETS);
      pdfDir = sofficeConvert([submission, threaded, longSummary], 'pdf');
      // copy the inputs so LibreOffice's xlsx output does not overwrite them
      const src = join(dir, 'lo-src');
      mkdirSync(src);
      const copies = sample.files.map((f) => {
        const to = join(src, basename(f));
        copyFileSync(f, to);
        return to;
      });
      loInputsDir = sofficeConvert([...copies, injected], 'xlsx');
    }, 600000);

    test('every template opens, with its title row and the catalogue header', () => {
      for (const f of FORMS) {
        const rows = readSheetCsv(csvDir, `template-${f.id}.xlsx`, f.title);
        expect(rows[0][0]).toBe(f.title);
        expect(rows[1].slice(0, f.fields.length)).toEqual(f.fields.map((x) => x.title));
      }
    });

    test('the submission workbook opens with all its sheets; 认定结果 matches the consolidation', () => {
      const rows = readSheetCsv(csvDir, 'submission.xlsx', '认定结果');
      expect(rows[2][1]).toBe('宗地代码');
      const ids = rows.slice(3).filter((r) => r[1]).map((r) => r[1]);
      expect(ids).toEqual(real.details.map((d) => d.parcelId));
      for (const s of ['汇总', '低效用地数据库', '历史遗留用地数据库', '问题清单', '难点堵点', '一宗一卡']) {
        expect(readSheetCsv(csvDir, 'submission.xlsx', s).length).toBeGreaterThan(2);
      }
    });

    test('the marked copy opens; its 问题清单 lists the issues', () => {
      const rows = readSheetCsv(csvDir, 'marked.xlsx', '问题清单');
      expect(rows[0][0]).toBe('问题清单（校验结果）');
      expect(rows.length).toBeGreaterThan(3);
    });

    test('formula-looking text is shown as text by LibreOffice, and saved by it as text', async () => {
      const rows = readSheetCsv(csvDir, 'injected.xlsx', '问题清单');
      const shown = rows.map((r) => r[9]);
      for (const v of INJECTIONS) expect(shown).toContain(v);
      // LibreOffice's own xlsx of the same workbook keeps them as string cells, not formulas
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(loInputsDir, 'injected.xlsx'));
      const ws = wb.getWorksheet('问题清单')!;
      const cells: ExcelJS.Cell[] = [];
      ws.eachRow((row) => cells.push(row.getCell(10)));
      for (const v of INJECTIONS) {
        // LibreOffice stores text mixing Latin and Chinese as rich text: either way a text cell
        const cell = cells.find((c) => c.text === v);
        expect(cell).toBeDefined();
        expect([ExcelJS.ValueType.String, ExcelJS.ValueType.RichText]).toContain(cell!.type);
      }
    });

    test('printed, every 低效用地数据库 page shows the title and the header row', () => {
      const pages = pdfPages(join(pdfDir, 'submission.pdf'));
      const db = pages.filter((p) => p.includes('河东区低效用地数据库'));
      const low = real.details.filter((d) => d.result === '低效');
      expect(low.length).toBeGreaterThan(20);
      // enough rows to need more than one page: the header must repeat on each
      expect(db.length).toBeGreaterThan(1);
      for (const p of db) {
        expect(p).toContain('宗地代码');
        expect(p).toContain('认定理由');
        expect(p).toMatch(/第 \d+ 页 共 \d+ 页/);
      }
      // every 低效 parcel is printed
      const text = db.join('\n');
      for (const d of low) expect(text).toContain(d.parcelId);
    });

    test('printed, 一宗一卡 has one card per page start, the title on every page, and no page without its card id', () => {
      const pages = pdfPages(join(pdfDir, 'submission.pdf'));
      const cards = pages.filter((p) => p.includes('低效用地一宗一卡'));
      expect(cards.length).toBeGreaterThanOrEqual(real.details.length);
      // every printed card page names its parcel: a card too long for a page continues under its id
      for (const p of cards) expect((p.match(/宗地卡片/g) ?? []).length).toBe(1);
      const starts = cards.filter((p) => /宗地卡片\s+\S+（\d+\/\d+）/.test(p));
      expect(starts).toHaveLength(real.details.length);
      for (const p of cards.filter((x) => x.includes('（续）'))) {
        const id = /宗地卡片\s+(\S+)（续）/.exec(p)![1];
        expect(real.details.map((d) => d.parcelId)).toContain(id);
      }
    });

    test('printed, every 汇总 page that continues a table shows its heading (续) and header; each input is printed once', () => {
      const pages = pdfPages(join(pdfDir, 'long-summary.pdf')).filter((p) => p.includes('低效用地调查认定汇总表'));
      expect(pages.length).toBeGreaterThanOrEqual(3);
      for (const p of pages) {
        expect(p).toMatch(/第 \d+ 页 共 \d+ 页/);
        // rows of the per-input table stand under its header on every page they are printed on
        if (/街道报送\d+\.xlsx/.test(p)) expect(p).toContain('读入记录行数');
        if (/富民路街道/.test(p)) expect(p).toContain('其中低效');
      }
      expect(pages.some((p) => p.includes('五、各报送表数据行核对（读入行数 = 参与认定行数 + 仅列入问题清单行数）（续）'))).toBe(true);
      const printed = pages.join('\n').match(/街道报送\d+\.xlsx/g) ?? [];
      expect(printed).toEqual(big.conservation.map((x) => x.file));
    });

    test('printed, the wide list sheets are readable: their text at least half the size of a card\'s (问题清单 at 0.6)', () => {
      // fitted to the page width, a sheet prints smaller the wider its columns (问题清单 printed at 0.38 of a card's size, about 4 pt)
      const sizes = pdfTextSizes(join(pdfDir, 'submission.pdf'));
      const of = (title: string) => sizes.filter((p) => p.head.startsWith(title)).map((p) => p.median);
      const card = Math.min(...of('河东区低效用地一宗一卡'));
      expect(card).toBeGreaterThan(10);
      const least: Record<string, number> = {
        河东区低效用地调查问题清单: 0.6, 河东区低效用地认定结果表: 0.5, 河东区低效用地数据库: 0.5, 河东区历史遗留用地数据库: 0.5, 河东区低效用地调查填报的难点堵点: 0.5,
      };
      for (const [title, ratio] of Object.entries(least)) {
        const pages = of(title);
        expect(pages.length).toBeGreaterThan(0);
        const printed = Math.min(...pages) / card;
        // the ratio stays in the failure message
        expect({ title, printed, enough: printed >= ratio }).toMatchObject({ title, enough: true });
      }
    });

    test('the submission with its cards written on a second thread prints the very same pages', () => {
      const one = pdfPages(join(pdfDir, 'submission.pdf'));
      const two = pdfPages(join(pdfDir, 'threaded.pdf'));
      expect(one.filter((p) => p.includes('宗地卡片')).length).toBeGreaterThanOrEqual(real.details.length);
      expect(two).toEqual(one);
    });

    test('pages render to PNG (README pictures)', () => {
      const pdf = join(pdfDir, 'submission.pdf');
      const pages = pdfPages(pdf);
      const dbPage = pages.findIndex((p) => p.includes('河东区低效用地数据库')) + 1;
      const low = real.details.find((d) => d.result === '低效' && d.hitDetails.length >= 2) ?? real.details.find((d) => d.result === '低效')!;
      const cardPage = pages.findIndex((p) => p.includes('宗地卡片') && p.includes(low.parcelId)) + 1;
      expect(dbPage).toBeGreaterThan(0);
      expect(cardPage).toBeGreaterThan(0);
      const update = process.env.UPDATE_DOCS_IMG === '1';
      const outDir = update ? join(__dirname, '..', '..', 'docs', 'img') : dir;
      mkdirSync(outDir, { recursive: true });
      for (const [page, stem, dpi] of [[dbPage, 'submission-low-efficiency-db', 110], [cardPage, 'submission-parcel-card', 110]] as const) {
        const png = pdfPageToPng(pdf, page, join(outDir, stem), dpi);
        expect(statSync(png).size).toBeGreaterThan(10000);
      }
    });

    test('department workbooks saved by LibreOffice read and consolidate the same as the originals', async () => {
      const loFiles = sample.files.map((f) => join(loInputsDir, basename(f)));
      const { c } = await consolidateFiles(loFiles);
      const key = (x: Consolidation) => x.result.parcels.map((p) => [p.parcelId, p.result, p.hits.join(','), p.missing.join(','), p.mode]);
      expect(key(c)).toEqual(key(real));
      expect(c.result.issues.map((i) => [i.code, i.row, i.column, i.parcelId])).toEqual(real.result.issues.map((i) => [i.code, i.row, i.column, i.parcelId]));
    });
  });
}
