/** The JSON written piece by piece is exactly the JSON written at once (scripts parse and diff it). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stageJson } from '../../cli/io';
import { jsonChunks } from '../../shared/json-chunks';

const same = (v: unknown, depth?: number) => expect([...jsonChunks(v, depth)].join('')).toBe(JSON.stringify(v, null, 2));

test('nested objects and arrays, empty ones, undefined members and line breaks inside strings', () => {
  const v = {
    a: [1, { b: 'x\ny', c: [], d: {} }, undefined, null, [[1, 2], []]],
    skipped: undefined,
    f: () => 1,
    e: {},
    g: [],
    h: '河东区"引号"\\',
    when: new Date(Date.UTC(2026, 0, 2)),
    n: { deep: { deeper: [{ x: 1 }] } },
  };
  for (const depth of [0, 1, 2, 3, 6]) same(v, depth);
});

test('scalars and top-level arrays', () => {
  for (const v of [1, 'a', null, true, [], {}, [{ a: 1 }, { b: [2] }]]) same(v);
});

test('long arrays written a slice at a time, at every depth and indent', () => {
  const rows = Array.from({ length: 1000 }, (_v, i) => (i % 7 === 3 ? null : i % 11 === 5 ? [i, { k: `行\n${i}` }] : { id: `P${i}`, n: i, tags: i % 3 ? [] : ['a', 'b'] }));
  const v = { parcels: rows, issues: rows.slice(0, 257), one: [rows[0]], nested: { deeper: rows.slice(0, 513) } };
  for (const depth of [1, 2, 3, 4]) same(v, depth);
  same(rows, 1);
  same([undefined, () => 1, 1], 1);
});

describe('stageJson (the --json file)', () => {
  test('the file is JSON.stringify(value, null, 2) and a line break, byte for byte, across many buffer fills, Chinese text and a piece larger than the buffer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stage-json-'));
    try {
      const parcels = Array.from({ length: 6000 }, (_v, i) => ({ parcelId: `120102001002GB${String(i).padStart(5, '0')}`, street: i % 3 ? '大王庄街道' : 'Dawangzhuang', note: '河东区'.repeat(i % 40) }));
      const v = { ruleSet: { id: 'x' }, parcels, huge: ['低效'.repeat(600_000)], tail: '完' };
      const path = join(dir, 'result.json');
      stageJson(path, v).commit();
      const bytes = readFileSync(path);
      expect(bytes.length).toBeGreaterThan(3 << 20);
      expect(bytes.equals(Buffer.from(`${JSON.stringify(v, null, 2)}\n`, 'utf8'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
