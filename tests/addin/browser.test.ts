/**
 * The built task pane in headless Chromium, end to end: the add-in built for a local tenant
 * (LAND_SURVEY_ADDIN_SIGN_IN=dev-issuer: it signs in with a token from tests/functions/issuer.ts,
 * signed with a local key pair; the functions check it against that issuer's JWKS exactly as they
 * check Entra ID tokens) served on 127.0.0.1, calling the local functions stand-in host (over
 * Azurite) on another origin, so CORS and its preflight are real; an in-page Excel fake holding
 * a messy department sheet from the sample set. Validate → counts and the list; click an issue →
 * the cell is selected; Determine → the result columns come back from the service.
 * Also: the add-in bundles contain no exceljs and no xlsx writer, and the production bundle no
 * development sign-in.
 *
 * Why a local issuer and not MSAL against a stub authority: nested app authentication needs the
 * Office host's broker, and MSAL's popup flow needs an https authority with a real authorization
 * endpoint; the seam is the Authenticator (addin/auth/signin.ts), whose Entra ID implementation is
 * tested with fakes of MSAL and Office.auth in tests/addin/signin.test.ts. The service side is not
 * faked: the token is signed, and the functions run in their Entra mode.
 */
jest.mock('@azure/functions-core', () => require('../../functions/local/core-capture').fakeCore, { virtual: true });

import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { startAddinServer, type AddinServer } from '../../addin/tools/serve';
import { RESULT_COLUMNS } from '../../addin/plan/results';
import { ISSUE_LIST_TITLES } from '../../shared/issues/list';
import '../../functions/index';
import { clearReferenceCache } from '../../functions/lib/data';
import { resetStore } from '../../functions/lib/storage';
import { registrations } from '../../functions/local/core-capture';
import { startLocalHost, type LocalHost } from '../../functions/local/host';
import { readXlsx } from '../../shared/xlsx/read';
import { REFERENCE, startAzurite, toWire, writeSample, XLSX, type Azurite, type Sample } from '../functions/helpers';
import { startIssuer, UNITS, type LocalIssuer } from '../functions/issuer';

/** esbuild writes non-ASCII text as \uXXXX escapes. */
const escaped = (text: string) => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);

const root = join(__dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

describe('the add-in bundles', () => {
  let metaInputs: string[] = [];
  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'addin', '--quiet'], { stdio: 'inherit' });
    const r = await build({
      entryPoints: [join(root, 'addin/taskpane/index.tsx'), join(root, 'addin/analysis/worker.ts')],
      bundle: true,
      write: false,
      metafile: true,
      outdir: join(root, 'dist/addin-meta'),
      platform: 'browser',
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    metaInputs = Object.keys(r.metafile!.inputs);
  });

  test('npm run build produces the add-in pages, bundles and icons', () => {
    for (const f of ['taskpane.html', 'taskpane.js', 'analysis-worker.js', 'support.html', 'assets/icon-32.png', 'assets/validate-80.png']) {
      expect(existsSync(join(root, 'dist/addin', f))).toBe(true);
    }
  });

  test('neither bundle pulls in exceljs or the xlsx writers; the shared reader is in', () => {
    expect(metaInputs.some((p) => p.includes('node_modules/exceljs'))).toBe(false);
    expect(metaInputs.some((p) => p.startsWith('shared/xlsx/'))).toBe(false);
    expect(metaInputs).toContain('shared/read/index.ts');
    for (const f of ['taskpane.js', 'analysis-worker.js']) expect(readFileSync(join(root, 'dist/addin', f), 'utf8')).not.toMatch(/exceljs/i);
  });

  test('the production bundle signs in with MSAL only: no development key or local issuer in it', () => {
    const prod = readFileSync(join(root, 'dist/addin/taskpane.js'), 'utf8');
    expect(prod).toContain('login.microsoftonline.com');
    expect(existsSync(join(root, 'dist/addin/auth.html'))).toBe(true);
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'addin', '--quiet'], { stdio: 'inherit', env: { ...process.env, LAND_SURVEY_ADDIN_SIGN_IN: 'dev-keys', LAND_SURVEY_ADDIN_OUTDIR: 'dist/addin-devkeys' } });
    const dev = readFileSync(join(root, 'dist/addin-devkeys/taskpane.js'), 'utf8');
    for (const marker of ['x-land-survey-key', escaped('本地签发服务')]) {
      expect(prod).not.toContain(marker);
    }
    expect(dev).toContain('x-land-survey-key'); // the check above can fail
  });
});

