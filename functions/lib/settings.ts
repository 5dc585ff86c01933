/**
 * App settings of the functions (Azure app settings, `local.settings.json` Values, or the
 * environment). Read on every call so a changed setting needs no code change; parsing of the
 * larger ones is memoised by their raw text.
 */
import { defaultRuleSet, parseRuleSet, type RuleSet } from '../../shared/rules';
import type { ReadLimits } from '../../shared/xlsx/limits';

const MiB = 1024 * 1024;

function num(name: string, dflt: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return dflt;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : dflt;
}

export interface Limits {
  /** Largest JSON body (validate, determine, consolidate options). */
  maxJsonBytes: number;
  /** Largest xlsx upload (reference data, submissions). */
  maxXlsxBytes: number;
  /** Largest total inflated size of the parts of an uploaded xlsx (zip-bomb guard). */
  maxInflatedBytes: number;
  /** Most rows in one sheet sent as JSON. */
  maxGridRows: number;
  /** Most columns in one sheet sent as JSON. */
  maxGridColumns: number;
}

export function limits(): Limits {
  return {
    maxJsonBytes: num('LAND_SURVEY_MAX_JSON_BYTES', 16 * MiB),
    maxXlsxBytes: num('LAND_SURVEY_MAX_XLSX_BYTES', 32 * MiB),
    maxInflatedBytes: num('LAND_SURVEY_MAX_INFLATED_BYTES', 256 * MiB),
    maxGridRows: num('LAND_SURVEY_MAX_ROWS', 200_000),
    maxGridColumns: num('LAND_SURVEY_MAX_COLUMNS', 200),
  };
}

export function readLimits(): Partial<ReadLimits> {
  const l = limits();
  return { maxFileBytes: l.maxXlsxBytes, maxInflatedBytes: l.maxInflatedBytes, maxRowsPerSheet: l.maxGridRows };
}

/** Storage connection string: `LAND_SURVEY_STORAGE`, else `AzureWebJobsStorage`; `memory` = in-process store. */
export function storageConnection(): string | undefined {
  const v = process.env.LAND_SURVEY_STORAGE?.trim() || process.env.AzureWebJobsStorage?.trim();
  return v || undefined;
}

/** Prefix of the blob container and table names (lower-case letters and digits). */
export function storagePrefix(): string {
  const p = (process.env.LAND_SURVEY_STORAGE_PREFIX ?? 'landsurvey').toLowerCase().replace(/[^a-z0-9]/g, '');
  return p || 'landsurvey';
}

let ruleCache: { raw: string | undefined; rs: RuleSet } | undefined;

/** The district rule set: `LAND_SURVEY_RULE_SET` (rule-set JSON) or the built-in default. */
export function districtRuleSet(): RuleSet {
  const raw = process.env.LAND_SURVEY_RULE_SET?.trim() || undefined;
  if (ruleCache && ruleCache.raw === raw) return ruleCache.rs;
  const rs = raw ? parseRuleSet(JSON.parse(raw)) : defaultRuleSet();
  ruleCache = { raw, rs };
  return rs;
}
