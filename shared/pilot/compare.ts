/**
 * Comparing two determinations (pilot.md §4): the evidence of the mid-term evaluation and the final
 * summary. A pure function of two `consolidate --json` results (interfaces.md): per parcel its
 * result before and after, the rule hits added and removed and the change of 亩均税收, 亩均产值 and
 * 容积率; in total the parcels and land that left 低效 (盘活成效), that became 低效, the change by
 * street and by category, and the parcels found in only one of the two.
 *
 * Areas: a parcel that left 低效 counts with its area in the older determination (the land that
 * was low-efficiency); one that became 低效 with its area in the newer one. By street and by
 * category, what it was before (原低效, 退出低效) counts under its street and category in the older
 * determination, what it is after (现低效, 新增低效) under those in the newer (a rezoned 工业 parcel
 * leaves 工业's 低效, not 商办's). The per-parcel record's street and category are the newer's when
 * it is in both; each side carries its own.
 */
import type { ConsolidationResultJson } from '../contract';
import { mu } from '../determine/util';
import { CATEGORIES, type Category, type ResultLabel } from '../lists';

type ParcelJson = ConsolidationResultJson['parcels'][number];

/** How a parcel's result moved between the two determinations. */
export const TRANSITIONS = ['left', 'became', 'stayed', 'unsettled', 'resultChanged', 'unchanged', 'oldOnly', 'newOnly'] as const;
export type Transition = (typeof TRANSITIONS)[number];

export const TRANSITION_LABEL: Record<Transition, string> = {
  left: '退出低效',
  became: '新增低效',
  stayed: '仍为低效',
  unsettled: '原低效现待核实',
  resultChanged: '认定结果变化',
  unchanged: '认定结果未变',
  oldOnly: '仅在原认定中',
  newOnly: '仅在新认定中',
};

export interface ParcelSide {
  street: string;
  category: Category;
  result: ResultLabel;
  hits: string[];
  mode: string | null;
  landArea: number;
  plotRatio: number | null;
  taxPerMu: number | null;
  outputPerMu: number | null;
}

export interface FigureDelta {
  taxPerMu: number | null;
  outputPerMu: number | null;
  plotRatio: number | null;
}

export interface ParcelChange {
  parcelId: string;
  street: string;
  category: Category;
  transition: Transition;
  before: ParcelSide | null;
  after: ParcelSide | null;
  /** Hits of the newer determination not in the older (newer's rule order). */
  hitsAdded: string[];
  /** Hits of the older determination not in the newer (older's rule order). */
  hitsRemoved: string[];
  /** after − before; null when either is unknown or the parcel is in one only. */
  delta: FigureDelta;
}

export interface CountArea {
  count: number;
  /** m² */
  area: number;
  mu: number;
}

export interface GroupChange {
  key: string;
  lowBefore: CountArea;
  lowAfter: CountArea;
  left: CountArea;
  became: CountArea;
  /** 低效 before, 待核实 or 不参评 after (older area): not shown to have left 低效. */
  unsettled: CountArea;
  /** lowAfter.area − lowBefore.area (m²). */
  areaChange: number;
  countChange: number;
}

export interface Comparison {
  old: { ruleSet: { id: string; version: string }; evaluationDate: string; parcels: number };
  new: { ruleSet: { id: string; version: string }; evaluationDate: string; parcels: number };
  totals: {
    inBoth: number;
    oldOnly: number;
    newOnly: number;
    lowBefore: CountArea;
    lowAfter: CountArea;
    /** 盘活成效: in both, 低效 before and 非低效 after. */
    left: CountArea;
    became: CountArea;
    stayed: CountArea;
    /**
     * In both, 低效 before and 待核实 or 不参评 after: the newer determination lacks what it needs
     * (a figure, a survey row), which shows no 盘活, so it is not counted as 退出低效.
     */
    unsettled: CountArea;
    resultChanged: number;
    unchanged: number;
    /** Parcels in both whose hits changed. */
    hitsChanged: number;
  };
  byStreet: GroupChange[];
  byCategory: GroupChange[];
  /** Every parcel in either determination: those in both in the newer's order, then the older-only ones. */
  parcels: ParcelChange[];
}

function side(p: ParcelJson): ParcelSide {
  return {
    street: p.street,
    category: p.category,
    result: p.result,
    hits: [...p.hits],
    mode: p.mode,
    landArea: p.landArea,
    plotRatio: p.plotRatio,
    taxPerMu: p.taxPerMu,
    outputPerMu: p.outputPerMu,
  };
}

const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);

function transitionOf(before: ParcelSide | null, after: ParcelSide | null): Transition {
  if (!before) return 'newOnly';
  if (!after) return 'oldOnly';
  const lb = before.result === '低效';
  const la = after.result === '低效';
  if (lb && !la) return after.result === '非低效' ? 'left' : 'unsettled';
  if (!lb && la) return 'became';
  if (lb && la) return 'stayed';
  return before.result === after.result ? 'unchanged' : 'resultChanged';
}

