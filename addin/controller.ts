/**
 * What the buttons do. One controller per runtime, shared by the ribbon commands and the task
 * pane; it owns the store updates and calls the Office layer through the Host and the service
 * through the ApiClient. Failures end as a Chinese message in the pane and change nothing more.
 */
import { getForm } from '../shared/forms';
import { ISSUE_CODES } from '../shared/issues/catalogue';
import type { Issue } from '../shared/issues/issue';
import { todayInDistrict } from '../shared/pilot/periods';
import { ApiClient, ApiError, DOCX_TYPE } from './api/client';
import type { Health } from './api/schemas';
import type { Analyse } from './engine';
import type { Host } from './office/host';
import { fitsCreateWorkbook, MAX_CREATE_WORKBOOK_BYTES, megabytes } from './plan/workbook-size';
import { applyPlan, clearAll, findMarks, openSheet, PartialWriteError, readGrid, selectCell, SheetRefusedError, type WritePlan } from './office/sheet-io';
import { issueTarget, planIssueSheet, sortIssues, ISSUE_SHEET_NAME } from './plan/issue-sheet';
import { planMarks } from './plan/marks';
import { findResultBlock, lastUsedColumn, planResults } from './plan/results';
import { SignInError, type Authenticator } from './auth/signin';
import { countIssues, isOffice, type AddinState, type Store, type TaskId } from './state/store';

const ROLE_LABEL = { office: '汇总单位', department: '部门', street: '街道' } as const;

/** A failure the user can act on; its message is shown as is. */
export class UserError extends Error {}

export interface ControllerDeps {
  store: Store;
  host: Host;
  api: ApiClient;
  auth: Pick<Authenticator, 'signIn'>;
  analyse: Analyse;
}

export type Controller = ReturnType<typeof createController>;

function describe(e: unknown): string {
  if (e instanceof ApiError || e instanceof UserError || e instanceof SignInError || e instanceof SheetRefusedError || e instanceof PartialWriteError) return e.message;
  const err = e as { code?: string; message?: string };
  if (err?.code === 'ItemNotFound') return '找不到要操作的工作表，可能已被删除或改名，请重新校验';
  return `Excel操作失败：${err?.message ?? String(e)}`;
}

/** What the pane says after signing in, from the service's health answer for the credential. */
function signInMessage(h: Health, rules: string): { intent: 'success' | 'warning' | 'error'; text: string } {
  if (h.role) return { intent: 'success', text: `已登录：${h.unit ?? ''}（${ROLE_LABEL[h.role]}）；服务连接正常${rules}` };
  const r = h.refused;
  if (r && r.status === 401) return { intent: 'error', text: `服务未接受本次登录：${r.message}。请重新登录` };
  if (r && r.status >= 500) return { intent: 'error', text: `服务暂时无法核验登录：${r.message}。请稍后重试` };
  const why = r ? `：${r.message}` : '，请联系管理员分配单位角色';
  return { intent: 'warning', text: `已登录，但服务未认出本账号的单位（提交、认定将被拒绝）${why}${rules}` };
}

const PILOT_TASK = { plan: '生成年度计划', ledger: '生成台账', brief: '生成简报', report: '生成进展报告' } as const;

