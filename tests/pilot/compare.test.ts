/** Comparing two determinations (pilot.md §4) against the hand-worked pair of fixtures.ts. */
import { consolidationResultSchema } from '../../shared/contract';
import { compareDeterminations } from '../../shared/pilot/compare';
import { comparePair, determination, low, parcel } from './fixtures';

const MU = 1.5 / 1000; // 亩 per m²

describe('compareDeterminations', () => {
  const { older, newer } = comparePair();
  const c = compareDeterminations(older, newer);
  const byId = new Map(c.parcels.map((p) => [p.parcelId, p]));

  test('the fixtures are real determinations', () => {
    expect(consolidationResultSchema.safeParse(older).success).toBe(true);
    expect(consolidationResultSchema.safeParse(newer).success).toBe(true);
  });

  test('each parcel gets its transition; newer order first, then the older-only ones', () => {
    expect(c.parcels.map((p) => [p.parcelId, p.transition])).toEqual([
      ['A', 'left'], ['B', 'became'], ['C', 'stayed'], ['D', 'resultChanged'], ['E', 'unchanged'], ['G', 'newOnly'], ['F', 'oldOnly'],
    ]);
  });

  test('hits added and removed, and figure changes (after − before; null when unknown)', () => {
    const a = byId.get('A')!;
    expect(a.hitsRemoved).toEqual(['IND-PLOT', 'IND-TAX']);
    expect(a.hitsAdded).toEqual([]);
    expect(a.delta.taxPerMu).toBeCloseTo(22, 10);
    expect(a.delta.plotRatio).toBeCloseTo(0.6, 10);
    expect(a.delta.outputPerMu).toBe(0);
    const cc = byId.get('C')!;
    expect(cc.hitsAdded).toEqual(['IND-COVER']);
    expect(cc.hitsRemoved).toEqual(['IND-PLOT']);
    expect(byId.get('D')!.delta.taxPerMu).toBeNull();
    expect(byId.get('D')!.before!.result).toBe('待核实');
    expect(byId.get('G')!.before).toBeNull();
    expect(byId.get('G')!.delta).toEqual({ taxPerMu: null, outputPerMu: null, plotRatio: null });
    expect(byId.get('F')!.after).toBeNull();
  });

  test('totals: 低效 before A+C+F, after B+C+G; left A, became B, stayed C', () => {
    const t = c.totals;
    expect(t.lowBefore).toEqual({ count: 3, area: 45000, mu: 45000 * MU });
    expect(t.lowAfter).toEqual({ count: 3, area: 30000, mu: 30000 * MU });
    expect(t.left).toEqual({ count: 1, area: 10000, mu: 15 });
    expect(t.became).toEqual({ count: 1, area: 6000, mu: 9 });
    expect(t.stayed.count).toBe(1);
    expect([t.inBoth, t.oldOnly, t.newOnly, t.resultChanged, t.unchanged, t.hitsChanged]).toEqual([5, 1, 1, 1, 1, 3]);
    expect(c.old).toEqual({ ruleSet: { id: 'hedong-default', version: '1.0.0' }, evaluationDate: '2024-12-31', parcels: 6 });
    expect(c.new.parcels).toBe(6);
  });

  test('by street: 大王庄 loses A and F, gains B; 唐家口 unchanged; 向阳楼 gains G', () => {
    const s = Object.fromEntries(c.byStreet.map((g) => [g.key, g]));
    expect(Object.keys(s).sort()).toEqual(['向阳楼街道', '唐家口街道', '大王庄街道'].sort());
    expect(s['大王庄街道'].lowBefore.count).toBe(2);
    expect(s['大王庄街道'].lowBefore.area).toBe(25000);
    expect(s['大王庄街道'].lowAfter.area).toBe(6000);
    expect(s['大王庄街道'].left.area).toBe(10000);
    expect(s['大王庄街道'].became.area).toBe(6000);
    expect(s['大王庄街道'].areaChange).toBe(-19000);
    expect(s['唐家口街道'].areaChange).toBe(0);
    expect(s['唐家口街道'].countChange).toBe(0);
    expect(s['向阳楼街道'].lowAfter).toEqual({ count: 1, area: 4000, mu: 6 });
  });

  test('by category: only categories with 低效 land on either side; 空闲地 drops to zero', () => {
    expect(c.byCategory.map((g) => g.key)).toEqual(['工业', '空闲地']);
    const free = c.byCategory.find((g) => g.key === '空闲地')!;
    expect(free.lowBefore.area).toBe(15000);
    expect(free.lowAfter.count).toBe(0);
    expect(free.left.count).toBe(0); // F is gone, not 盘活: it does not count as left
    const ind = c.byCategory.find((g) => g.key === '工业')!;
    expect([ind.lowBefore.area, ind.lowAfter.area]).toEqual([30000, 30000]);
  });

  test('a parcel that moved: what it was counts under its old street and category, what it is under the new', () => {
    const moved = compareDeterminations(
      determination('2024-12-31', [parcel('X', { street: '大王庄街道', result: '低效', hits: ['IND-PLOT'], mode: '技改升级' })]),
      determination('2026-06-30', [parcel('X', { street: '唐家口街道' })]),
    );
    const byStreet = Object.fromEntries(moved.byStreet.map((g) => [g.key, [g.lowBefore.count, g.left.count, g.lowAfter.count]]));
    expect(byStreet).toEqual({ 大王庄街道: [1, 1, 0], 唐家口街道: [0, 0, 0] });
    // rezoned: 工业 低效 → 商办 非低效 leaves 工业's 低效; 商办 had none before
    const rezoned = compareDeterminations(
      determination('2024-12-31', [parcel('Y', { category: '工业', result: '低效', hits: ['IND-PLOT'], mode: '收储出让' }), parcel('Z', { category: '商办', result: '低效', hits: ['COM-TAX'], mode: '综合施策' })]),
      determination('2026-06-30', [parcel('Y', { category: '商办' }), parcel('Z', { category: '商办', result: '低效', hits: ['COM-TAX'], mode: '综合施策' })]),
    );
    const byCat = Object.fromEntries(rezoned.byCategory.map((g) => [g.key, [g.lowBefore.count, g.left.count, g.lowAfter.count, g.countChange]]));
    expect(byCat).toEqual({ 工业: [1, 1, 0, -1], 商办: [1, 0, 1, 0] });
    const y = rezoned.parcels.find((p) => p.parcelId === 'Y')!;
    expect([y.category, y.before?.category, y.after?.category]).toEqual(['商办', '工业', '商办']);
    // the groups still add up to the totals
    expect(rezoned.byCategory.reduce((s, g) => s + g.lowBefore.count, 0)).toBe(rezoned.totals.lowBefore.count);
  });

  test('低效 → 待核实 or 不参评 is not 退出低效: the newer determination lacks data, no 盘活 is shown', () => {
    const was = low(['IND-PLOT']);
    const x = compareDeterminations(
      determination('2024-12-31', [parcel('P', { ...was, landArea: 2000 }), parcel('Q', { ...was, landArea: 3000 }), parcel('R', { ...was, landArea: 5000 })]),
      determination('2026-06-30', [parcel('P', { result: '待核实', missing: ['tax'] }), parcel('Q', { result: '不参评' }), parcel('R', {})]),
    );
    expect(x.parcels.map((p) => [p.parcelId, p.transition])).toEqual([['P', 'unsettled'], ['Q', 'unsettled'], ['R', 'left']]);
    expect(x.totals.left).toEqual({ count: 1, area: 5000, mu: 5000 * MU });
    expect(x.totals.unsettled).toEqual({ count: 2, area: 5000, mu: 5000 * MU });
    // every parcel that was 低效 and is in both is counted once: left, stayed or unsettled
    const t = x.totals;
    expect(t.left.count + t.stayed.count + t.unsettled.count).toBe(t.lowBefore.count);
    const g = x.byStreet[0];
    expect([g.lowBefore.count, g.left.count, g.unsettled.count, g.lowAfter.count]).toEqual([3, 1, 2, 0]);
  });

  test('comparing a determination with itself changes nothing', () => {
    const same = compareDeterminations(older, older);
    expect(same.totals.left.count + same.totals.became.count + same.totals.oldOnly + same.totals.newOnly + same.totals.hitsChanged).toBe(0);
    expect(same.totals.lowBefore).toEqual(same.totals.lowAfter);
  });
});
