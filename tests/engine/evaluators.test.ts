/**
 * The rule evaluators (shared/rules/evaluators) say what they do: one per rule id, evaluated on the
 * category it declares, adding exactly the missing items it declares when it cannot be evaluated,
 * and the declared mode is the one a 低效 parcel hit by that rule alone gets.
 */
import { consolidate } from '../../shared/determine';
import { EVALUATOR_BY_ID, RULE_EVALUATORS, RULE_GROUP } from '../../shared/rules/evaluators';
import { RULE_IDS, type RuleId } from '../../shared/rules/schema';
import type { MissingItem } from '../../shared/types';
import { baseRow, comRow, formRead, houRow, indRow, ruleSet } from '../helpers/reads';

const only = (id: RuleId) => ruleSet({ rules: RULE_IDS.map((r) => ({ id: r, enabled: r === id })) });

describe('rule evaluators', () => {
  test('one evaluator per rule id, grouped by category, and the rule-group table is theirs', () => {
    expect(RULE_EVALUATORS.map((e) => e.id).sort()).toEqual([...RULE_IDS].sort());
    const expectedGroup: Record<string, string | null> = { IND: '工业', COM: '商办', FAC: '设施', RES: null, VAC: '空闲地' };
    for (const e of RULE_EVALUATORS) {
      expect(e.category).toBe(expectedGroup[e.id.split('-')[0]]);
      expect(RULE_GROUP[e.id]).toBe(e.category);
    }
  });

  test('each rule, alone in the rule set, adds exactly the missing items it declares', () => {
    // parcels of every category without survey rows, an industrial and a commercial one with a row
    // but no tax or output anywhere (so no benchmark either), and a housing row
    const reads = [
      formRead('base', [
        baseRow(1),
        baseRow(2),
        baseRow(3, { landUseCode: '05H1', plannedUse: '商业服务业' }),
        baseRow(4, { landUseCode: '05H1', plannedUse: '商业服务业' }),
        baseRow(5, { landUseCode: '08H1', plannedUse: '公共管理与公共服务' }),
        baseRow(6, { landUseCode: '0701', plannedUse: '居住' }),
        baseRow(7, { landUseCode: '1201', plannedUse: '工业' }),
      ]),
      formRead('industrial', [indRow(2, 1)]),
      formRead('commercial', [comRow(4, '甲楼', { tax: null })]),
      formRead('housing', [houRow(6, '甲小区')]),
    ];
    for (const e of RULE_EVALUATORS) {
      const c = consolidate(reads, only(e.id));
      const seen = new Set<MissingItem>();
      for (const p of c.result.parcels) for (const m of p.missing) seen.add(m);
      expect({ id: e.id, missing: [...seen].sort() }).toEqual({ id: e.id, missing: [...e.missing].sort() });
    }
  });

  test("a 低效 parcel hit by one rule alone gets that rule's declared mode (技改升级 when it declares none)", () => {
    const cases: [RuleId, ReturnType<typeof formRead>[]][] = [
      ['IND-PLOT', [formRead('base', [baseRow(1)]), formRead('industrial', [indRow(1, 1, { floorArea: 3000 })])]],
      ['IND-OBSOLETE', [formRead('base', [baseRow(1)]), formRead('industrial', [indRow(1, 1, { obsolete: true })])]],
      ['IND-REZONED', [formRead('base', [baseRow(1, { plannedUse: '居住' })]), formRead('industrial', [indRow(1, 1)])]],
      ['IND-STOP', [formRead('base', [baseRow(1)]), formRead('industrial', [indRow(1, 1, { status: '停产', stopDate: '2019-01-01' })])]],
      ['COM-STALLED', [formRead('base', [baseRow(1, { landUseCode: '05H1', plannedUse: '商业服务业' })]), formRead('commercial', [comRow(1, '甲楼', { stalled: true })])]],
      ['RES-VILLAGE', [formRead('base', [baseRow(1, { landUseCode: '0701' })]), formRead('housing', [houRow(1, '甲村', { housingType: '城中村' })])]],
      ['VAC-LAND', [formRead('base', [baseRow(1, { landUseCode: '1201' })])]],
    ];
    for (const [id, reads] of cases) {
      const p = consolidate(reads, only(id)).result.parcels[0];
      expect({ id, result: p.result, hits: p.hits, mode: p.mode }).toEqual({ id, result: '低效', hits: [id], mode: EVALUATOR_BY_ID[id].mode ?? '技改升级' });
    }
  });
});
