/**
 * The checks' declarations (shared/checks/declared.ts) are what the code does: the issue codes
 * written in each module that raises them are exactly the codes declared for that module, every
 * catalogue code is raised by some check, and no other module of the reader, the checks or the
 * engine names a code (so none raises one undeclared).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DECLARED_CHECKS } from '../../shared/checks/declared';
import { ISSUE_CODE_LIST, type IssueCode } from '../../shared/issues/catalogue';

const ROOT = join(__dirname, '..', '..');

/** The catalogue codes a module's source names (its own `*_RAISES` declaration left out); a call of the raiser's duplicate() raises duplicate-key. */
function codesNamedIn(module: string): Set<string> {
  const src = readFileSync(join(ROOT, module), 'utf8')
    .split('\n')
    .filter((l) => !/_RAISES = \[/.test(l) && !/^\s*(\/\/|\*|\/\*\*)/.test(l))
    .join('\n');
  const out = new Set<string>();
  for (const code of ISSUE_CODE_LIST) if (src.includes(`'${code}'`)) out.add(code);
  if (/\.duplicate\(/.test(src)) out.add('duplicate-key');
  return out;
}

describe('declared checks', () => {
  const modules = [...new Set(DECLARED_CHECKS.map((c) => c.module))];

  test.each(modules)('%s raises exactly the codes declared for it', (module) => {
    const declared = new Set<string>(DECLARED_CHECKS.filter((c) => c.module === module).flatMap((c) => c.raises));
    expect([...codesNamedIn(module)].sort()).toEqual([...declared].sort());
  });

  test('every code of the catalogue is raised by some check, and check ids are unique', () => {
    const raised = new Set<IssueCode>(DECLARED_CHECKS.flatMap((c) => c.raises));
    expect(ISSUE_CODE_LIST.filter((c) => !raised.has(c))).toEqual([]);
    expect(new Set(DECLARED_CHECKS.map((c) => c.id)).size).toBe(DECLARED_CHECKS.length);
  });

  test('no other module of the reader, the checks or the engine names an issue code it would raise undeclared', () => {
    // state.ts holds the raiser the passes call (its own literals are the codes it tracks for them)
    const skip = new Set([...modules, 'shared/determine/state.ts', 'shared/checks/declared.ts']);
    const sources = ['shared/read', 'shared/checks', 'shared/determine']
      .flatMap((d) => readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.ts')).map((f) => `${d}/${f}`))
      .concat('shared/xlsx/read.ts')
      .filter((m) => !skip.has(m));
    expect(sources.length).toBeGreaterThan(3);
    for (const m of sources) expect({ m, codes: [...codesNamedIn(m)] }).toEqual({ m, codes: [] });
  });
});
