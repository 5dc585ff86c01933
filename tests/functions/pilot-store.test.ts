/**
 * Storage of the pilot's milestone and project sheets: every submission kept with who and when,
 * and the set in force as of a date (per unit its latest up to the end of that day, UTC+8) —
 * in memory and in Azurite (Blob + Table), so the ledger can be rebuilt as of any date.
 */
import type { Principal } from '../../functions/lib/auth';
import { endOfDay, inForceAsOf, listPilotSubmissions, storePilotSubmission, todayCst } from '../../functions/lib/pilot-store';
import { parseDateParam } from '../../functions/lib/http';
import type { Store } from '../../functions/lib/storage';
import { sha256, storeBackends } from './helpers';

const industry: Principal = { id: 'industry', name: '区产业发展促进局', role: 'department' };
const street: Principal = { id: 'dawangzhuang', name: '大王庄街道办事处', role: 'street' };
const meta = (unit: string, rows: number) => ({ catalogueUnit: unit, file: '节点.xlsx', sheet: '项目节点表', rows, errorCount: 0, warningCount: 0 });
const bytes = (s: string) => new TextEncoder().encode(s);

test('the end of a day is midnight China Standard Time; today is the CST date', () => {
  expect(endOfDay('2027-01-15').toISOString()).toBe('2027-01-15T16:00:00.000Z');
  expect(todayCst(new Date('2027-01-15T15:59:59Z'))).toBe('2027-01-15');
  expect(todayCst(new Date('2027-01-15T16:00:00Z'))).toBe('2027-01-16');
});

test('as-of dates must be real YYYY-MM-DD dates', () => {
  expect(parseDateParam('2027-02-28', 'asOf', '截止日期')).toBe('2027-02-28');
  expect(parseDateParam(null, 'asOf', '截止日期')).toBeUndefined();
  for (const bad of ['2027-02-30', '2027-2-1', '20270201', 'x']) expect(() => parseDateParam(bad, 'asOf', '截止日期')).toThrow(/YYYY-MM-DD/);
});

async function history(store: Store) {
  // industry submits on Jan 10 (22:00 Beijing = 14:00 UTC) and again on Feb 3; the street once on Jan 20
  const a = await storePilotSubmission(store, industry, 'milestone', bytes('v1'), 'xlsx', meta('区产业发展促进局', 3), new Date('2027-01-10T14:00:00Z'));
  const b = await storePilotSubmission(store, street, 'milestone', bytes('s1'), 'grid', meta('大王庄街道', 2), new Date('2027-01-20T02:00:00Z'));
  const c = await storePilotSubmission(store, industry, 'milestone', bytes('v2'), 'xlsx', meta('区产业发展促进局', 4), new Date('2027-02-03T01:00:00Z'));
  return { a, b, c };
}

describe.each(storeBackends('pilot'))('%s', (_name, open) => {
  let store: Store;
  let stop: () => Promise<void>;
  let subs: Awaited<ReturnType<typeof history>>;
  beforeAll(async () => {
    ({ store, stop } = await open());
    subs = await history(store);
  }, 60_000);
  afterAll(() => stop());

  test('each submission is kept (none overwritten) with who, when, hash and its bytes', async () => {
    const all = await listPilotSubmissions(store, 'milestone');
    expect(all.map((s) => s.id)).toEqual([subs.c.id, subs.b.id, subs.a.id]);
    expect(all[2]).toMatchObject({ unit: 'industry', unitName: '区产业发展促进局', catalogueUnit: '区产业发展促进局', submittedAt: '2027-01-10T14:00:00.000Z', rows: 3, format: 'xlsx', sha256: sha256(bytes('v1')) });
    expect(new TextDecoder().decode(await store.getBlob(subs.a.blob))).toBe('v1');
    expect(new TextDecoder().decode(await store.getBlob(subs.c.blob))).toBe('v2');
    expect(subs.b.blob).toMatch(/\.json$/);
    expect((await listPilotSubmissions(store, 'milestone', 'industry')).map((s) => s.id)).toEqual([subs.c.id, subs.a.id]);
    expect(await listPilotSubmissions(store, 'project')).toEqual([]);
  });

  test('as of a date: each unit’s latest submission up to the end of that day', async () => {
    const all = await listPilotSubmissions(store, 'milestone');
    const ids = (d: string) => inForceAsOf(all, d).map((s) => s.id);
    expect(ids('2027-01-09')).toEqual([]);
    expect(ids('2027-01-10')).toEqual([subs.a.id]); // 22:00 Beijing on the 10th counts for the 10th
    expect(ids('2027-01-20')).toEqual([subs.b.id, subs.a.id]); // unit-id order: dawangzhuang, industry
    expect(ids('2027-02-02')).toContain(subs.a.id);
    expect(ids('2027-02-03')).toContain(subs.c.id);
    expect(ids('2027-02-03')).not.toContain(subs.a.id);
    expect(ids('2027-12-31')).toHaveLength(2);
  });
});
