/** Hand-written argument parsing for `land-survey` (no dependency). */

export interface OptionSpec {
  /** Key in the parsed result. */
  key: string;
  /** Spellings, e.g. ['-o', '--output']. */
  names: string[];
  /** Takes a value (`-o file`, `--json=-`); otherwise a flag. */
  value: boolean;
}

export interface Parsed {
  positional: string[];
  options: Record<string, string | true>;
  help: boolean;
}

/** A usage mistake: the CLI prints one line (Chinese / English) and exits 2. */
/** A usage error unless `path` ends in `ext` (case ignored); `what` names the file, in Chinese and English. */
export function requireExtension(path: string, ext: string, what: [string, string]): void {
  if (!path.toLowerCase().endsWith(ext)) throw new UsageError(`${what[0]}文件“${path}”应以 ${ext} 结尾`, `the ${what[1]} "${path}" should end in ${ext}`);
}

export class UsageError extends Error {
  constructor(
    public readonly zh: string,
    public readonly en: string,
  ) {
    super(`${zh} / ${en}`);
    this.name = 'UsageError';
  }
}

/**
 * Parses `argv` (after the command name) against `specs`. Accepts `--name value`, `--name=value`,
 * `-o value`; `--` ends the options; `-` alone is a value (stdout / stdin). `-h`/`--help` anywhere
 * asks for help. Unknown options, missing values and repeated options are usage errors.
 */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): Parsed {
  const byName = new Map<string, OptionSpec>();
  for (const s of specs) for (const n of s.names) byName.set(n, s);
  const out: Parsed = { positional: [], options: {}, help: false };
  let onlyPositional = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (onlyPositional || a === '-' || !a.startsWith('-')) {
      out.positional.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositional = true;
      continue;
    }
    if (a === '-h' || a === '--help') {
      out.help = true;
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`未知选项 ${name}`, `unknown option ${name}`);
    if (spec.key in out.options) throw new UsageError(`选项 ${name} 重复`, `option ${name} given twice`);
    if (!spec.value) {
      if (eq > 0) throw new UsageError(`选项 ${name} 不带取值`, `option ${name} takes no value`);
      out.options[spec.key] = true;
      continue;
    }
    let v: string | undefined;
    if (eq > 0) v = a.slice(eq + 1);
    else {
      v = argv[i + 1];
      if (v !== undefined && v !== '-' && v.startsWith('-') && v.length > 1) v = undefined;
      else i++;
    }
    if (v === undefined || v === '') throw new UsageError(`选项 ${name} 缺少取值`, `option ${name} needs a value`);
    out.options[spec.key] = v;
  }
  return out;
}

export function optString(p: Parsed, key: string): string | undefined {
  const v = p.options[key];
  return typeof v === 'string' ? v : undefined;
}
