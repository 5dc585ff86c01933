import defaultJson from './hedong-default.json';
import { RuleSet, ruleSetSchema } from './schema';

export * from './schema';

/** Parses and validates a rule-set document; throws an Error with a Chinese message listing the problems. */
export function parseRuleSet(doc: unknown): RuleSet {
  const r = ruleSetSchema.safeParse(doc);
  if (!r.success) {
    const what = r.error.issues.map((i) => `${i.path.join('.') || '(根)'}: ${i.message}`).join('; ');
    throw new Error(`规则集无效 / invalid rule set: ${what}`);
  }
  return r.data;
}

export function defaultRuleSet(): RuleSet {
  return parseRuleSet(defaultJson);
}

/** The rule set with a different evaluation date (CLI --evaluation-date). */
export function withEvaluationDate(rs: RuleSet, date: string): RuleSet {
  return parseRuleSet({ ...rs, evaluationDate: date });
}
