/**
 * The `land-survey` command line: dispatch, help, and how failures are reported.
 * Commands and exit codes: /work/shared/spec/interfaces.md; usage: docs/cli.md.
 */
import pkg from '../package.json';
import { FORMS } from '../shared/forms';
import { UnusableInputError } from '../shared/types';
import { UsageError } from './args';
import { EXIT_INTERNAL, EXIT_OK, EXIT_UNUSABLE, InputError, InternalError } from './common';
import { oneLine, outputNameOf, OutputError } from './io';

const FORM_LIST = FORMS.map((f) => `${f.id}（${f.title}）`).join('、');

export const HELP = `land-survey — 河东区低效用地调查认定工具 / Hedong low-efficiency land survey tool

用法 / Usage:
  land-survey template <表单|all> -o <文件.xlsx|文件夹> [--base <底图.xlsx>]
      生成标准空白填报模板；all 为每张表写一个文件。--base 时按底图预填宗地。
      Writes the standard blank workbook of a form (all: one file per form into the folder);
      --base pre-fills the parcels of a base-map workbook.
  land-survey validate <文件.xlsx> [--base <底图.xlsx>] [-o <标注副本.xlsx>] [--json <报告.json|->]
      校验一份填报表；-o 写出标注问题单元格并附“问题清单”的副本。
      Checks one filled workbook; -o writes a copy with the problem cells marked.
  land-survey consolidate <文件.xlsx|文件夹>… -o <报送表.xlsx> [--rules <规则.json>]
                          [--evaluation-date YYYY-MM-DD] [--json <结果.json|->]
      读入全部填报表，逐宗认定，写出报送表（两库一清单、一宗一卡）。
      Reads every form given, determines every parcel, writes the submission workbook.
  land-survey compare <原认定.json> <新认定.json> -o <对比表.xlsx> [--json <对比.json|->]
      对比两次认定结果（consolidate --json）：逐宗前后结果、命中规则增减、亩均指标变化，退出低效（盘活成效）与新增低效。
      Compares two determinations: per parcel before/after, parcels and land that left or became 低效.
  land-survey plan --year YYYY <项目表/节点表.xlsx|文件夹>… --determination <认定.json> -o <计划.xlsx> [--json <f|->]
      年度实施计划（成熟一批、推动一批、进度时序、责任清单、待纳入地块）。 The annual implementation plan.
  land-survey ledger <项目表/节点表.xlsx|文件夹>… [--determination <认定.json>] [--as-of YYYY-MM-DD]
                     -o <台账.xlsx> [--json <台账.json|->]
      试点项目台账：每个项目的节点完成、逾期、60日内到期，逾期节点与单位责任（截至 --as-of，默认今天）。
      The pilot's project ledger as of a date: milestones done, late, overdue, due in 60 days.
  land-survey brief <项目表/节点表.xlsx|文件夹>… --determination <认定.json> [--as-of …] -o <简报.docx> [--json <f|->]
      两个月一期的工作简报（第N期，自2024年1–2月为第1期）。 The two-monthly work brief (Word).
  land-survey report <项目表/节点表.xlsx|文件夹>… --determination <认定.json> [--previous <上次认定.json>]
                     [--as-of …] -o <报告.docx> [--json <f|->]
      半年工作进展情况报告，含盘活案例；--previous 时附调查变化。 The half-year progress report (Word).
  land-survey demo [-o <文件夹>]
      生成示例部门填报表（含常见错误）并汇总认定，默认写到 demo-output/。
      Writes a realistic sample set of department workbooks and consolidates them.

选项 / Options:
  -o, --output <路径>        输出文件或文件夹 / output file or folder
  --json <文件|->            JSON 结果；“-”写到标准输出 / JSON result; "-" = stdout
  --base <底图.xlsx>         地块底图表 / the base-map workbook
  --rules <规则.json>        区细化认定标准（规则集），默认 hedong-default / rule set file
  --evaluation-date <日期>   评价基准日，默认 2022-12-31 / evaluation date
  --determination <文件>     认定结果（consolidate --json） / a consolidate --json result
  --as-of <日期>             截至日期，默认今天（北京时间） / as-of date, default today (UTC+8)
  -h, --help                 显示帮助 / show this help
  -V, --version              显示版本 / show the version

表单 / Forms: ${FORM_LIST}

退出码 / Exit codes:
  0 完成（validate：无错误级问题） / done (validate: no error-level issue)
  1 validate 发现错误级问题 / validate found error-level issues
  2 输入无法使用或用法错误 / unusable input or wrong usage
  3 程序内部错误 / internal error of the program

详见 / See docs/cli.md`;

