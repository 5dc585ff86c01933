/**
 * manifest.xml checked offline: well-formed, every resource id resolves and points at a file the
 * build ships, every ExecuteFunction is registered in code, the shared runtime is consistent,
 * strings exist in zh-CN and en-US; and the schema check where ../shared/office-xsd exists.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCommands } from '../../addin/commands/register';
import { RIBBON } from '../../addin/office/host';
import type { Runtime } from '../../addin/runtime';

const root = join(__dirname, '../..');
const manifestPath = join(root, 'manifest.xml');
const xml = readFileSync(manifestPath, 'utf8');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const xsd = join(root, '../shared/office-xsd/OfficeAppManifestV1_1.xsd');

const all = (re: RegExp) => [...xml.matchAll(re)].map((m) => m[1]);
const DEV_BASE = 'https://localhost:3000/';

(hasXmllint ? test : test.skip)('is well-formed XML (xmllint)', () => {
  expect(() => execFileSync('xmllint', ['--noout', manifestPath], { stdio: 'pipe' })).not.toThrow();
});

(hasXmllint && existsSync(xsd) ? test : test.skip)(
  `validates against the Office manifest schema (${existsSync(xsd) ? '../shared/office-xsd' : 'skipped: ../shared/office-xsd is not beside this clone'})`,
  () => {
    // <Enabled> on a ribbon control (RibbonApi 1.1) is newer than these schemas: checked without
    // it here, and its place and value by the ribbon tests (tests/addin/hosts.test.ts)
    const newer = /\s*<Enabled>(true|false)<\/Enabled>/g;
    expect(xml.match(newer)?.length ?? 0).toBeLessThanOrEqual(1);
    const copy = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'manifest.xml');
    writeFileSync(copy, xml.replace(newer, ''));
    const r = spawnSync('xmllint', ['--noout', '--schema', xsd, copy], { encoding: 'utf8' });
    expect(r.stderr).toContain('validates');
    expect(r.status).toBe(0);
  },
);

test('every resid resolves to exactly one resource, and every resource is used', () => {
  const defined = all(/<bt:(?:Image|Url|String) id="([^"]+)"/g);
  expect(new Set(defined).size).toBe(defined.length);
  const used = new Set(all(/resid="([^"]+)"/g));
  for (const r of used) expect(defined).toContain(r);
  for (const d of defined) expect(used.has(d)).toBe(true);
});

test('every image and page the manifest names is shipped by the build (addin/static)', () => {
  const urls = [...all(/DefaultValue="(https:\/\/[^"]+)"/g)];
  expect(urls.length).toBeGreaterThan(10);
  for (const u of urls) {
    expect(u.startsWith(DEV_BASE)).toBe(true);
    expect(existsSync(join(root, 'addin/static', u.slice(DEV_BASE.length)))).toBe(true);
  }
  // 16/32/80 px icons on every button and on the group
  for (const m of xml.matchAll(/<Icon>([\s\S]*?)<\/Icon>/g)) expect([...m[1].matchAll(/size="(\d+)"/g)].map((x) => x[1])).toEqual(['16', '32', '80']);
});

test('the shared runtime, the function file and the task pane are one page', () => {
  const runtime = /<Runtime resid="([^"]+)" lifetime="long"\/>/.exec(xml)![1];
  expect(/<FunctionFile resid="([^"]+)"\/>/.exec(xml)![1]).toBe(runtime);
  expect(/<SourceLocation resid="([^"]+)"\/>/.exec(xml)![1]).toBe(runtime);
  expect(xml).toMatch(/<Set Name="SharedRuntime" MinVersion="1.1"\/>/);
  expect(xml).toMatch(/<Set Name="ExcelApi" MinVersion="1.9"\/>/);
});

test('the ribbon: 校验 认定 提交 汇总 run functions, 面板 shows the pane, ids match the code', () => {
  const labels = Object.fromEntries(all(/<bt:String id="([^"]+\.Label)" DefaultValue="[^"]+"/g).map((id) => [id, new RegExp(`<bt:String id="${id.replace('.', '\\.')}" DefaultValue="([^"]+)"`).exec(xml)![1]]));
  expect(labels['Group.Label']).toBe('低效用地');
  expect(['Validate', 'Determine', 'Submit', 'Consolidate', 'Pane'].map((k) => labels[`${k}.Label`])).toEqual(['校验', '认定', '提交', '汇总', '面板']);
  expect(all(/<Action xsi:type="(\w+)"/g)).toEqual(['ExecuteFunction', 'ExecuteFunction', 'ExecuteFunction', 'ExecuteFunction', 'ShowTaskpane']);
  expect(xml).toContain(`<CustomTab id="${RIBBON.tab}">`);
  expect(xml).toContain(`<Group id="${RIBBON.group}">`);
  expect(xml).toContain(`<Control xsi:type="Button" id="${RIBBON.consolidate}">`);
});

test('every ExecuteFunction name is registered with Office.actions.associate by the runtime', () => {
  const names = all(/<FunctionName>([^<]+)<\/FunctionName>/g);
  const associated: string[] = [];
  (globalThis as unknown as { Office: unknown }).Office = { actions: { associate: (name: string) => void associated.push(name) } };
  try {
    const fn = async () => true;
    const rt = { store: {}, controller: { validate: fn, determine: fn, submit: fn, consolidate: fn } } as unknown as Runtime;
    registerCommands(rt, async () => undefined);
  } finally {
    delete (globalThis as unknown as { Office?: unknown }).Office;
  }
  expect(associated.sort()).toEqual([...names].sort());
});

test('zh-CN is the default and every string has an en-US override', () => {
  expect(xml).toContain('<DefaultLocale>zh-CN</DefaultLocale>');
  const strings = [...xml.matchAll(/<bt:String id="[^"]+" DefaultValue="[^"]+">([\s\S]*?)<\/bt:String>/g)];
  expect(strings.length).toBe(all(/<bt:String id="([^"]+)"/g).length);
  for (const s of strings) expect(s[1]).toMatch(/<bt:Override Locale="en-US" Value="[^"]+"\/>/);
});

test('SupportUrl is a real support page (hosts supported, what to do on older Excel and WPS), not the pane', () => {
  const url = /<SupportUrl DefaultValue="([^"]+)"/.exec(xml)![1];
  expect(url).not.toMatch(/taskpane/);
  const page = readFileSync(join(root, 'addin/static', url.slice(DEV_BASE.length)), 'utf8');
  for (const words of ['Excel 2016', 'WPS', '命令行', '网页版', '撤销工作表保护']) expect(page).toContain(words);
});
