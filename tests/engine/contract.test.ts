/** The JSON result contract (interfaces.md) as a strict schema: what the engine gives validates; wrong shapes do not. */
import { consolidationResultSchema, resultContractProblem } from '../../shared/contract';
import { consolidate } from '../../shared/determine';
import { defaultRuleSet } from '../../shared/rules';
import type { ConsolidationResult } from '../../shared/types';
import { baseRow, comRow, facRow, formRead, houRow, indRow, outputRow, taxRow } from '../helpers/reads';

const RS = defaultRuleSet();

/** A small set with every result kind, historic entries and issues of several kinds. */
function result(): ConsolidationResult {
  return consolidate(
    [
      formRead('base', [
        baseRow(1),
        baseRow(2, { landUseCode: '05H1' }),
        baseRow(3, { landUseCode: '0810', landProcedures: '不全', occurrenceDate: '1985-01-01' }),
        baseRow(4, { landUseCode: '1201', landProcedures: '无', occurrenceDate: '2021-03-01' }),
        baseRow(5, { landUseCode: '0809' }),
      ]),
      formRead('industrial', [indRow(1, 1, { floorArea: 5000 }), indRow(9, 2)]),
      formRead('commercial', [comRow(2, 'A座', { tax: null })]),
      formRead('facility', [facRow(5, '泵站')]),
      formRead('housing', [houRow(3, '小区')]),
      formRead('tax', [taxRow(1, 150)]),
      formRead('output', [outputRow(1, 1500, 2021)]),
    ],
    RS,
  ).result;
}

describe('consolidationResultSchema', () => {
  test('the engine result validates, and covers every result kind', () => {
    const r = result();
    const parsed = consolidationResultSchema.safeParse(r);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(new Set(r.parcels.map((p) => p.result))).toEqual(new Set(['低效', '待核实', '非低效']));
    expect(r.historic.map((h) => h.period)).toEqual(['pre-1987', 'post-2019']);
    // a JSON round trip keeps it valid (what the CLI and the functions hand out)
    expect(consolidationResultSchema.safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
  });

  test('不参评 validates too', () => {
    const r = consolidate([formRead('base', [baseRow(1, { landUseCode: '0810' })])], RS).result;
    expect(r.parcels[0].result).toBe('不参评');
    expect(consolidationResultSchema.safeParse(r).success).toBe(true);
  });

  const broken: [string, (r: ConsolidationResult) => unknown][] = [
    ['an extra top-level field', (r) => ({ ...r, extra: 1 })],
    ['an issue with its hint', (r) => ({ ...r, issues: [{ ...r.issues[0], hint: 'x' }] })],
    ['an unknown category', (r) => ({ ...r, parcels: [{ ...r.parcels[0], category: '农用地' }] })],
    ['an unknown result', (r) => ({ ...r, parcels: [{ ...r.parcels[0], result: '低效用地' }] })],
    ['an unknown rule id', (r) => ({ ...r, parcels: [{ ...r.parcels[0], hits: ['IND-XYZ'] }] })],
    ['an unknown missing item', (r) => ({ ...r, parcels: [{ ...r.parcels[0], missing: ['environment'], result: '待核实', hits: [], mode: null }] })],
    ['missing on a parcel that is not 待核实', (r) => ({ ...r, parcels: [{ ...r.parcels[0], result: '非低效', hits: [], mode: null, missing: ['tax'] }] })],
    ['a mode on a parcel that is not 低效', (r) => ({ ...r, parcels: [{ ...r.parcels[0], result: '非低效', hits: [], missing: [], mode: '技改升级' }] })],
    ['an unknown mode', (r) => ({ ...r, parcels: [{ ...r.parcels[0], mode: '拆除' }] })],
    ['a figure given as text', (r) => ({ ...r, parcels: [{ ...r.parcels[0], plotRatio: '0.5' }] })],
    ['a parcel without landArea', (r) => ({ ...r, parcels: [(({ landArea: _l, ...p }) => p)(r.parcels[0])] })],
    ['an unknown historic period', (r) => ({ ...r, historic: [{ parcelId: 'x', period: '2020-2029' }] })],
    ['an unknown severity', (r) => ({ ...r, issues: [{ ...r.issues[0], severity: 'fatal' }] })],
    ['an unknown issue code', (r) => ({ ...r, issues: [{ ...r.issues[0], code: 'bad-thing' }] })],
    ['a row number 0', (r) => ({ ...r, issues: [{ ...r.issues[0], row: 0 }] })],
    ['an unknown form id', (r) => ({ ...r, inputs: [{ ...r.inputs[0], form: 'land' }] })],
    ['more issue rows than rows', (r) => ({ ...r, inputs: [{ ...r.inputs[0], issueRows: r.inputs[0].rows + 1 }] })],
    ['an evaluation date not in ISO form', (r) => ({ ...r, evaluationDate: '2022/12/31' })],
    ['a rule set without version', (r) => ({ ...r, ruleSet: { id: 'hedong-default' } })],
  ];
  test.each(broken)('rejects %s', (_what, mutate) => {
    const r = result();
    expect(consolidationResultSchema.safeParse(mutate(r)).success).toBe(false);
  });

  // what consolidate checks before it writes anything: the same verdict, a slice of each list at a time
  test.each(broken)('resultContractProblem reports what safeParse reports first, for %s', (_what, mutate) => {
    const bad = mutate(result());
    const parsed = consolidationResultSchema.safeParse(bad);
    const first = parsed.success ? null : parsed.error.issues[0];
    expect(resultContractProblem(bad)).toEqual({ path: first!.path, message: first!.message });
  });

  test('resultContractProblem finds nothing in a valid result, and gives the index of a bad element past the first slices', () => {
    const r = result();
    expect(resultContractProblem(r)).toBeNull();
    const many = { ...r, parcels: Array.from({ length: 2500 }, (_, i) => r.parcels[i % r.parcels.length]) };
    expect(resultContractProblem(many)).toBeNull();
    many.parcels[2345] = { ...r.parcels[0], category: '农用地' as never };
    const parsed = consolidationResultSchema.safeParse(many);
    expect(parsed.success).toBe(false);
    expect(resultContractProblem(many)).toEqual({ path: ['parcels', 2345, 'category'], message: parsed.success ? '' : parsed.error.issues[0].message });
  });
});