const zero = (): CountArea => ({ count: 0, area: 0, mu: 0 });
function add(x: CountArea, area: number): void {
  x.count++;
  x.area += area;
  x.mu = mu(x.area);
}

function newGroup(key: string): GroupChange {
  return { key, lowBefore: zero(), lowAfter: zero(), left: zero(), became: zero(), unsettled: zero(), areaChange: 0, countChange: 0 };
}

/** The before figures into the group of the older side, the after figures into the newer side's. */
function tally(groupOf: (s: ParcelSide) => GroupChange, c: ParcelChange): void {
  if (c.before) {
    const g = groupOf(c.before);
    if (c.before.result === '低效') add(g.lowBefore, c.before.landArea);
    if (c.transition === 'left') add(g.left, c.before.landArea);
    if (c.transition === 'unsettled') add(g.unsettled, c.before.landArea);
    settle(g);
  }
  if (c.after) {
    const g = groupOf(c.after);
    if (c.after.result === '低效') add(g.lowAfter, c.after.landArea);
    if (c.transition === 'became') add(g.became, c.after.landArea);
    settle(g);
  }
}

function settle(g: GroupChange): void {
  g.areaChange = g.lowAfter.area - g.lowBefore.area;
  g.countChange = g.lowAfter.count - g.lowBefore.count;
}

/** Compares an older and a newer determination (both already checked against the contract). */
export function compareDeterminations(older: ConsolidationResultJson, newer: ConsolidationResultJson): Comparison {
  const before = new Map<string, ParcelJson>();
  for (const p of older.parcels) if (!before.has(p.parcelId)) before.set(p.parcelId, p);
  const seen = new Set<string>();
  const parcels: ParcelChange[] = [];
  const make = (id: string, o: ParcelJson | undefined, n: ParcelJson | undefined): ParcelChange => {
    const b = o ? side(o) : null;
    const a = n ? side(n) : null;
    const ref = (n ?? o)!;
    return {
      parcelId: id,
      street: ref.street,
      category: ref.category,
      transition: transitionOf(b, a),
      before: b,
      after: a,
      hitsAdded: b && a ? a.hits.filter((h) => !b.hits.includes(h)) : [],
      hitsRemoved: b && a ? b.hits.filter((h) => !a.hits.includes(h)) : [],
      delta: {
        taxPerMu: b && a ? diff(b.taxPerMu, a.taxPerMu) : null,
        outputPerMu: b && a ? diff(b.outputPerMu, a.outputPerMu) : null,
        plotRatio: b && a ? diff(b.plotRatio, a.plotRatio) : null,
      },
    };
  };
  for (const n of newer.parcels) {
    if (seen.has(n.parcelId)) continue;
    seen.add(n.parcelId);
    parcels.push(make(n.parcelId, before.get(n.parcelId), n));
  }
  for (const o of before.values()) if (!seen.has(o.parcelId)) parcels.push(make(o.parcelId, o, undefined));

  const totals: Comparison['totals'] = {
    inBoth: 0, oldOnly: 0, newOnly: 0,
    lowBefore: zero(), lowAfter: zero(), left: zero(), became: zero(), stayed: zero(), unsettled: zero(),
    resultChanged: 0, unchanged: 0, hitsChanged: 0,
  };
  const streets = new Map<string, GroupChange>();
  const cats = new Map<string, GroupChange>(CATEGORIES.map((c) => [c, newGroup(c)]));
  for (const c of parcels) {
    if (c.transition === 'oldOnly') totals.oldOnly++;
    else if (c.transition === 'newOnly') totals.newOnly++;
    else totals.inBoth++;
    if (c.before?.result === '低效') add(totals.lowBefore, c.before.landArea);
    if (c.after?.result === '低效') add(totals.lowAfter, c.after.landArea);
    if (c.transition === 'left') add(totals.left, c.before!.landArea);
    if (c.transition === 'became') add(totals.became, c.after!.landArea);
    if (c.transition === 'stayed') add(totals.stayed, c.after!.landArea);
    if (c.transition === 'unsettled') add(totals.unsettled, c.before!.landArea);
    if (c.transition === 'resultChanged') totals.resultChanged++;
    if (c.transition === 'unchanged') totals.unchanged++;
    if (c.hitsAdded.length || c.hitsRemoved.length) totals.hitsChanged++;
    tally((s) => {
      let g = streets.get(s.street);
      if (!g) streets.set(s.street, (g = newGroup(s.street)));
      return g;
    }, c);
    tally((s) => cats.get(s.category)!, c);
  }
  const byStreet = [...streets.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const byCategory = [...cats.values()].filter((g) => g.lowBefore.count || g.lowAfter.count || g.left.count || g.became.count || g.unsettled.count);
  return {
    old: { ruleSet: { ...older.ruleSet }, evaluationDate: older.evaluationDate, parcels: before.size },
    new: { ruleSet: { ...newer.ruleSet }, evaluationDate: newer.evaluationDate, parcels: seen.size },
    totals,
    byStreet,
    byCategory,
    parcels,
  };
}
