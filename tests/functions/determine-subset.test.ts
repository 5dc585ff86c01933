/**
 * determine works on the reference data cut down to what the sent rows refer to. That must never
 * change a sent parcel's figures: compared with the full consolidation on a larger sample set.
 */
jest.mock('@azure/functions-core', () => require('../../functions/local/core-capture').fakeCore, { virtual: true });

import { readFileSync } from 'node:fs';
import { referenceForRows } from '../../functions/http/determine';
import { consolidate } from '../../shared/determine';
import type { FormId } from '../../shared/forms';
import { readWorkbook } from '../../shared/read';
import { defaultRuleSet } from '../../shared/rules';
import type { FormRead } from '../../shared/types';
import { readXlsx } from '../../shared/xlsx/read';
import { REFERENCE, writeSample } from './helpers';

const rs = defaultRuleSet();
const reads: FormRead[] = [];

beforeAll(async () => {
  const sample = await writeSample(2);
  for (let i = 0; i < sample.written.files.length; i++) {
    reads.push(...readWorkbook(await readXlsx(new Uint8Array(readFileSync(sample.written.files[i])), sample.written.data.workbooks[i].file), rs));
  }
});

test.each(['industrial', 'commercial', 'facility', 'housing'] as FormId[])('sent %s rows get the same parcel results as in the full consolidation', (form) => {
  const refs = reads.filter((r) => REFERENCE.includes(r.form));
  const sent = reads.filter((r) => r.form === form);
  expect(sent.length).toBeGreaterThan(0);
  for (const read of sent) {
    const full = new Map(consolidate([...refs, read], rs).result.parcels.map((p) => [p.parcelId, p]));
    const cut = referenceForRows(refs, read);
    expect(cut.find((r) => r.form === 'base')!.rows.length).toBeLessThan(refs.find((r) => r.form === 'base')!.rows.length);
    const sub = consolidate([...cut, read], rs);
    const sentIds = new Set(read.rows.map((r) => r.values.parcelId));
    const mine = sub.result.parcels.filter((p) => sentIds.has(p.parcelId));
    expect(mine.length).toBeGreaterThan(0);
    for (const p of mine) expect(p).toEqual(full.get(p.parcelId));
    const issuesOf = (c: ReturnType<typeof consolidate>) => c.result.issues.filter((i) => i.form === form);
    expect(issuesOf(sub)).toEqual(issuesOf(consolidate([...refs, read], rs)));
  }
});
