/**
 * The pilot's units (pilot.md §1): the 工作专班 members named in the plan and the district's 13
 * street offices, in one catalogue. Forms store full names; the short names people write are
 * accepted as variants (read as the full name, with a normalized-value note).
 */
import defaultRules from '../rules/hedong-default.json';

/** 工作专班 members with the short names in use. */
export const TASK_FORCE_UNITS: readonly { name: string; variants: readonly string[] }[] = [
  { name: '市规划资源局河东分局', variants: ['规划资源分局', '河东规划资源分局', '河东分局', '区规划资源分局'] },
  { name: '区发展改革委', variants: ['发改委', '区发改委', '发展改革委'] },
  { name: '区财政局', variants: ['财政局'] },
  { name: '区住房城乡建设委', variants: ['住建委', '区住建委', '住房城乡建设委', '区住房建设委'] },
  { name: '区国资委', variants: ['国资委'] },
  { name: '区产业发展促进局', variants: ['产促局', '区产促局', '产业发展促进局'] },
  { name: '区商务局', variants: ['商务局'] },
  { name: '区税务局', variants: ['税务局', '河东区税务局'] },
  { name: '区生态环境局', variants: ['生态环境局', '环保局'] },
  { name: '区市场监管局', variants: ['市场监管局', '区市场监督管理局'] },
  { name: '区科技局', variants: ['科技局'] },
];

/** The 13 streets (the default rule set's list), each also without 街道 and with 办事处. */
export const STREET_UNITS: readonly { name: string; variants: readonly string[] }[] = (defaultRules.streets as string[]).map((s) => ({
  name: s,
  variants: [s.replace(/街道$/, ''), `${s}办事处`],
}));

const variantsOf = (units: readonly { name: string; variants: readonly string[] }[]): Readonly<Record<string, string>> =>
  Object.fromEntries(units.flatMap((u) => u.variants.map((v) => [v, u.name])));

/** The 13 streets' full names (the project form's 街道) and their short names → full name. */
export const STREET_NAMES: readonly string[] = STREET_UNITS.map((u) => u.name);
export const STREET_VARIANTS: Readonly<Record<string, string>> = variantsOf(STREET_UNITS);

/** Every unit's full name, in catalogue order (the order of units in tables). */
export const UNIT_NAMES: readonly string[] = [...TASK_FORCE_UNITS, ...STREET_UNITS].map((u) => u.name);

/** Short name → full name. */
export const UNIT_VARIANTS: Readonly<Record<string, string>> = variantsOf([...TASK_FORCE_UNITS, ...STREET_UNITS]);

/** The catalogue name of a unit written in full or short (spaces ignored), or null when it is none. */
export function canonicalUnit(name: string): string | null {
  const t = name.replace(/\s+/g, '');
  if (UNIT_NAMES.includes(t)) return t;
  return UNIT_VARIANTS[t] ?? null;
}
