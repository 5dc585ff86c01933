/** Forms as data: one catalogue drives templates, reading, checks, schemas and docs. */

export type FormId =
  | 'base'
  | 'industrial'
  | 'commercial'
  | 'facility'
  | 'housing'
  | 'tax'
  | 'taxBenchmark'
  | 'output'
  | 'outputBenchmark'
  | 'environment'
  | 'project'
  | 'milestone';

/**
 * How a cell is understood.
 * - text: any text (trimmed); numbers are turned into their text.
 * - number / integer: units in the cell are converted to the field's unit (see `unit`).
 * - date: Excel serials, date cells and the usual written forms → ISO `YYYY-MM-DD`.
 * - year: a 4-digit year (also `2022年`, a date → its year).
 * - bool: 是/否/Y/N/√/×/1/0 → true/false.
 * - enum: one of `enum` (stray spaces and full-width brackets tolerated).
 * - parcelId: 宗地代码 (GB/T 37346-2019), also checked against the district's county code.
 * - uscc: 统一社会信用代码 (GB 32100-2015) with its check character.
 * - industryCode: GB/T 4754-2017 4-digit 小类 (大类 01..97).
 * - industryClass: a two-digit 大类, or the literal 商办 (benchmark forms).
 */
/** How the values of a `several` enum cell are separated: 、，,；; or spaces. */
export const SEVERAL_SEPARATORS = /[、，,；;\s]+/;
/** What joins them in the value read. */
export const SEVERAL_JOINER = '、';

export type FieldType =
  | 'text'
  | 'number'
  | 'integer'
  | 'date'
  | 'year'
  | 'bool'
  | 'enum'
  | 'parcelId'
  | 'uscc'
  | 'industryCode'
  | 'industryClass';

/** Unit a numeric field is stored in; a cell may carry another unit of the same kind. */
export type Unit = 'm2' | 'wan' | 'percent' | 'wanPerMu' | 'ratio' | 'count';

export interface FieldDef {
  /** Stable English identifier, the key of the value in a parsed row. */
  key: string;
  /** The Chinese title as printed in the template header. */
  title: string;
  /** Other titles people use for the same column (compared after normalising spaces and brackets). */
  variants?: readonly string[];
  type: FieldType;
  unit?: Unit;
  required?: boolean;
  /** Required only when another field of the row has one of these values. */
  requiredWhen?: { field: string; in: readonly string[] };
  enum?: readonly string[];
  /** Other spellings of enum values (variant → value), read as the value with a normalized-value note. */
  enumVariants?: Readonly<Record<string, string>>;
  /**
   * An enum cell may hold several values (配合单位), separated as SEVERAL_SEPARATORS says: each is
   * read as an enum value, and the cell as the values in order, without repeats, joined by 、.
   * The template gives such a column no drop-down list.
   */
  several?: boolean;
  /** Inclusive lower bound unless `minExclusive`. */
  min?: number;
  minExclusive?: boolean;
  max?: number;
  /** Upper bound is the evaluation date's year (建成年份). */
  maxIsEvaluationYear?: boolean;
  /** What goes there, shown as the header note of the template and in docs. */
  help: string;
  /** Template column width in characters (a CJK character counts as two); computed when absent. */
  width?: number;
}

/** survey and reference: the survey stage (domain.md); pilot: the forms after it (pilot.md §1). */
export type FormKind = 'survey' | 'reference' | 'pilot';

export interface FormDef {
  id: FormId;
  /** Chinese name of the form, also the template's sheet name and title. */
  title: string;
  /** Who fills it. */
  filledBy: string;
  kind: FormKind;
  /** Fields whose values together identify a row (duplicate-key). */
  key: readonly string[];
  fields: readonly FieldDef[];
}

/** Enumerations shared by several forms. */
export const YES_NO = ['是', '否'] as const;
export const WILLINGNESS = ['自主开发', '联合开发', '转让', '收储', '暂无意愿'] as const;
export const PROBLEM_TYPES = ['产权不清', '手续不全', '规划限制', '资金不足', '环保约束', '其他', '无'] as const;
