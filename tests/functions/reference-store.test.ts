/**
 * Reference versions under concurrent uploads: the pointer to the current version moves only from
 * the version each upload read (etag), so every answer's previousVersion is the version it really
 * replaced and the versions form one chain — in memory and in Azurite (Table storage's If-Match).
 */
import type { Principal } from '../../functions/lib/auth';
import { referenceHistory, storeReference } from '../../functions/lib/data';
import type { Store } from '../../functions/lib/storage';
import { storeBackends } from './helpers';

const office: Principal = { id: 'office', name: '规划资源分局', role: 'office' };
const bytes = (s: string) => new TextEncoder().encode(s);

describe.each(storeBackends('ref'))('%s', (_name, open) => {
  let store: Store;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ store, stop } = await open());
  }, 60_000);
  afterAll(() => stop());

  test('five uploads at once: each names the version it replaced, one chain, the last in it is current', async () => {
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => storeReference(store, 'tax', bytes(`tax v${i}`), `纳税${i}.xlsx`, i, office)));
    const versions = answers.map((a) => a.current.version);
    expect(new Set(versions).size).toBe(5);
    // exactly one replaced nothing; every other replaced a distinct one of the five
    const previous = answers.map((a) => a.previous);
    expect(previous.filter((p) => p === null)).toHaveLength(1);
    const replaced = previous.filter((p): p is string => p !== null);
    expect(new Set(replaced).size).toBe(4);
    for (const p of replaced) expect(versions).toContain(p);
    // following the chain from the first reaches all five; its end is the version in force
    const next = new Map(answers.filter((a) => a.previous !== null).map((a) => [a.previous!, a.current.version]));
    let at = answers.find((a) => a.previous === null)!.current.version;
    const chain = [at];
    while (next.has(at)) chain.push((at = next.get(at)!));
    expect(chain).toHaveLength(5);
    expect((await store.getEntity('reference', 'current', 'tax'))?.entity.version).toBe(at);
    expect((await referenceHistory(store, 'tax')).map((v) => v.version).sort()).toEqual([...versions].sort());
  }, 60_000);

  test('a replace from a version read earlier is refused once another write came first', async () => {
    await storeReference(store, 'output', bytes('output v1'), '产值.xlsx', 1, office);
    const read = await store.getEntity('reference', 'current', 'output');
    expect(read).not.toBeNull();
    await storeReference(store, 'output', bytes('output v2'), '产值2.xlsx', 1, office);
    await expect(store.replaceEntity('reference', { ...read!.entity }, read!.etag)).rejects.toMatchObject({ status: 412, code: 'changed' });
    expect(await store.getEntity('reference', 'current', 'nothing')).toBeNull();
  });
});