type Runner = (argv: string[], out: (s: string) => void) => Promise<number>;
/** Commands are loaded when used: `--help` and usage errors do not pay for exceljs's start-up. */
const COMMANDS: Record<string, () => Promise<Runner>> = {
  template: () => import('./template').then((m) => m.runTemplate),
  validate: () => import('./validate').then((m) => m.runValidate),
  consolidate: () => import('./consolidate').then((m) => m.runConsolidate),
  demo: () => import('./demo').then((m) => m.runDemo),
  compare: () => import('./compare').then((m) => m.runCompare),
  plan: () => import('./pilot').then((m) => m.runPlan),
  ledger: () => import('./pilot').then((m) => m.runLedger),
  brief: () => import('./pilot').then((m) => m.runBrief),
  report: () => import('./pilot').then((m) => m.runReport),
};

function err(line: string): void {
  process.stderr.write(`${oneLine(line)}\n`);
}

/** Runs the command line; returns the exit code. Never lets an exception escape. */
export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
      out(HELP);
      return cmd === undefined ? EXIT_UNUSABLE : EXIT_OK;
    }
    if (cmd === '-V' || cmd === '--version') {
      out(pkg.version);
      return EXIT_OK;
    }
    const load = COMMANDS[cmd];
    if (!load) throw new UsageError(`未知命令“${cmd}”`, `unknown command "${cmd}"`);
    if (rest.includes('-h') || rest.includes('--help')) {
      out(HELP);
      return EXIT_OK;
    }
    const run = await load();
    return await run(rest, out);
  } catch (e) {
    return report(e);
  }
}

/** One line on stderr (Chinese / English, naming the file) and the exit code. */
function report(e: unknown): number {
  if (process.env.LAND_SURVEY_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  if (e instanceof UnusableInputError) {
    err(`land-survey: 无法使用“${e.file}”：${e.reasonZh} / unusable input "${e.file}": ${e.reasonEn}`);
    return EXIT_UNUSABLE;
  }
  if (e instanceof InputError) {
    const f = e.file ? `“${e.file}”：` : '';
    const fe = e.file ? `"${e.file}": ` : '';
    err(`land-survey: ${f}${e.zh} / ${fe}${e.en}`);
    return EXIT_UNUSABLE;
  }
  if (e instanceof UsageError) {
    err(`land-survey: ${e.zh} / ${e.en}（land-survey --help 查看用法 / see land-survey --help）`);
    return EXIT_UNUSABLE;
  }
  if (e instanceof OutputError) {
    err(`land-survey: “${e.path}”${e.zh} / "${e.path}": ${e.en}`);
    return EXIT_UNUSABLE;
  }
  if (e instanceof InternalError) {
    err(`land-survey: 内部错误 / internal error: ${e.message}`);
    return EXIT_INTERNAL;
  }
  const code = (e as NodeJS.ErrnoException)?.code;
  const path = (e as NodeJS.ErrnoException)?.path;
  const output = path !== undefined ? outputNameOf(path) : undefined;
  // the file system refused an output (or one of its temp files): the place given cannot take it
  if (
    code === 'EACCES' || code === 'EPERM' || code === 'EBUSY' || code === 'ENOSPC' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'EDQUOT' ||
    ((code === 'ENOENT' || code === 'ENAMETOOLONG' || code === 'EINVAL') && output !== undefined && output !== path)
  ) {
    err(`land-survey: 无法写出“${output ?? ''}”（${code}，该位置无法写入文件） / cannot write "${output ?? ''}" (${code}: the place cannot take the file)`);
    return EXIT_UNUSABLE;
  }
  err(`land-survey: 内部错误 / internal error: ${(e as Error)?.message ?? String(e)}（设置 LAND_SURVEY_DEBUG=1 查看详情 / set LAND_SURVEY_DEBUG=1 for details）`);
  return EXIT_INTERNAL;
}
