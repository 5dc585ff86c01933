import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderFormsDoc } from '../../shared/forms/docs';
import { FORMS, FORM_IDS, getForm } from '../../shared/forms';
import { ISSUE_CODES, ISSUE_CODE_LIST, renderMessage } from '../../shared/issues/catalogue';
import { makeIssue } from '../../shared/issues/issue';
import { defaultRuleSet, parseRuleSet, RULE_IDS, withEvaluationDate } from '../../shared/rules';
import defaultJson from '../../shared/rules/hedong-default.json';

const norm = (s: string) => s.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').toLowerCase();

describe('forms catalogue', () => {
  it('has the ten survey forms of the spec and the two pilot forms under the ids the CLI accepts', () => {
    expect([...FORM_IDS].sort()).toEqual(
      ['base', 'commercial', 'environment', 'facility', 'housing', 'industrial', 'output', 'outputBenchmark', 'tax', 'taxBenchmark', 'project', 'milestone'].sort(),
    );
  });

  it.each(FORMS.map((f) => [f.id, f] as const))('%s: keys, titles and variants are unambiguous', (_id, form) => {
    const keys = form.fields.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    // A title or variant must map to one field only, or columns could not be matched by title.
    const seen = new Map<string, string>();
    for (const f of form.fields) {
      for (const t of [f.title, ...(f.variants ?? [])]) {
        const n = norm(t);
        const other = seen.get(n);
        if (other && other !== f.key) throw new Error(`${form.id}: title ${t} used by ${other} and ${f.key}`);
        seen.set(n, f.key);
      }
    }
    for (const k of form.key) expect(keys).toContain(k);
    for (const f of form.fields) {
      if (f.type === 'enum') expect(f.enum?.length).toBeGreaterThan(0);
      if (f.requiredWhen) {
        const dep = form.fields.find((x) => x.key === f.requiredWhen!.field);
        expect(dep?.type).toBe('enum');
        for (const v of f.requiredWhen.in) expect(dep!.enum).toContain(v);
      }
      expect(f.help.length).toBeGreaterThan(0);
    }
  });

  it('marks the columns the spec calls required as required', () => {
    const req = (id: Parameters<typeof getForm>[0]) => getForm(id).fields.filter((f) => f.required).map((f) => f.title);
    expect(req('base')).toEqual(['宗地代码', '街道', '坐落', '地类编码', '土地面积(㎡)', '权利人', '用地手续']);
    expect(req('industrial')).toEqual(['宗地代码', '企业名称', '统一社会信用代码', '行业代码', '用地面积(㎡)', '总建筑面积(㎡)', '建筑基底面积(㎡)', '经营状态']);
    expect(req('tax')).toEqual(['统一社会信用代码', '企业名称', '年度', '纳税总额(万元)']);
  });

  it('docs/forms.md is the rendering of the current catalogue (run `npm run docs` after changing it)', () => {
    const onDisk = readFileSync(join(__dirname, '../../docs/forms.md'), 'utf8');
    expect(onDisk).toBe(renderFormsDoc());
  });
});

describe('issue-code catalogue', () => {
  it('gives every code the default severity of domain.md §8.14 and pilot.md §2', () => {
    const errors = ['missing-column', 'missing-value', 'type-error', 'out-of-range', 'invalid-enum', 'invalid-parcel-id', 'foreign-parcel', 'invalid-uscc', 'invalid-industry-code', 'duplicate-key', 'formula-error', 'footprint-exceeds-land', 'vacancy-exceeds-floor-area', 'parcel-not-in-base', 'missing-occurrence-date'];
    const warnings = ['unknown-column', 'inconsistent-plot-ratio', 'area-mismatch', 'tax-mismatch', 'date-after-evaluation', 'post-survey-illegal-use', 'category-mismatch'];
    const infos = ['normalized-value', 'missing-reference', 'other-year', 'total-row', 'note-row']; // §9.2–3
    // pilot.md §2
    errors.push('parcel-in-two-projects', 'project-rows-disagree', 'milestone-without-project', 'milestone-in-future', 'plan-dates-inverted');
    warnings.push('project-parcel-not-low', 'milestone-overdue', 'project-stalled');
    infos.push('mode-differs');
    expect([...ISSUE_CODE_LIST].sort()).toEqual([...errors, ...warnings, ...infos].sort());
    for (const c of errors) expect(ISSUE_CODES[c as keyof typeof ISSUE_CODES].severity).toBe('error');
    for (const c of warnings) expect(ISSUE_CODES[c as keyof typeof ISSUE_CODES].severity).toBe('warning');
    for (const c of infos) expect(ISSUE_CODES[c as keyof typeof ISSUE_CODES].severity).toBe('info');
  });

  it('renders Chinese messages with the placeholders filled and no braces left', () => {
    for (const code of ISSUE_CODE_LIST) {
      // a cell's message, and a whole column's (its columnMessage where it has one)
      for (const wholeColumn of [false, true]) {
        const m = renderMessage(code, { field: '宗地代码', value: 'X', expected: 'Y', detail: 'Z' }, wholeColumn);
        expect(m).not.toMatch(/[{}]/);
        expect(m).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('lets the rule set override a severity', () => {
    const i = makeIssue('unknown-column', { form: 'industrial', sheet: 'S', value: '备用' }, { 'unknown-column': 'info' });
    expect(i.severity).toBe('info');
    expect(i.message).toContain('备用');
    expect(makeIssue('unknown-column', { form: 'industrial', sheet: 'S' }).severity).toBe('warning');
  });
});

describe('rule set', () => {
  it('default rule set lists every rule in the order of the spec table', () => {
    const rs = defaultRuleSet();
    expect(rs.id).toBe('hedong-default');
    expect(rs.rules.map((r) => r.id)).toEqual([...RULE_IDS]);
    expect(rs.evaluationDate).toBe('2022-12-31');
    expect(rs.streets).toHaveLength(13);
    expect(rs.thresholds).toMatchObject({ plotRatio: 0.8, coverage: 30, taxShare: 0.5, outputShare: 0.5, vacancyRate: 50, oldHousingYear: 2000 });
  });

  it('rejects a malformed rule set with a message naming the bad field', () => {
    expect(() => parseRuleSet({ ...defaultJson, thresholds: { ...defaultJson.thresholds, coverage: 'thirty' } })).toThrow(/thresholds\.coverage/);
    expect(() => parseRuleSet({ ...defaultJson, evaluationDate: '2022/12/31' })).toThrow(/evaluationDate/);
    // a day the month does not have would be rolled over by Date: refused, as the CLI's --evaluation-date refuses it
    expect(() => parseRuleSet({ ...defaultJson, evaluationDate: '2022-02-30' })).toThrow(/evaluationDate.*真实存在的日期/);
    expect(() => withEvaluationDate(defaultRuleSet(), '2023-02-29')).toThrow(/真实存在的日期/);
    expect(() => parseRuleSet({ ...defaultJson, surprise: 1 })).toThrow(/规则集无效/);
  });

  it('accepts an edited rule set with per-大类 overrides and a new evaluation date', () => {
    const rs = parseRuleSet({ ...defaultJson, version: 'x', industryOverrides: { '25': { plotRatio: 0.5 } } });
    expect(rs.industryOverrides['25'].plotRatio).toBe(0.5);
    expect(withEvaluationDate(rs, '2023-12-31').evaluationDate).toBe('2023-12-31');
    expect(() => withEvaluationDate(rs, '31.12.2023')).toThrow();
  });
});