jest.setTimeout(180_000);

(hasChromium ? describe : describe.skip)(`the task pane in headless Chromium${hasChromium ? '' : ` (skipped: no browser at ${CHROMIUM})`}`, () => {
  let azurite: Azurite;
  let issuer: LocalIssuer;
  let host: LocalHost;
  const corsOrigins: string[] = [];
  let sample: Sample;
  let server: AddinServer;
  let browser: Browser;
  let page: Page;
  let sheetName = '';
  let headerRow = 0;
  let fileBytes: Uint8Array;

  beforeAll(async () => {
    [azurite, sample, issuer] = await Promise.all([startAzurite(), writeSample(0.1), startIssuer()]);
    process.env.LAND_SURVEY_STORAGE = azurite.connectionString;
    process.env.LAND_SURVEY_STORAGE_PREFIX = `addin${Date.now().toString(36)}`;
    issuer.configure(UNITS); // the functions in their Entra ID mode, trusting the local issuer
    delete process.env.LAND_SURVEY_KEYS;
    resetStore();
    clearReferenceCache();
    host = await startLocalHost({ registrations, corsOrigins });
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'addin', '--quiet'], {
      stdio: 'inherit',
      env: { ...process.env, LAND_SURVEY_ADDIN_OUTDIR: 'dist/addin-test', LAND_SURVEY_ADDIN_SIGN_IN: 'dev-issuer', LAND_SURVEY_ADDIN_DEV_ISSUER_URL: issuer.url, LAND_SURVEY_ADDIN_API_URL: host.url },
    });
    const office = { authorization: `Bearer ${await issuer.token(['office'])}` };
    for (const form of REFERENCE) {
      const r = await fetch(`${host.url}/api/reference/${form}`, { method: 'PUT', headers: { ...office, 'content-type': XLSX }, body: Buffer.from(sample.bytes(form)) });
      if (r.status !== 201) throw new Error(`reference ${form}: ${r.status} ${await r.text()}`);
    }

    // the department's messy industrial sheet, as Office.js would hand it over (dates as serials)
    const wb = await readXlsx(sample.bytes('industrial'), sample.fileName('industrial'));
    const sheet = toWire(wb.sheets.find((s) => s.rows.length > 2)!);
    sheetName = sheet.name;
    const rows = sheet.rows.map((r) => r.map((v) => (v instanceof Object && !('error' in v) ? String(v) : v)));
    headerRow = (sheet.firstRow ?? 1) + rows.findIndex((r) => r.some((v) => v === '宗地代码'));
    fileBytes = sample.bytes('industrial');
    const fixture = { fileB64: Buffer.from(fileBytes).toString('base64'), sliceBytes: 4 * 1024, sheet: sheet.name, rows, firstRow: sheet.firstRow ?? 1, firstCol: sheet.firstCol ?? 1 };

    const fake = await build({ entryPoints: [join(__dirname, 'fake/browser-entry.ts')], bundle: true, write: false, platform: 'browser', format: 'iife', logLevel: 'silent' });
    const pageHtml = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>test</title>
<script>window.__FIXTURE__ = ${JSON.stringify(fixture).replace(/</g, '\\u003c')};</script>
<script src="/fake-office.js"></script><script src="/taskpane.js"></script></head>
<body style="margin:0;width:360px"><div id="root"></div></body></html>`;
    server = await startAddinServer({
      dir: join(root, 'dist/addin-test'),
      apiTarget: host.url,
      extra: { '/test.html': { type: 'text/html; charset=utf-8', body: pageHtml }, '/fake-office.js': { type: 'text/javascript; charset=utf-8', body: fake.outputFiles[0].text } },
    });
    corsOrigins.push(server.url); // the functions allow the add-in's origin, and only it
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await (await browser.newContext({ viewport: { width: 360, height: 900 }, locale: 'zh-CN' })).newPage(); // a context of its own (axe-core needs one)
    page.setDefaultTimeout(90_000); // the machine may be busy: wait for what the user would wait for
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${server.url}/test.html`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await host?.close();
    await azurite?.stop();
    await issuer?.close();
  });

  test('signs in with a token of the local tenant; the service names the unit; nothing is kept in localStorage or the workbook', async () => {
    const calls: string[] = [];
    page.on('request', (r) => calls.push(`${r.method()} ${r.url()}`));
    await page.getByTestId('dev-credential').fill('department.industry');
    await page.getByTestId('sign-in-button').click();
    await page.getByTestId('message').filter({ hasText: '已登录' }).waitFor();
    expect(await page.getByTestId('unit').textContent()).toContain('区产业发展促进局');
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    const cells = await page.evaluate(() => JSON.stringify([...(window as any).__fake.model.sheets[0].cells.values()]));
    expect(cells).not.toContain('eyJ'); // no token written into the workbook
    // the pane called the functions on their own origin (CORS), not through the pane's server
    expect(calls).toContain(`GET ${host.url}/api/health`);
  });

  test('the ribbon’s 校验 (ExecuteFunction) runs in the same runtime and fills the same pane', async () => {
    const names = await page.evaluate(() => [...(window as any).__fake.associated.keys()].sort());
    expect(names).toEqual(['consolidate', 'determine', 'submit', 'validate']);
    const completed = await page.evaluate(
      () =>
        new Promise<boolean>((done) => {
          const handler = (window as any).__fake.associated.get('validate');
          void handler({ completed: () => done(true) });
        }),
    );
    expect(completed).toBe(true);
    await page.getByTestId('issue').first().waitFor();
    expect(await page.getByTestId('form').textContent()).toContain('低效工业调查表');
    await page.getByTestId('clear').click();
    await page.getByTestId('message').filter({ hasText: '已清除' }).waitFor();
    expect(await page.getByTestId('issue').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__fake.model.sheets.some((s: any) => s.name === '问题清单'))).toBe(false);
  });

  test('校验: counts by severity and the issue list; clicking an issue selects its cell', async () => {
    await page.getByTestId('validate').click();
    await page.getByTestId('message').filter({ hasText: '低效工业调查表' }).waitFor();
    const count = async (sev: string) => Number(await page.getByTestId(`count-${sev}`).getAttribute('data-count'));
    const total = (await count('error')) + (await count('warning')) + (await count('info'));
    const shown = await page.getByTestId('issue').count();
    expect(total).toBeGreaterThan(0); // the sample's department sheet has its typical mistakes
    // the reading and checks ran in the analysis worker, off the pane's UI thread
    expect(page.workers().map((w) => w.url().split('/').pop())).toContain('analysis-worker.js');
    expect(shown).toBe(Math.min(total, 300));
    const inModel = await page.evaluate(() => (window as any).__fake.model.sheets.find((s: any) => s.name === '问题清单').cells.size);
    expect(inModel).toBeGreaterThan(shown); // one row per issue, several columns
    // the bundled add-in writes the shared layout (the same as the CLI's marked copy)
    const header = await page.evaluate(
      (n) => Array.from({ length: n }, (_, k) => (window as any).__fake.model.sheets.find((s: any) => s.name === '问题清单').get(1, k + 1)?.value),
      ISSUE_LIST_TITLES.length,
    );
    expect(header).toEqual([...ISSUE_LIST_TITLES]);
    expect(await page.getByTestId('form').textContent()).toContain('低效工业调查表');
    // the first issue with a cell: click → that cell is selected on the data sheet
    const withCell = page.locator('[data-testid="issue"]:not([data-cell=""])').first();
    const cell = await withCell.getAttribute('data-cell');
    await page.evaluate(() => ((window as any).__fake.model.active = '说明'));
    await withCell.click();
    await page.waitForFunction((c) => (window as any).__fake.model.selection?.address === c, cell);
    const sel = await page.evaluate(() => (window as any).__fake.model.selection);
    expect(sel).toEqual({ sheet: sheetName, address: cell });
    expect(await page.evaluate(() => (window as any).__fake.model.active)).toBe(sheetName);
  });

  test('accessibility: the issue list is a real list of buttons named by their visible text, the toggle says if it is open, axe finds no serious violation', async () => {
    const list = page.getByRole('list', { name: '问题列表' });
    expect(await list.getByRole('listitem').count()).toBeGreaterThan(0);
    const first = list.getByRole('listitem').first().getByRole('button');
    const visible = (await first.innerText()).replace(/\s+/g, ' ').trim();
    expect(visible.length).toBeGreaterThan(4);
    const name = await first.evaluate((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect(name).toBe(visible.replace(/\s+/g, ' ')); // the name is what is shown, not the hint
    const toggle = page.getByTestId('issue-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('issue').count()).toBe(0);
    await toggle.click();
    const result = await new AxeBuilder({ page }).analyze();
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
  });

  test('认定 against the local functions host: results written beside the data', async () => {
    await page.getByTestId('determine').click();
    await page.getByTestId('message').filter({ hasText: '认定完成' }).waitFor({ timeout: 60_000 });
    const header = await page.evaluate((hr) => {
      const s = (window as any).__fake.model.sheets[0];
      const out: string[] = [];
      for (const [k, v] of s.cells) if (Number(k.split(',')[0]) === hr) out.push(String(v.value));
      return out;
    }, headerRow);
    for (const c of RESULT_COLUMNS) expect(header).toContain(c.title);
    const results = await page.evaluate(() => {
      const s = (window as any).__fake.model.sheets[0];
      return [...s.cells.values()].map((v: any) => v.value).filter((v: unknown) => ['低效', '待核实', '非低效', '不参评'].includes(v as string)).length;
    });
    expect(results).toBeGreaterThan(0);
    // the README's screenshot: refreshed when missing or with UPDATE_SCREENSHOT=1 (not on every run,
    // so that a test run leaves the working tree clean)
    const shot = await page.screenshot({ fullPage: true });
    expect(shot.subarray(1, 4).toString()).toBe('PNG');
    const png = join(root, 'docs/img/taskpane.png');
    if (process.env.UPDATE_SCREENSHOT === '1' || !existsSync(png)) {
      mkdirSync(join(root, 'docs/img'), { recursive: true });
      writeFileSync(png, shot);
    }
  });

  test('提交: the workbook goes up in slices and the receipt shows the time and its SHA-256', async () => {
    expect(fileBytes.length).toBeGreaterThan(2 * 4 * 1024); // really several slices
    await page.getByTestId('submit').click();
    await page.getByTestId('message').filter({ hasText: '已提交' }).waitFor();
    const receipt = await page.getByTestId('receipt').textContent();
    expect(receipt).toContain(createHash('sha256').update(fileBytes).digest('hex'));
    expect(receipt).toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(await page.evaluate(() => (window as any).__fake.closed)).toBe(1);
  });

  test('汇总 signed in as the office: the ribbon button is enabled and the submission workbook opens', async () => {
    expect(await page.getByTestId('consolidate').count()).toBe(0); // a department sees no 汇总
    await page.getByTestId('dev-credential').fill('office');
    await page.getByTestId('sign-in-button').click();
    await page.getByTestId('message').filter({ hasText: '已登录：市规划资源局河东分局' }).waitFor();
    const last = await page.evaluate(() => JSON.stringify((window as any).__fake.ribbon.at(-1)));
    expect(JSON.parse(last).tabs[0].groups[0].controls[0]).toEqual({ id: 'LandSurvey.Consolidate', enabled: true });
    await page.getByTestId('consolidate').click();
    await page.getByTestId('message').filter({ hasText: '汇总完成' }).waitFor({ timeout: 120_000 });
    const created: string[] = await page.evaluate(() => (window as any).__fake.model.created);
    expect(created).toHaveLength(1);
    const xlsx = Buffer.from(created[0], 'base64');
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
    const wb = await readXlsx(new Uint8Array(xlsx), 'submission.xlsx');
    expect(wb.sheets.map((s) => s.name)).toContain('认定结果');
  });

  test('an account without a unit role: warned at sign-in, 403 shown in Chinese, the sheet unchanged', async () => {
    const before = await page.evaluate(() => JSON.stringify([...(window as any).__fake.model.sheets[0].cells.entries()]));
    await page.getByTestId('dev-credential').fill('department.nosuch');
    await page.getByTestId('sign-in-button').click();
    await page.getByTestId('message').filter({ hasText: '服务未认出本账号的单位' }).waitFor(); // health is open to all
    await page.getByTestId('determine').click();
    await page.getByTestId('message').filter({ hasText: '没有权限（403）' }).waitFor();
    const after = await page.evaluate(() => JSON.stringify([...(window as any).__fake.model.sheets[0].cells.entries()]));
    expect(after).toBe(before);
  });
});