export function createController({ store, host, api, auth, analyse }: ControllerDeps) {
  const progress = (p: number) => store.set((s) => (s.busy ? { busy: { ...s.busy, progress: Math.max(0, Math.min(1, p)), waiting: false } } : {}));
  /** While the service works: the progress is unknown (an indeterminate bar) and the call can be cancelled. */
  async function waitFor<T>(call: Promise<T>): Promise<T> {
    store.set((s) => (s.busy ? { busy: { ...s.busy, progress: null, waiting: true } } : {}));
    try {
      return await call;
    } finally {
      store.set((s) => (s.busy ? { busy: { ...s.busy, waiting: false } } : {}));
    }
  }

  async function task(id: TaskId, label: string, fn: () => Promise<void>): Promise<boolean> {
    if (store.get().busy) {
      store.set({ message: { intent: 'warning', text: `正在${store.get().busy!.label}，请稍候再试` } });
      return false;
    }
    store.set({ busy: { task: id, label, progress: null }, message: null });
    try {
      await fn();
      return true;
    } catch (e) {
      store.set({ message: { intent: 'error', text: describe(e) } });
      return false;
    } finally {
      store.set({ busy: null });
    }
  }

  function showIssues(sheet: string, form: NonNullable<AddinState['form']>, issues: Issue[]) {
    const sorted = sortIssues(issues);
    store.set({ sheet, form, issues: sorted, counts: countIssues(sorted) });
  }

  function summary(counts: Record<'error' | 'warning' | 'info', number>): string {
    return `错误${counts.error}个、警告${counts.warning}个、提示${counts.info}个`;
  }

  const fileName = () => host.fileName();

  /**
   * 汇总 is enabled only for the office. Office.ribbon.requestUpdate clears Excel's undo stack on
   * desktop, so it is called only when the state changes; the manifest starts 汇总 disabled.
   */
  /** Opens an .xlsx in a new window when it fits Excel's request limit, else downloads it. */
  async function openOrDownload(bytes: Uint8Array, fileName: string): Promise<'opened' | 'downloaded'> {
    if (fitsCreateWorkbook(bytes.length)) {
      try {
        await host.openWorkbook(bytes);
        return 'opened';
      } catch (e) {
        if ((e as { code?: string })?.code !== 'RequestPayloadSizeLimitExceeded') throw e;
      }
    }
    await host.download(bytes, fileName, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return 'downloaded';
  }

  let officeButtons = false;
  async function setOfficeButtons(enabled: boolean): Promise<void> {
    if (enabled === officeButtons) return;
    officeButtons = enabled;
    await host.setOfficeButtons(enabled).catch(() => undefined);
  }

  return {
    /** Cancel the service call the running task waits for; nothing is written for it. */
    cancel: () => {
      api.cancelPending();
    },

    /** Validate in place: read, recognise, check, mark, write 问题清单. No network. */
    validate: () =>
      task('validate', '校验', async () => {
        const caps = host.caps();
        await host.run(async (ctx) => {
          const o = await openSheet(ctx, { caps, marks: true });
          if (o.name === ISSUE_SHEET_NAME) throw new UserError('请先切换到要校验的调查表，再点“校验”（当前是问题清单）');
          const clearing = findMarks(o);
          const grid = await readGrid(ctx, o, { onProgress: (p) => progress(p * 0.5) });
          const a = await analyse(grid, fileName(), { date1904: o.date1904 });
          if (!a) {
            store.set({ sheet: o.name, form: null, issues: [], counts: countIssues([]) });
            throw new UserError(`工作表“${o.name}”不是可识别的标准调查表：请使用标准模板（标题行须含模板列名）`);
          }
          const firstCol = a.grid.firstCol ?? 1;
          const plan: WritePlan = {
            marks: planMarks(a.issues, { sheet: o.name, rowSpan: { c1: firstCol, c2: Math.max(firstCol, lastUsedColumn(a.grid)) }, headerRow: a.headerRow, skipNoteCells: clearing.userNoteCells(), merges: a.grid.merges }),
            results: [],
            issueSheet: planIssueSheet(a.issues, { firstCol, headerRow: a.headerRow }),
          };
          await applyPlan(ctx, o, plan, caps, { clear: clearing, onProgress: (p) => progress(0.5 + p * 0.5) });
          showIssues(o.name, { id: a.form, title: a.formTitle, headerRow: a.headerRow, firstCol }, a.issues);
          const c = countIssues(a.issues);
          const capped = plan.marks!.notesCapped > 0 ? `（问题较多，只在最严重的${plan.marks!.notes.length}个单元格加了备注）` : '';
          store.set({
            results: null,
            message: {
              intent: c.error > 0 ? 'warning' : 'success',
              text: `“${a.formTitle}”共${a.rows}行，${summary(c)}${c.error + c.warning + c.info > 0 ? `，已标注并写入“问题清单”${capped}` : ''}`,
            },
          });
        });
      }),

    /** Determine: send the rows, check the answer, then write result columns, marks and 问题清单. */
    determine: () =>
      task('determine', '认定', async () => {
        const caps = host.caps();
        const read = await host.run(async (ctx) => {
          const o = await openSheet(ctx, { caps, marks: false });
          if (o.name === ISSUE_SHEET_NAME) throw new UserError('请先切换到要认定的调查表，再点“认定”');
          return { name: o.name, date1904: o.date1904, grid: await readGrid(ctx, o, { onProgress: (p) => progress(p * 0.3) }) };
        });
        const a = await analyse(read.grid, fileName(), { date1904: read.date1904 });
        if (!a) throw new UserError(`工作表“${read.name}”不是可识别的标准调查表，无法认定`);
        if (getForm(a.form).kind !== 'survey') throw new UserError(`“${a.formTitle}”是参考数据表，只能对调查表（工业、商办、设施、住房）进行认定`);
        progress(0.35);
        const answer = await waitFor(api.determine({ ...a.grid, form: a.form, file: fileName(), ...(read.date1904 ? { date1904: true } : {}) }));
        progress(0.7);
        const issues: Issue[] = answer.issues.map((i) => ({ ...i, hint: i.hint ?? ISSUE_CODES[i.code as keyof typeof ISSUE_CODES].hint }) as Issue);
        await host.run(async (ctx) => {
          const o = await openSheet(ctx, { caps, marks: true, name: read.name });
          const clearing = findMarks(o);
          await ctx.sync();
          const firstCol = a.grid.firstCol ?? 1;
          const block = findResultBlock(read.grid);
          const lastRow = o.used ? o.used.row + o.used.rows - 1 : a.headerRow;
          const plan: WritePlan = {
            marks: planMarks(issues, { sheet: o.name, rowSpan: { c1: firstCol, c2: Math.max(firstCol, lastUsedColumn(a.grid)) }, headerRow: a.headerRow, skipNoteCells: clearing.userNoteCells(), merges: a.grid.merges }),
            results: planResults(answer.rows, { headerRow: a.headerRow, col: block ? block.col : lastUsedColumn(a.grid) + 1, lastRow }),
            issueSheet: planIssueSheet(issues, { firstCol, headerRow: a.headerRow }),
          };
          await applyPlan(ctx, o, plan, caps, { clear: clearing, onProgress: (p) => progress(0.7 + p * 0.3) });
        });
        showIssues(read.name, { id: a.form, title: a.formTitle, headerRow: a.headerRow, firstCol: a.grid.firstCol ?? 1 }, issues);
        const results: Record<string, number> = {};
        for (const r of answer.rows) if (r.result) results[r.result] = (results[r.result] ?? 0) + 1;
        const parts = Object.entries(results).map(([k, v]) => `${k}${v}行`);
        const withheld = answer.withheld && answer.withheld.parcelIds.length > 0 ? answer.withheld : null;
        store.set({
          results,
          message: {
            intent: withheld ? 'warning' : 'success',
            text:
              `认定完成（评价基准日${answer.evaluationDate}，规则集${answer.ruleSet.id} ${answer.ruleSet.version}）：${parts.join('、') || '没有可认定的行'}` +
              (withheld ? `；另有${withheld.parcelIds.length}宗地不属于${withheld.street}，未返回其认定结果（${withheld.parcelIds.slice(0, 3).join('、')}${withheld.parcelIds.length > 3 ? '等' : ''}）` : ''),
          },
        });
      }),

    /**
     * Submit the whole workbook to the service and show the receipt. A milestone sheet (or the
     * office's project sheet) goes to the pilot's route instead (pilot.md §5).
     */
    submit: () =>
      task('submit', '提交', async () => {
        const caps = host.caps();
        const head = await host.run(async (ctx) => {
          const o = await openSheet(ctx, { caps, marks: false });
          return { grid: await readGrid(ctx, o, { maxRows: 40 }), date1904: o.date1904 };
        });
        const a = await analyse(head.grid, fileName(), { date1904: head.date1904 });
        const pilot = a && (a.form === 'milestone' || a.form === 'project') ? a.form : null;
        if (pilot === 'project' && !isOffice(store.get())) throw new UserError('项目表由工作专班办公室（规划资源分局）报送；各单位请提交项目节点表');
        const bytes = await host.readFile((p) => progress(p * 0.5));
        if (pilot) {
          const receipt = await waitFor(api.submitPilot(pilot, bytes, fileName()));
          store.set({ receipt, message: { intent: 'success', text: `已提交${a!.formTitle}（${receipt.rows ?? 0}行）：${receipt.time}` } });
          return;
        }
        const receipt = await waitFor(api.submit(bytes, fileName()));
        const noted = receipt.notices.length ? `；注意：${receipt.notices.join('；')}` : '';
        store.set({ receipt, message: { intent: receipt.notices.length ? 'warning' : 'success', text: `已提交：${receipt.time}，SHA-256 ${receipt.hash.slice(0, 16)}…${noted}` } });
      }),

    /** Office: upload the open workbook as the reference dataset of the active sheet's form. */
    uploadReference: () =>
      task('uploadReference', '上传参考数据', async () => {
        if (!isOffice(store.get())) throw new UserError('上传参考数据仅限规划资源分局（汇总单位）使用，请用规划资源分局的账号登录');
        const caps = host.caps();
        const head = await host.run(async (ctx) => {
          const o = await openSheet(ctx, { caps, marks: false });
          return { grid: await readGrid(ctx, o, { maxRows: 40 }), date1904: o.date1904 };
        });
        const a = await analyse(head.grid, fileName(), { date1904: head.date1904 });
        if (!a) throw new UserError(`工作表“${head.grid.name}”不是可识别的标准表，请切换到要上传的参考数据表`);
        if (getForm(a.form).kind !== 'reference') throw new UserError(`“${a.formTitle}”是调查表，不是参考数据，请用“提交”报送`);
        const bytes = await host.readFile((p) => progress(p * 0.5));
        await waitFor(api.putReference(a.form, bytes, fileName()));
        store.set({ message: { intent: 'success', text: `已上传参考数据“${a.formTitle}”` } });
      }),

    /** Office: consolidate the latest submissions and open the submission workbook. */
    consolidate: () =>
      task('consolidate', '汇总', async () => {
        if (!isOffice(store.get())) throw new UserError('汇总仅限规划资源分局（汇总单位）使用，请用规划资源分局的账号登录');
        const bytes = await waitFor(api.consolidate());
        progress(0.8);
        const how = await openOrDownload(bytes, `河东区低效用地报送表-${new Date().toISOString().slice(0, 10)}.xlsx`);
        store.set({
          message: how === 'opened'
            ? { intent: 'success', text: '汇总完成，报送表已在新工作簿中打开' }
            : { intent: 'success', text: `汇总完成。报送表为${megabytes(bytes.length)}，超过 Excel 经加载项新建工作簿的上限（约${megabytes(MAX_CREATE_WORKBOOK_BYTES)}），已改为下载，请在浏览器的下载中打开` },
        });
      }),

    /**
     * Office: next year's implementation plan or the ledger as of today (opened in a new workbook),
     * or this period's brief / this half year's report (downloaded).
     */
    pilotOutput: (kind: 'plan' | 'ledger' | 'brief' | 'report') =>
      task('pilot', PILOT_TASK[kind], async () => {
        if (!isOffice(store.get())) throw new UserError('台账、简报和进展报告由工作专班办公室（规划资源分局）生成');
        const asOf = todayInDistrict();
        const bytes = await waitFor(api.pilotOutput(kind, asOf));
        progress(0.8);
        if (kind === 'ledger' || kind === 'plan') {
          const what = kind === 'ledger' ? `项目台账（截至${asOf}）` : `${Number(asOf.slice(0, 4)) + 1}年度实施计划`;
          const how = await openOrDownload(bytes, `${what}.xlsx`);
          store.set({ message: { intent: 'success', text: how === 'opened' ? `${what}已在新工作簿中打开` : `${what}已下载，请在浏览器的下载中打开` } });
          return;
        }
        const name = kind === 'brief' ? `工作简报-${asOf}.docx` : `工作进展情况报告-${asOf}.docx`;
        await host.download(bytes, name, DOCX_TYPE);
        store.set({ message: { intent: 'success', text: `${kind === 'brief' ? '工作简报' : '工作进展情况报告'}（截至${asOf}）已下载：${name}` } });
      }),

    /** Click on an issue: go to its cell. */
    select: (issue: Issue) =>
      task('select', '定位', async () => {
        const s = store.get();
        const target = issueTarget(issue, s.form?.firstCol ?? 1, s.form?.headerRow);
        if (!target) {
          store.set({ message: { intent: 'info', text: issue.parcelId ? `该问题针对宗地${issue.parcelId}，不对应单个单元格` : '该问题针对整张表，不对应单个单元格' } });
          return;
        }
        await host.run((ctx) => selectCell(ctx, issue.sheet || s.sheet || '', target));
      }),

    /** Remove the add-in's marks and 问题清单; the list in the pane is emptied. */
    clear: () =>
      task('clear', '清除标记', async () => {
        const caps = host.caps();
        const sheet = store.get().sheet ?? undefined;
        await host.run((ctx) => clearAll(ctx, caps, sheet));
        store.set({ issues: [], counts: countIssues([]), results: null, message: { intent: 'success', text: '已清除本加载项的标记和问题清单（您自己的格式未改动）' } });
      }),

    /** Sign in (Entra ID; in a development build the typed key or unit) and ask the service who the user is. */
    signIn: (input?: string) =>
      task('settings', '登录', async () => {
        store.set({ role: null, unit: null });
        let h: Awaited<ReturnType<typeof api.health>>;
        try {
          await auth.signIn(input);
          h = await api.health();
          store.set({ role: h.role ?? null, unit: h.unit ?? null });
        } finally {
          await setOfficeButtons(isOffice(store.get()));
        }
        const rules = h.ruleSet ? `（规则集${h.ruleSet.id} ${h.ruleSet.version}，评价基准日${h.evaluationDate ?? ''}）` : '';
        store.set({ message: signInMessage(h, rules) });
      }),

    /** At start-up: sign in silently where possible, learn the role and set the ribbon (汇总 only for the office). */
    syncRibbon: async () => {
      try {
        const h = await api.health();
        store.set({ role: h.role ?? null, unit: h.unit ?? null });
      } catch {
        /* offline or not signed in: office functions stay off until the user signs in */
      }
      await setOfficeButtons(isOffice(store.get()));
    },
  };
}

