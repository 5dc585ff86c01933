/**
 * The engine's whole answer for every golden case (cases.ts) is the one recorded in snapshot.json:
 * the contract result, the per-parcel details (card texts included), the full issues, the
 * conservation and which file each issue came from, one SHA-256 per part. The snapshot was
 * recorded from main before the engine was split (issue 12); refactors must leave it unchanged.
 * A change of behaviour that is meant (a reader fix, new sample traits) is recorded again with
 * `GOLDEN_UPDATE=1 npx jest tests/golden` and said so in the commit message. On a mismatch the
 * actual parts are written to a temp folder for a diff against a run of the earlier commit.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLDEN_CASES, type GoldenAnswer } from './cases';

const SNAPSHOT = join(__dirname, 'snapshot.json');
const update = process.env.GOLDEN_UPDATE === '1';

type Parts = Record<string, unknown[]>;

function partsOf(a: GoldenAnswer): Parts {
  if (a.kind === 'issues') return { issues: a.issues };
  const c = a.c;
  return {
    result: [c.result],
    details: c.details,
    issues: c.issues,
    conservation: c.conservation,
    issueFiles: c.issues.map((is) => c.issueFiles?.get(is) ?? null),
  };
}

/** One hash per part, element by element (the bench cases' details run to hundreds of MB as one string). */
function hashes(parts: Parts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, list] of Object.entries(parts)) {
    const h = createHash('sha256');
    h.update(`${list.length}\n`);
    for (const x of list) h.update(`${JSON.stringify(x)}\n`);
    out[k] = `${list.length}:${h.digest('hex')}`;
  }
  return out;
}

const recorded: Record<string, Record<string, string>> = update ? {} : (JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Record<string, Record<string, string>>);

describe('golden answers: the engine gives exactly what it gave before the split', () => {
  afterAll(() => {
    if (update) writeFileSync(SNAPSHOT, `${JSON.stringify(recorded, null, 2)}\n`);
  });

  test('every case has a recorded answer and every recorded answer a case', () => {
    if (update) return;
    expect(Object.keys(recorded).sort()).toEqual(GOLDEN_CASES.map((c) => c.name).sort());
  });

  for (const gc of GOLDEN_CASES) {
    test(gc.name, async () => {
      const parts = partsOf(await gc.run());
      const got = hashes(parts);
      if (update) {
        recorded[gc.name] = got;
        return;
      }
      if (JSON.stringify(got) !== JSON.stringify(recorded[gc.name])) {
        const dir = mkdtempSync(join(tmpdir(), 'golden-actual-'));
        for (const [k, list] of Object.entries(parts)) writeFileSync(join(dir, `${k}.jsonl`), list.map((x) => JSON.stringify(x)).join('\n'));
        console.error(`golden mismatch in "${gc.name}": actual parts written to ${dir}`);
      }
      expect(got).toEqual(recorded[gc.name]);
    }, 180_000);
  }
});
