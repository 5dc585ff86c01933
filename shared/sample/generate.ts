/**
 * A realistic, deterministic sample data set for Hedong (河东区): the base map and the nine
 * department forms, filled the way people fill them — including the usual mistakes.
 *
 * `generateSample()` returns the logical data (rows per form, plain objects keyed by field key, the
 * values as the department meant them, mistakes included), how each department's workbook is laid
 * out (messy shapes, raw cell overrides such as `12.5亩` or `2020年5月1日`), the deliberate mistakes
 * with the issue code each must give, and a few named "showcase" parcels whose outcome is reasoned
 * from the rules (domain.md §5, §6, §8). `writeSampleWorkbooks()` (./write.ts) writes the workbooks.
 *
 * Nothing here lists a form's columns: the forms catalogue (shared/forms) gives the fields.
 */
import { mu } from '../determine/util';
import { usccCheckChar, USCC_ALPHABET } from '../codes';
import type { FormId } from '../forms';
import type { IssueCode } from '../issues/catalogue';
import { categoryOf } from '../determine/util';
import { defaultRuleSet } from '../rules';
import type { RuleId } from '../rules/schema';
import type { CellValue } from '../grid';
import type { Category, FieldValue, MissingItem, Mode, ResultLabel } from '../types';
import { Random, round } from './random';

export type SampleRow = Record<string, FieldValue>;

export interface SampleOptions {
  /** PRNG seed (default 20221231). */
  seed?: number;
  /** Size factor: about 300 × scale parcels (default 1). */
  scale?: number;
  /** County code (default: the default rule set's, 120102). */
  countyCode?: string;
  /** Streets (default: the default rule set's 13 streets). */
  streets?: readonly string[];
  /** Evaluation year (default 2022, the year of the default evaluation date). */
  year?: number;
}

/** How one sheet is laid out in the written workbook. */
export interface SheetShape {
  /** Sheet tab name (recognition must not depend on it). */
  sheetName: string;
  /** Merged title row above the header. */
  title?: string;
  /** A free-text line under the title (填报单位 …). */
  subtitle?: string;
  /** A group header row above the titles: labels spanning consecutive written columns. */
  groups?: { label: string; span: number }[];
  /** Field keys in written order (moved / left-out optional columns). Default: catalogue order. */
  columns?: string[];
  /** Columns the form does not know, inserted after the written column index `after`. */
  extraColumns?: { title: string; after: number; values: string[] }[];
  /** A blank row after every n-th record. */
  blankRowEvery?: number;
  /** Raw cell values replacing the logical value of a row's field (index into the rows). */
  overrides?: { index: number; key: string; raw: RawCell }[];
  /**
   * Headers written as rich-text runs (as LibreOffice and WPS store mixed Latin/Chinese text).
   * At most one per workbook: exceljs 4.4's shared-strings table gives every rich-text value the
   * same entry, so a second one would silently repeat the first.
   */
  richHeaders?: string[];
  /** Data rows (indexes into the rows) hidden in Excel: still data. */
  hiddenRows?: number[];
  /** A row-number column (序号) written first, numbering the records 1…n (domain.md §9.1). */
  numberColumn?: string;
  /**
   * With `groups`: the titles of ungrouped columns (label '') stand in the group row, merged down
   * over both header rows, as offices draw two-row headers (§9.6).
   */
  twoRowHeader?: boolean;
  /** A field merged down over consecutive records with the same value (宗地代码 over a parcel's enterprises, §9.4). */
  mergeDown?: string;
  /** A total row under the records: the label in the first column, the sums of these fields (§9.2). */
  totalRow?: { label: string; sum: string[] };
  /** Lines under the data, each a row of cells from the first column: 注 and signature lines (§9.3). */
  noteLines?: string[][];
  /** Fields written in another unit than the catalogue's: header title and factor (the tax export in 元, §9.5). */
  units?: { key: string; title: string; factor: number }[];
}

/**
 * A cell as a person leaves it: a plain value, or a formula with its cached result (placeholders
 * `{fieldKey}` in the formula become that field's cell on the same row).
 */
export type RawCell = CellValue | { formula: string; result: number | string | { error: string } };

export interface SampleSheet {
  form: FormId;
  rows: SampleRow[];
  shape: SheetShape;
}

export interface SampleWorkbook {
  /** File name, e.g. 区产业发展促进局-低效工业调查表.xlsx. */
  file: string;
  department: string;
  sheets: SampleSheet[];
}

/** A mistake put into the data on purpose, and the issue it must give after consolidation. */
export interface DeliberateMistake {
  code: IssueCode;
  form: FormId;
  /** The parcel the issue names (null when the issue carries none, e.g. unknown-column). */
  parcelId: string | null;
  /** What was done, in Chinese. */
  what: string;
}

/** A parcel whose outcome is reasoned from the rules, for tests and the demo. */
export interface Showcase {
  name: string;
  parcelId: string;
  category: Category;
  result: ResultLabel;
  /** Exactly the rules that hit, in rule-set order. */
  hits: RuleId[];
  missing: MissingItem[];
  mode: Mode | null;
  why: string;
}

export interface SampleData {
  year: number;
  forms: Record<FormId, SampleRow[]>;
  workbooks: SampleWorkbook[];
  mistakes: DeliberateMistake[];
  showcase: Showcase[];
  /** Parcels whose base row says 用地手续 不全/无 with a date, by period id. */
  historic: { parcelId: string; period: string }[];
}

// ---------------------------------------------------------------------------------------------
// Vocabulary (Chinese names as they appear in Hedong's forms)

const ROADS = [
  '十一经路', '津塘路', '卫国道', '六纬路', '八纬路', '大直沽中路', '成林道', '新开路', '华昌大街', '津滨大道',
  '中山门一号路', '程林街', '红星路', '昆仑路', '万东路', '东兴路', '沙柳北路', '嘉华道', '晨阳道', '七纬路',
  '九经路', '海河东路', '唐山道', '月牙河东路', '富民路', '二号桥路', '新开路', '常州道', '鲁山道', '泰兴路',
];

const TRADE_NAMES = [
  '津东', '河海', '宏达', '鑫盛', '华信', '海晟', '金桥', '恒泰', '瑞丰', '中环', '东方', '新港', '远航', '永利',
  '天元', '盛世', '利民', '联兴', '光明', '顺通', '鸿运', '海河', '万通', '宝成', '精诚', '振华', '嘉禾', '泰和',
  '德润', '通达', '益民', '昊天', '星辰', '锦程', '博远', '凯达', '祥瑞', '津航', '华泰', '兴业', '北辰', '东丽',
];

/** GB/T 4754-2017 小类 used by Hedong's industrial enterprises, with the business word of their names. */
const INDUSTRIES: readonly (readonly [code: string, word: string, weight: number])[] = [
  ['1311', '粮油食品', 3],
  ['1810', '服装', 4],
  ['2231', '纸制品包装', 4],
  ['2319', '印刷', 5],
  ['2641', '涂料', 3],
  ['2929', '塑料制品', 6],
  ['3130', '钢材加工', 4],
  ['3311', '钢结构', 7],
  ['3489', '机械零部件', 8],
  ['3670', '汽车配件', 6],
  ['3831', '电线电缆', 5],
  ['3981', '电子元件', 5],
  ['4090', '仪器仪表', 4],
  ['4430', '热力', 2],
];
const WAREHOUSE_INDUSTRY = ['5920', '仓储物流'] as const;

/** Benchmarks per 大类 (万元/亩): tax, output. Rows left out on purpose use the district figure. */
const BENCHMARKS: Record<string, { name: string; tax: number; output: number; inTaxTable: boolean; inOutputTable: boolean }> = {
  '13': { name: '农副食品加工业', tax: 18, output: 360, inTaxTable: true, inOutputTable: true },
  '18': { name: '纺织服装、服饰业', tax: 12, output: 260, inTaxTable: true, inOutputTable: true },
  '22': { name: '造纸和纸制品业', tax: 15, output: 300, inTaxTable: true, inOutputTable: false },
  '23': { name: '印刷和记录媒介复制业', tax: 14, output: 280, inTaxTable: true, inOutputTable: true },
  '26': { name: '化学原料和化学制品制造业', tax: 30, output: 520, inTaxTable: true, inOutputTable: true },
  '29': { name: '橡胶和塑料制品业', tax: 16, output: 320, inTaxTable: true, inOutputTable: true },
  '31': { name: '黑色金属冶炼和压延加工业', tax: 25, output: 600, inTaxTable: true, inOutputTable: true },
  '33': { name: '金属制品业', tax: 20, output: 420, inTaxTable: true, inOutputTable: true },
  '34': { name: '通用设备制造业', tax: 24, output: 480, inTaxTable: true, inOutputTable: true },
  '36': { name: '汽车制造业', tax: 35, output: 700, inTaxTable: true, inOutputTable: true },
  '38': { name: '电气机械和器材制造业', tax: 28, output: 560, inTaxTable: true, inOutputTable: true },
  '39': { name: '计算机、通信和其他电子设备制造业', tax: 40, output: 800, inTaxTable: true, inOutputTable: true },
  '40': { name: '仪器仪表制造业', tax: 32, output: 500, inTaxTable: false, inOutputTable: true },
  '44': { name: '电力、热力生产和供应业', tax: 30, output: 450, inTaxTable: true, inOutputTable: true },
  '59': { name: '仓储业', tax: 10, output: 150, inTaxTable: true, inOutputTable: true },
};
const COMMERCIAL_TAX_BENCHMARK = 60;

const BUILDING_WORDS = ['大厦', '广场', '商务中心', '国际中心', '商厦', '金融中心', '科技大厦', '购物中心'];
const FACILITY_KINDS: Record<string, { type: string; names: string[]; managers: string[] }> = {
  '08H1': { type: '公共管理与公共服务', names: ['社区服务中心', '街道综合服务中心', '档案馆', '文化活动中心'], managers: ['天津市河东区人民政府', '天津市河东区机关事务管理局'] },
  '08H2': { type: '公共管理与公共服务', names: ['小学', '中学', '社区卫生服务中心', '体育馆', '养老服务中心'], managers: ['天津市河东区教育局', '天津市河东区卫生健康委员会', '天津市河东区民政局'] },
  '0809': { type: '公用设施', names: ['变电站', '供热站', '污水泵站', '燃气调压站'], managers: ['国网天津市电力公司城东供电分公司', '天津市热力有限公司', '天津市排水管理事务中心'] },
  '1003': { type: '交通', names: ['公交场站', '停车场', '公路养护站'], managers: ['天津市公交集团', '天津市河东区城市管理委员会'] },
};
const HOUSING_NAMES = ['里', '新村', '小区', '花园', '公寓'];

/** Land-use mix of Hedong's base map (weights). */
const LAND_USE_MIX: readonly (readonly [string, number])[] = [
  ['0601', 36], ['0508', 6], ['05H1', 18], ['08H1', 3], ['08H2', 5], ['0809', 3], ['1003', 2],
  ['0701', 12], ['1201', 5], ['0810', 6], ['09', 2],
];

const PERIOD_DATES: readonly (readonly [string, string, string])[] = [
  ['pre-1987', '1970-01-01', '1986-12-31'],
  ['1987-1998', '1987-01-01', '1998-12-31'],
  ['1999-2009', '1999-01-01', '2009-12-31'],
  ['2010-2019', '2010-01-01', '2019-12-31'],
  ['post-2019', '2020-01-01', '2022-10-31'],
];

const m2FromMu = (x: number) => (x * 10000) / 15;

// ---------------------------------------------------------------------------------------------

interface Enterprise {
  uscc: string;
  name: string;
  industryCode: string;
  stateOwned: boolean;
  /** Tax per mu actually paid, as a share of the 大类 benchmark. */
  taxFactor: number;
  outputFactor: number;
  inTaxBureau: boolean;
  inMarketRegulator: boolean;
  /** Self-reported figures filled in? */
  selfReports: boolean;
  /** Total land over all its rows (m²), filled in after the rows are made. */
  totalLand: number;
  /** Row indexes (industrial form) of this enterprise, for the totals. */
  rows: number[];
}

class Builder {
  readonly rng: Random;
  readonly year: number;
  readonly county: string;
  readonly streets: readonly string[];
  readonly forms: Record<FormId, SampleRow[]> = {
    base: [], industrial: [], commercial: [], facility: [], housing: [], tax: [], taxBenchmark: [], output: [], outputBenchmark: [], environment: [], project: [], milestone: [],
  };
  readonly enterprises: Enterprise[] = [];
  readonly mistakes: DeliberateMistake[] = [];
  readonly showcase: Showcase[] = [];
  readonly historic: { parcelId: string; period: string }[] = [];
  /** Raw overrides by form and row index. */
  readonly overrides: Record<string, { index: number; key: string; raw: RawCell }[]> = {};
  /** 盘活意愿 of rows that do not say (the showcase fixes it so 收储 cannot change the mode). */
  fixedWillingness: string | null = null;
  /** Enterprises already on the environment form (one row per enterprise). */
  readonly envSeen = new Set<string>();
  private seq = 0;
  private usccSeen = new Set<string>();
  private tradeIndex = 0;

  constructor(opts: SampleOptions) {
    this.rng = new Random(opts.seed ?? 20221231);
    const rs = defaultRuleSet();
    this.year = opts.year ?? Number(rs.evaluationDate.slice(0, 4));
    this.county = opts.countyCode ?? rs.countyCode;
    this.streets = opts.streets ?? rs.streets;
  }

  get evalDate(): string {
    return `${this.year}-12-31`;
  }

  /** A date at least `years` years (and some months) before the evaluation date. */
  dateBefore(minYears: number, maxYears: number): string {
    return this.rng.date(`${this.year - maxYears}-01-01`, `${this.year - minYears}-06-30`);
  }

  parcelId(streetIndex: number): string {
    this.seq++;
    const district = String(streetIndex + 1).padStart(3, '0');
    const sub = String(1 + (this.seq % 7)).padStart(3, '0');
    return `${this.county}${district}${sub}GB${String(this.seq).padStart(5, '0')}`;
  }

  uscc(): string {
    for (;;) {
      // 9 工商, 1 企业; 6-digit region; 9-character organisation code; check character.
      let org = '';
      for (let i = 0; i < 8; i++) org += String(this.rng.int(0, 9));
      org += USCC_ALPHABET[this.rng.int(0, 30)];
      const first17 = `91${this.county}${org}`;
      const code = first17 + usccCheckChar(first17);
      if (!this.usccSeen.has(code)) {
        this.usccSeen.add(code);
        return code;
      }
    }
  }

  tradeName(): string {
    const a = TRADE_NAMES[this.tradeIndex % TRADE_NAMES.length];
    const round = Math.floor(this.tradeIndex / TRADE_NAMES.length);
    this.tradeIndex++;
    if (round === 0) return a;
    return a + TRADE_NAMES[(this.tradeIndex * 7 + round) % TRADE_NAMES.length];
  }

  location(): string {
    return `${this.rng.pick(ROADS)}${this.rng.int(1, 399)}号`;
  }

  override(form: FormId, index: number, key: string, raw: RawCell): void {
    (this.overrides[form] ??= []).push({ index, key, raw });
  }

  // --- base -----------------------------------------------------------------------------------

  addParcel(p: {
    streetIndex?: number;
    landUseCode: string;
    area?: number;
    owner?: string;
    plannedUse?: string | null;
    agreedStartDate?: string | null;
    procedures?: { value: '不全' | '无'; date: string | null };
  }): SampleRow {
    const streetIndex = p.streetIndex ?? this.rng.int(0, this.streets.length - 1);
    const cat = categoryOf(p.landUseCode);
    const area = p.area ?? round(defaultArea(this.rng, cat));
    const row: SampleRow = {
      parcelId: this.parcelId(streetIndex),
      street: this.streets[streetIndex],
      location: this.location(),
      landUseCode: p.landUseCode,
      landArea: area,
      owner: p.owner ?? defaultOwner(cat),
      ownership: '国有',
      supplyMode: cat === '工业' || cat === '商办' ? (this.rng.chance(0.85) ? '出让' : '划拨') : cat === '空闲地' ? '无' : '划拨',
      plannedUse: p.plannedUse !== undefined ? p.plannedUse : defaultPlannedUse(this.rng, p.landUseCode),
      agreedStartDate: p.agreedStartDate !== undefined ? p.agreedStartDate : cat === '工业' ? this.rng.date('2003-01-01', `${this.year - 3}-12-31`) : null,
      landProcedures: p.procedures ? p.procedures.value : '齐全',
      occurrenceDate: p.procedures ? p.procedures.date : null,
    };
    this.forms.base.push(row);
    return row;
  }

  // --- industrial -----------------------------------------------------------------------------

  newEnterprise(opts: Partial<Enterprise> & { warehouse?: boolean } = {}): Enterprise {
    const given = opts.industryCode ? INDUSTRIES.find((x) => x[0] === opts.industryCode) : undefined;
    const [code, word] = opts.warehouse ? WAREHOUSE_INDUSTRY : given ? [given[0], given[1]] : (() => {
      const pick = this.rng.weighted(INDUSTRIES.map((x) => [x, x[2]] as const));
      return [pick[0], pick[1]] as const;
    })();
    const stateOwned = opts.stateOwned ?? this.rng.chance(0.12);
    const trade = this.tradeName();
    const name = stateOwned ? `天津${trade}${word}集团有限公司` : `天津市${trade}${word}有限公司`;
    const e: Enterprise = {
      uscc: this.uscc(),
      name,
      industryCode: opts.industryCode ?? code,
      stateOwned,
      taxFactor: opts.taxFactor ?? this.rng.range(0.8, 2.2),
      outputFactor: opts.outputFactor ?? this.rng.range(0.8, 2.0),
      inTaxBureau: opts.inTaxBureau ?? this.rng.chance(0.9),
      inMarketRegulator: opts.inMarketRegulator ?? this.rng.chance(0.85),
      selfReports: opts.selfReports ?? this.rng.chance(0.9),
      totalLand: 0,
      rows: [],
    };
    this.enterprises.push(e);
    return e;
  }

  /** One industrial survey row for enterprise `e` on `parcel`, using `land` m² of it. */
  addIndustrialRow(
    e: Enterprise,
    parcel: SampleRow,
    land: number,
    p: { plot?: number; cover?: number; status?: string; stopDate?: string | null; obsolete?: boolean; givePlotRatio?: boolean; willingness?: string | null } = {},
  ): SampleRow {
    const plot = p.plot ?? this.rng.range(1.0, 2.0);
    const cover = p.cover ?? this.rng.range(35, 58);
    const status = p.status ?? '正常生产';
    const floor = round(land * plot);
    const problem = status === '正常生产' ? (this.rng.chance(0.7) ? '无' : this.rng.pick(['资金不足', '规划限制', '产权不清'])) : this.rng.pick(['资金不足', '手续不全', '产权不清', '环保约束', '其他']);
    const row: SampleRow = {
      parcelId: parcel.parcelId,
      enterpriseName: e.name,
      uscc: e.uscc,
      industryCode: e.industryCode,
      landArea: round(land),
      floorArea: floor,
      footprint: round((land * cover) / 100),
      plotRatio: p.givePlotRatio ?? this.rng.chance(0.4) ? round(floor / round(land)) : null,
      status,
      stopDate: p.stopDate ?? null,
      employees: status === '闲置' ? 0 : Math.max(3, Math.round(mu(land) * this.rng.range(0.8, 4))),
      output: null,
      tax: null,
      obsolete: p.obsolete ?? false,
      stateOwned: e.stateOwned,
      willingness: p.willingness ?? this.fixedWillingness ?? (status === '正常生产' ? this.rng.pick(['自主开发', '暂无意愿', '暂无意愿', '联合开发']) : this.rng.pick(['转让', '联合开发', '收储', '暂无意愿'])),
      problemType: problem,
      problemDesc: problem === '无' ? null : problemText(problem),
    };
    e.rows.push(this.forms.industrial.length);
    e.totalLand += round(land);
    this.forms.industrial.push(row);
    return row;
  }

  /** Fills tax, output (self-reported and bureau rows) once all rows of the enterprises exist. */
  finishEnterprises(): void {
    for (const e of this.enterprises) {
      if (e.rows.length === 0) continue;
      const bench = BENCHMARKS[e.industryCode.slice(0, 2)];
      const taxTotal = round(bench.tax * e.taxFactor * mu(e.totalLand));
      const outputTotal = round(bench.output * e.outputFactor * mu(e.totalLand));
      for (const i of e.rows) {
        const row = this.forms.industrial[i];
        const share = (row.landArea as number) / e.totalLand;
        if (e.selfReports) {
          if (row.tax === null) row.tax = round(taxTotal * share * this.rng.range(0.96, 1.04));
          if (row.output === null) row.output = round(outputTotal * share * this.rng.range(0.95, 1.05));
        }
      }
      if (e.inTaxBureau) {
        this.forms.tax.push({ uscc: e.uscc, enterpriseName: e.name, industryCode: e.industryCode, year: this.year, taxTotal });
      }
      if (e.inMarketRegulator) {
        this.forms.output.push({ uscc: e.uscc, enterpriseName: e.name, year: this.year, output: outputTotal });
      }
    }
  }

  // --- other survey forms ---------------------------------------------------------------------

  addBuilding(parcel: SampleRow, p: { vacancy?: number; taxShare?: number | null; stalled?: boolean; danger?: string; floor?: number; name?: string; willingness?: string } = {}): SampleRow {
    const area = parcel.landArea as number;
    const floor = round(p.floor ?? area * this.rng.range(2.2, 5.5));
    const vacancy = p.vacancy ?? this.rng.range(0, 0.35);
    // Tax of the building so that the parcel's 亩均税收 is taxShare × the 商办 benchmark.
    const taxShare = p.taxShare === undefined ? this.rng.range(0.7, 2.0) : p.taxShare;
    const problem = vacancy >= 0.5 ? this.rng.pick(['资金不足', '产权不清', '其他']) : this.rng.chance(0.7) ? '无' : '其他';
    const row: SampleRow = {
      parcelId: parcel.parcelId,
      buildingName: p.name ?? `${this.tradeName()}${this.rng.pick(BUILDING_WORDS)}`,
      street: parcel.street,
      owner: `天津${this.tradeName()}置业有限公司`,
      builtYear: this.rng.int(1992, this.year - 2),
      floorArea: floor,
      vacantArea: round(floor * vacancy),
      tenants: Math.round((floor / 400) * (1 - vacancy)),
      tax: taxShare === null ? null : round(COMMERCIAL_TAX_BENCHMARK * taxShare * mu(area)),
      stalled: p.stalled ?? false,
      dangerGrade: p.danger ?? this.rng.weighted([['A', 5], ['B', 3], ['未鉴定', 2]] as const),
      stateOwned: this.rng.chance(0.15),
      willingness: p.willingness ?? (vacancy >= 0.5 ? this.rng.pick(['转让', '联合开发', '暂无意愿']) : '暂无意愿'),
      problemType: problem,
      problemDesc: problem === '无' ? null : vacancy >= 0.5 ? '楼宇空置率高，招商困难' : problemText(problem),
    };
    this.forms.commercial.push(row);
    return row;
  }

  addFacility(parcel: SampleRow, p: { useStatus?: string; idleDate?: string | null } = {}): SampleRow {
    const kind = FACILITY_KINDS[parcel.landUseCode as string];
    const useStatus = p.useStatus ?? this.rng.weighted([['正常使用', 8], ['低效使用', 1], ['闲置', 1]] as const);
    const road = (parcel.location as string).replace(/\d+号$/, '');
    const row: SampleRow = {
      parcelId: parcel.parcelId,
      facilityName: `河东区${road}${this.rng.pick(kind.names)}`,
      facilityType: kind.type,
      manager: this.rng.pick(kind.managers),
      floorArea: round((parcel.landArea as number) * this.rng.range(0.3, 1.5)),
      useStatus,
      idleDate: p.idleDate !== undefined ? p.idleDate : useStatus === '闲置' ? this.dateBefore(1, 6) : null,
      stateOwned: true,
      problemType: useStatus === '正常使用' ? '无' : this.rng.pick(['资金不足', '规划限制', '其他']),
      problemDesc: useStatus === '正常使用' ? null : useStatus === '闲置' ? '设施长期闲置，缺少运营主体' : '使用率低，功能单一',
    };
    this.forms.facility.push(row);
    return row;
  }

  addHousing(parcel: SampleRow, p: { type?: string; builtYear?: number; amenities?: string } = {}): SampleRow {
    const type = p.type ?? this.rng.weighted([['老旧小区', 16], ['城中村', 1], ['棚户区', 1], ['烂尾楼', 1]] as const);
    const builtYear = p.builtYear ?? (type === '老旧小区' ? this.rng.int(1978, 2004) : type === '烂尾楼' ? this.rng.int(2012, 2018) : this.rng.int(1960, 1990));
    const road = (parcel.location as string).replace(/路?\d+号$/, '').replace(/[道街路]$/, '');
    const row: SampleRow = {
      projectName: type === '烂尾楼' ? `${this.tradeName()}${this.rng.pick(['家园', '名苑', '公馆'])}（在建）` : `${road}${this.rng.pick(HOUSING_NAMES)}`,
      housingType: type,
      parcelId: parcel.parcelId,
      street: parcel.street,
      floorArea: round((parcel.landArea as number) * this.rng.range(0.8, 2.0)),
      builtYear,
      buildProcedures: type === '城中村' || type === '棚户区' ? this.rng.pick(['不全', '无']) : '齐全',
      amenities: p.amenities ?? (type === '老旧小区' ? (this.rng.chance(0.6) ? '不全' : '齐全') : '不全'),
      problemDesc: type === '老旧小区' ? '管网老化，缺少停车和养老设施' : type === '烂尾楼' ? '开发企业资金链断裂，项目停工' : '房屋老旧，安全隐患突出',
    };
    this.forms.housing.push(row);
    return row;
  }

  show(s: Showcase): void {
    this.showcase.push(s);
  }

  mistake(code: IssueCode, form: FormId, parcelId: string | null, what: string): void {
    this.mistakes.push({ code, form, parcelId, what });
  }
}

function defaultArea(rng: Random, cat: Category): number {
  switch (cat) {
    case '工业': return rng.logRange(4000, 60000);
    case '商办': return rng.logRange(2000, 25000);
    case '设施': return rng.logRange(1500, 30000);
    case '居住': return rng.logRange(10000, 80000);
    case '空闲地': return rng.logRange(1000, 20000);
    default: return rng.logRange(2000, 40000);
  }
}

function defaultOwner(cat: Category): string {
  switch (cat) {
    case '工业': return '';
    case '商办': return '';
    case '设施': return '天津市河东区机关事务管理局';
    case '居住': return '天津市河东区住房和建设委员会';
    case '空闲地': return '天津市河东区土地整理中心';
    default: return '天津市河东区城市管理委员会';
  }
}

function defaultPlannedUse(rng: Random, code: string): string | null {
  switch (code) {
    case '0601': return rng.weighted([['工业', 90], [null, 4], ['居住', 3], ['商业服务业', 3]] as const);
    case '0508': return '物流仓储';
    case '05H1': return '商业服务业';
    case '08H1': case '08H2': return '公共管理与公共服务';
    case '0809': return '公用设施';
    case '1003': return '交通运输';
    case '0701': return '居住';
    case '1201': return rng.pick(['居住', '商业服务业', '其他']);
    case '0810': return '绿地与开敞空间';
    default: return '其他';
  }
}

function problemText(type: string): string {
  switch (type) {
    case '资金不足': return '技改资金不足，厂房改造推进缓慢';
    case '规划限制': return '控规调整后用途受限，扩建审批难';
    case '产权不清': return '土地和房屋产权关系复杂，尚未理清';
    case '手续不全': return '早期建设手续不全，无法办理不动产登记';
    case '环保约束': return '位于环境敏感区，扩产受环保约束';
    default: return '企业经营困难，盘活路径待研究';
  }
}

/**
 * The showcase: hand-placed parcels, one per outcome worth showing, each with its reasoned result
 * (dates are relative to the evaluation year, so the outcomes hold for any year).
 */
function showcaseParcels(b: Builder): void {
  const Y = b.year;
  b.fixedWillingness = '暂无意愿';
  const si = (i: number) => i % b.streets.length;
  const newInd = (name: string, opts: Partial<Enterprise> = {}) => {
    const e = b.newEnterprise({ industryCode: '3311', stateOwned: false, inTaxBureau: true, inMarketRegulator: true, selfReports: true, taxFactor: 1.4, outputFactor: 1.3, ...opts });
    return { e, name };
  };
  const indParcel = (street: number, area: number, extra: Parameters<Builder['addParcel']>[0] extends infer P ? Partial<P> : never = {}) => {
    const p = b.addParcel({ streetIndex: si(street), landUseCode: '0601', area, plannedUse: '工业', agreedStartDate: '2008-05-31', ...extra });
    return p;
  };

  // 1. A healthy industrial parcel (非低效); its row is later duplicated (duplicate-key) and its
  //    enterprise has a 2021 tax row besides the 2022 one (other-year).
  const p1 = indParcel(0, 20000);
  const { e: e1 } = newInd('healthy');
  p1.owner = e1.name;
  b.addIndustrialRow(e1, p1, 20000, { plot: 1.5, cover: 45, givePlotRatio: true });
  b.show({ name: 'ind-healthy', parcelId: p1.parcelId as string, category: '工业', result: '非低效', hits: [], missing: [], mode: null, why: '容积率1.5、建筑密度45%，亩均税收和亩均产值均高于行业基准，正常生产' });

  // 2. Low plot ratio and coverage; the form's 容积率 disagrees with the areas.
  const p2 = indParcel(1, 30000);
  const { e: e2 } = newInd('low-density');
  p2.owner = e2.name;
  const r2 = b.addIndustrialRow(e2, p2, 30000, { plot: 0.5, cover: 22, givePlotRatio: true });
  r2.plotRatio = 0.9;
  b.mistake('inconsistent-plot-ratio', 'industrial', p2.parcelId as string, '填报容积率0.9，按面积计算为0.5');
  b.show({ name: 'ind-low-density', parcelId: p2.parcelId as string, category: '工业', result: '低效', hits: ['IND-PLOT', 'IND-COVER'], missing: [], mode: '技改升级', why: '容积率0.5<0.8，建筑密度22%<30%' });

  // 3. Stopped since more than a year; area written as 亩, stop date written the Chinese way.
  const area3 = round(m2FromMu(12.5), 4);
  const p3 = indParcel(2, area3);
  const { e: e3 } = newInd('stopped', { taxFactor: 0.05, outputFactor: 0.05 });
  p3.owner = e3.name;
  const r3 = b.addIndustrialRow(e3, p3, area3, { plot: 1.2, cover: 50, status: '停产', stopDate: `${Y - 2}-05-01` });
  r3.landArea = area3;
  e3.totalLand = area3;
  b.override('industrial', b.forms.industrial.length - 1, 'landArea', '12.5亩');
  b.override('industrial', b.forms.industrial.length - 1, 'stopDate', `${Y - 2}年5月1日`);
  b.mistake('normalized-value', 'industrial', p3.parcelId as string, '用地面积填为“12.5亩”，停产起始日期填为中文日期');
  b.show({ name: 'ind-stopped', parcelId: p3.parcelId as string, category: '工业', result: '低效', hits: ['IND-TAX', 'IND-OUTPUT', 'IND-STOP'], missing: [], mode: '整合重组', why: `${Y - 2}年5月起停产，税收和产值不足基准5%` });

  // 4. Idle land: the agreed start date is years past and nothing was built; no survey row.
  const p4 = indParcel(3, 15000, { agreedStartDate: `${Y - 3}-06-30`, owner: '天津市津港置业发展有限公司' });
  b.show({ name: 'ind-idle-agreed-start', parcelId: p4.parcelId as string, category: '工业', result: '低效', hits: ['IND-IDLE'], missing: [], mode: '因地招商', why: `约定${Y - 3}-06-30动工，至基准日已超一年，无建筑` });

  // 5. No tax figure at all: the tax bureau has no row and the enterprise left 年税收 blank.
  const p5 = indParcel(4, 12000);
  const { e: e5 } = newInd('no-tax', { inTaxBureau: false });
  p5.owner = e5.name;
  b.addIndustrialRow(e5, p5, 12000, { plot: 1.3, cover: 40 });
  b.mistake('missing-reference', 'industrial', p5.parcelId as string, '税务部门无该企业评价年度纳税数据');
  b.show({ name: 'ind-no-tax', parcelId: p5.parcelId as string, category: '工业', result: '待核实', hits: [], missing: ['tax'], mode: null, why: '税务无数据且自报年税收空白，无法计算亩均税收' });

  // 6. Not environmentally compliant.
  const p6 = indParcel(5, 18000);
  const { e: e6 } = newInd('env');
  p6.owner = e6.name;
  b.addIndustrialRow(e6, p6, 18000, { plot: 1.4, cover: 48 });
  b.forms.environment.push({ uscc: e6.uscc, enterpriseName: e6.name, compliant: false, emissions: '挥发性有机物超标排放', eia: '无' });
  b.show({ name: 'ind-env', parcelId: p6.parcelId as string, category: '工业', result: '低效', hits: ['IND-ENV'], missing: [], mode: '综合施策', why: '环保情况表：不符合环保要求' });

  // 7. Obsolete capacity, ticked with √.
  const p7 = indParcel(6, 9000);
  const { e: e7 } = newInd('obsolete');
  p7.owner = e7.name;
  b.addIndustrialRow(e7, p7, 9000, { plot: 1.1, cover: 42, obsolete: true });
  b.override('industrial', b.forms.industrial.length - 1, 'obsolete', '√');
  b.show({ name: 'ind-obsolete', parcelId: p7.parcelId as string, category: '工业', result: '低效', hits: ['IND-OBSOLETE'], missing: [], mode: '综合施策', why: '属于淘汰类（表中打“√”）' });

  // 8. Rezoned to housing but still producing.
  const p8 = indParcel(7, 25000, { plannedUse: '居住' });
  const { e: e8 } = newInd('rezoned');
  p8.owner = e8.name;
  b.addIndustrialRow(e8, p8, 25000, { plot: 1.2, cover: 40 });
  b.show({ name: 'ind-rezoned', parcelId: p8.parcelId as string, category: '工业', result: '低效', hits: ['IND-REZONED'], missing: [], mode: '收储出让', why: '规划用途已调整为居住，企业仍在生产' });

  // 9–10. An enterprise on two parcels (its tax is split by land share), one parcel with two
  //      enterprises; the second enterprise reports far more tax than the bureau has (tax-mismatch).
  const p9 = indParcel(8, 16000);
  const p10 = indParcel(8, 10000);
  const { e: e9 } = newInd('two-parcels');
  const { e: e10 } = newInd('second-on-p10');
  p9.owner = e9.name;
  p10.owner = e9.name;
  b.addIndustrialRow(e9, p9, 16000, { plot: 1.3, cover: 45 });
  b.addIndustrialRow(e9, p10, 6000, { plot: 1.3, cover: 45 });
  b.addIndustrialRow(e10, p10, 4000, { plot: 1.4, cover: 50 });
  b.show({ name: 'ind-shared-enterprise', parcelId: p9.parcelId as string, category: '工业', result: '非低效', hits: [], missing: [], mode: null, why: '企业跨两宗地，税务纳税额按用地面积分摊后仍高于基准' });
  b.show({ name: 'ind-two-enterprises', parcelId: p10.parcelId as string, category: '工业', result: '非低效', hits: [], missing: [], mode: null, why: '两家企业合计容积率、密度、亩均税收均达标' });

  // 11. Enterprises' land adds up to far less than the base area (area-mismatch).
  const p11 = indParcel(9, 20000);
  const { e: e11 } = newInd('area-mismatch');
  p11.owner = e11.name;
  b.addIndustrialRow(e11, p11, 14000, { plot: 1.6, cover: 50 });
  b.mistake('area-mismatch', 'industrial', p11.parcelId as string, '企业用地面积合计14000㎡，底图面积20000㎡');

  // 12. An invalid USCC on the second enterprise of a parcel: the row is dropped, the parcel is
  //     determined from the first enterprise.
  const p12 = indParcel(10, 22000);
  const { e: e12 } = newInd('good-neighbour');
  p12.owner = e12.name;
  b.addIndustrialRow(e12, p12, 12000, { plot: 1.6, cover: 50 });
  const bad = b.newEnterprise({ stateOwned: false, inTaxBureau: false, inMarketRegulator: false, selfReports: true });
  const badRow = b.addIndustrialRow(bad, p12, 10000, { plot: 1.2, cover: 40 });
  const wrong = USCC_ALPHABET[(USCC_ALPHABET.indexOf(bad.uscc[17]) + 1) % 31];
  badRow.uscc = bad.uscc.slice(0, 17) + wrong;
  b.mistake('invalid-uscc', 'industrial', p12.parcelId as string, '统一社会信用代码校验位错误');

  // 13. The only enterprise left its 行业代码 blank: the row is dropped, the parcel has no valid row.
  // No agreed start date: otherwise IND-IDLE (no floor area once the row is dropped) would hit.
  const p13 = indParcel(11, 8000, { agreedStartDate: null });
  const { e: e13 } = newInd('blank-code');
  p13.owner = e13.name;
  const r13 = b.addIndustrialRow(e13, p13, 8000, { plot: 1.2, cover: 45 });
  r13.industryCode = null;
  b.mistake('missing-value', 'industrial', p13.parcelId as string, '必填的行业代码空白');
  b.show({ name: 'ind-no-valid-row', parcelId: p13.parcelId as string, category: '工业', result: '待核实', hits: [], missing: ['survey'], mode: null, why: '唯一一行因必填项空白未采用，宗地无有效调查行' });

  // 14. Footprint larger than the land on one of two rows.
  const p14 = indParcel(12, 26000);
  const { e: e14 } = newInd('footprint-ok');
  const { e: e14b } = newInd('footprint-bad');
  p14.owner = e14.name;
  b.addIndustrialRow(e14, p14, 16000, { plot: 1.5, cover: 45 });
  const r14 = b.addIndustrialRow(e14b, p14, 10000, { plot: 1.5, cover: 45 });
  r14.footprint = 12500;
  b.mistake('footprint-exceeds-land', 'industrial', p14.parcelId as string, '建筑基底面积12500㎡大于用地面积10000㎡');

  // Survey rows pointing outside the base: another county, and a code not in the base map.
  const { e: eForeign } = newInd('foreign');
  const foreignId = `120103001002GB${String(b.rng.int(10000, 99999)).padStart(5, '0')}`;
  b.addIndustrialRow(eForeign, { parcelId: foreignId } as SampleRow, 5000, { plot: 1.2, cover: 40 });
  b.mistake('foreign-parcel', 'industrial', foreignId, '宗地代码的县级代码为120103（河北区）');
  const { e: eMissing } = newInd('not-in-base');
  const notInBase = `${b.county}013006GB99999`;
  b.addIndustrialRow(eMissing, { parcelId: notInBase } as SampleRow, 6000, { plot: 1.2, cover: 40 });
  b.mistake('parcel-not-in-base', 'industrial', notInBase, '宗地代码格式正确但不在地块底图表中');

  // Commercial parcels.
  const c1 = b.addParcel({ streetIndex: si(0), landUseCode: '05H1', area: 8000, owner: '天津海河置业有限公司', plannedUse: '商业服务业' });
  b.addBuilding(c1, { vacancy: 0.1, taxShare: 1.5, name: '海河国际商务中心', danger: 'A' });
  b.show({ name: 'com-healthy', parcelId: c1.parcelId as string, category: '商办', result: '非低效', hits: [], missing: [], mode: null, why: '空置率10%，亩均税收为商办基准的1.5倍' });
  // An industrial row filled for the commercial parcel: category-mismatch, not used.
  const { e: eMis } = newInd('category-mismatch');
  b.addIndustrialRow(eMis, c1, 1000, { plot: 2, cover: 40 });
  b.mistake('category-mismatch', 'industrial', c1.parcelId as string, '商办宗地填入了低效工业调查表');

  const c2 = b.addParcel({ streetIndex: si(1), landUseCode: '05H1', area: 6000, owner: '天津东方置业有限公司', plannedUse: '商业服务业' });
  b.addBuilding(c2, { vacancy: 0.65, taxShare: 0.8, name: '东方金融大厦', danger: 'B' });
  b.show({ name: 'com-vacant', parcelId: c2.parcelId as string, category: '商办', result: '低效', hits: ['COM-VACANT'], missing: [], mode: '因地招商', why: '空置率65%≥50%' });

  const c3 = b.addParcel({ streetIndex: si(2), landUseCode: '05H1', area: 5000, owner: '天津鑫源商贸有限公司', plannedUse: '商业服务业' });
  b.show({ name: 'com-no-survey', parcelId: c3.parcelId as string, category: '商办', result: '待核实', hits: [], missing: ['survey'], mode: null, why: '街道未填报该宗地的商办调查表' });

  const c4 = b.addParcel({ streetIndex: si(3), landUseCode: '05H1', area: 7000, owner: '天津远洋置业有限公司', plannedUse: '商业服务业' });
  b.addBuilding(c4, { vacancy: 0.0, taxShare: 0, stalled: true, name: '远洋商业广场（在建）', danger: '未鉴定', floor: 28000 });
  b.show({ name: 'com-stalled', parcelId: c4.parcelId as string, category: '商办', result: '低效', hits: ['COM-TAX', 'COM-STALLED'], missing: [], mode: '收储出让', why: '烂尾楼宇，无税收' });

  // Vacancy larger than floor area on the second building of a parcel.
  const c5 = b.addParcel({ streetIndex: si(4), landUseCode: '05H1', area: 9000, owner: '天津中环置业有限公司', plannedUse: '商业服务业' });
  b.addBuilding(c5, { vacancy: 0.2, taxShare: 1.2, name: '中环大厦A座', danger: 'A' });
  const cb = b.addBuilding(c5, { vacancy: 0.2, taxShare: 0.4, name: '中环大厦B座', danger: 'A' });
  cb.vacantArea = round((cb.floorArea as number) * 1.3);
  b.mistake('vacancy-exceeds-floor-area', 'commercial', c5.parcelId as string, '空置面积大于总建筑面积');

  // Facilities.
  const f1 = b.addParcel({ streetIndex: si(5), landUseCode: '08H2', area: 6000 });
  b.addFacility(f1, { useStatus: '闲置', idleDate: `${Y - 3}-09-01` });
  b.show({ name: 'fac-idle', parcelId: f1.parcelId as string, category: '设施', result: '低效', hits: ['FAC-IDLE'], missing: [], mode: '因地招商', why: `${Y - 3}年9月起闲置` });
  const f2 = b.addParcel({ streetIndex: si(6), landUseCode: '0809', area: 3000 });
  b.addFacility(f2, { useStatus: '低效使用' });
  b.show({ name: 'fac-underused', parcelId: f2.parcelId as string, category: '设施', result: '低效', hits: ['FAC-UNDERUSED'], missing: [], mode: '技改升级', why: '设施低效使用' });
  const f3 = b.addParcel({ streetIndex: si(7), landUseCode: '08H1', area: 4000 });
  b.addFacility(f3, { useStatus: '闲置', idleDate: `${Y + 1}-02-01` });
  b.mistake('date-after-evaluation', 'facility', f3.parcelId as string, `闲置起始日期${Y + 1}-02-01晚于评价基准日`);
  b.show({ name: 'fac-future-idle', parcelId: f3.parcelId as string, category: '设施', result: '非低效', hits: [], missing: [], mode: null, why: '闲置起始日期晚于基准日，闲置未满一年' });
  const f4 = b.addParcel({ streetIndex: si(8), landUseCode: '1003', area: 5000 });
  b.show({ name: 'fac-no-survey', parcelId: f4.parcelId as string, category: '设施', result: '待核实', hits: [], missing: ['survey'], mode: null, why: '无设施调查行' });

  // Housing, vacant land, other land.
  const h1 = b.addParcel({ streetIndex: si(9), landUseCode: '0701', area: 40000 });
  b.addHousing(h1, { type: '老旧小区', builtYear: 1992, amenities: '不全' });
  b.show({ name: 'res-old', parcelId: h1.parcelId as string, category: '居住', result: '低效', hits: ['RES-OLD'], missing: [], mode: '技改升级', why: '1992年建成的老旧小区，配套设施不全' });
  const h2 = b.addParcel({ streetIndex: si(10), landUseCode: '0701', area: 30000 });
  b.addHousing(h2, { type: '城中村', builtYear: 1975 });
  b.show({ name: 'res-village', parcelId: h2.parcelId as string, category: '居住', result: '低效', hits: ['RES-VILLAGE'], missing: [], mode: '收储出让', why: '城中村' });
  const h3 = b.addParcel({ streetIndex: si(11), landUseCode: '0701', area: 35000 });
  b.show({ name: 'res-plain', parcelId: h3.parcelId as string, category: '居住', result: '非低效', hits: [], missing: [], mode: null, why: '住宅用地，无城中村、老旧小区或烂尾楼记录' });
  const v1 = b.addParcel({ streetIndex: si(12), landUseCode: '1201', area: 7000 });
  b.show({ name: 'vacant', parcelId: v1.parcelId as string, category: '空闲地', result: '低效', hits: ['VAC-LAND'], missing: [], mode: '因地招商', why: '空闲地' });
  const o1 = b.addParcel({ streetIndex: si(0), landUseCode: '0810', area: 12000 });
  b.show({ name: 'other-park', parcelId: o1.parcelId as string, category: '其他', result: '不参评', hits: [], missing: [], mode: null, why: '公园与绿地不参评' });
  const o2 = b.addParcel({ streetIndex: si(1), landUseCode: '09', area: 9000 });
  b.addHousing(o2, { type: '棚户区', builtYear: 1968 });
  b.show({ name: 'other-with-shantytown', parcelId: o2.parcelId as string, category: '其他', result: '低效', hits: ['RES-VILLAGE'], missing: [], mode: '收储出让', why: '特殊用地上的棚户区，按居住规则认定' });

  // Historic land: one parcel per period, one without the date.
  const periods: [string, string][] = [['pre-1987', '1983-05-01'], ['1987-1998', '1995-08-15'], ['1999-2009', '2004-03-20'], ['2010-2019', '2016-11-01'], ['post-2019', `${Y - 1}-04-10`]];
  periods.forEach(([period, date], i) => {
    const p = b.addParcel({ streetIndex: si(i + 2), landUseCode: i % 2 === 0 ? '0701' : '0810', procedures: { value: i % 2 === 0 ? '无' : '不全', date } });
    b.historic.push({ parcelId: p.parcelId as string, period });
    if (period === 'post-2019') b.mistake('post-survey-illegal-use', 'base', p.parcelId as string, `用地发生时间${Y - 1}-04-10，在三调之后`);
  });
  const nd = b.addParcel({ streetIndex: si(7), landUseCode: '0810', procedures: { value: '不全', date: null } });
  b.mistake('missing-occurrence-date', 'base', nd.parcelId as string, '用地手续不全，用地发生时间空白');
  b.show({ name: 'historic-no-date', parcelId: nd.parcelId as string, category: '其他', result: '不参评', hits: [], missing: [], mode: null, why: '缺少用地发生时间：不进历史遗留库，仍按类别认定' });

  b.fixedWillingness = null;
}

/** Bulk parcels drawn from Hedong's land-use mix. */
function bulkParcels(b: Builder, count: number): void {
  const r = b.rng;
  const Y = b.year;
  // Enterprises that will get a second parcel (spanning two parcels).
  const spanning: Enterprise[] = [];
  for (let n = 0; n < count; n++) {
    const code = r.weighted(LAND_USE_MIX);
    const cat = categoryOf(code);
    const historic = r.chance(0.08);
    let procedures: { value: '不全' | '无'; date: string | null } | undefined;
    let period: string | undefined;
    if (historic) {
      const [pid, from, to] = r.pick(PERIOD_DATES);
      period = pid;
      procedures = { value: r.chance(0.6) ? '不全' : '无', date: r.date(from, to) };
    }
    const idleLand = cat === '工业' && r.chance(0.03);
    const parcel = b.addParcel({ landUseCode: code, procedures, agreedStartDate: idleLand ? r.date(`${Y - 6}-01-01`, `${Y - 2}-06-30`) : undefined });
    if (procedures && period) b.historic.push({ parcelId: parcel.parcelId as string, period });
    const area = parcel.landArea as number;

    if (cat === '工业') {
      if (idleLand) {
        parcel.owner = `天津${b.tradeName()}投资有限公司`;
        continue;
      }
      if (r.chance(0.03)) {
        // Not surveyed: 待核实 (survey). Without an agreed start date IND-IDLE cannot hit.
        parcel.agreedStartDate = null;
        parcel.owner = `天津${b.tradeName()}实业有限公司`;
        continue;
      }
      const k = r.weighted([[1, 60], [2, 30], [3, 10]] as const);
      let shares = Array.from({ length: k }, () => r.range(0.5, 1.5));
      const total = shares.reduce((s, x) => s + x, 0);
      shares = shares.map((x) => x / total);
      shares.forEach((share, i) => {
        const land = round(area * share);
        // Profile of the enterprise decides how it does against the rules.
        const profile = r.weighted([['healthy', 55], ['lowDensity', 15], ['lowTax', 10], ['stopped', 8], ['idle', 4], ['rented', 5], ['recentStop', 3]] as const);
        let e: Enterprise;
        if (i === 0 && spanning.length > 0 && r.chance(0.05)) {
          e = spanning.pop() as Enterprise;
        } else {
          e = b.newEnterprise({
            warehouse: code === '0508',
            taxFactor: profile === 'lowTax' ? r.range(0.05, 0.45) : profile === 'stopped' || profile === 'idle' ? r.range(0, 0.1) : undefined,
            outputFactor: profile === 'lowTax' ? r.range(0.2, 0.6) : profile === 'stopped' || profile === 'idle' ? r.range(0, 0.1) : undefined,
          });
          if (r.chance(0.04)) spanning.push(e);
        }
        if (i === 0) parcel.owner = e.name;
        const lowDensity = profile === 'lowDensity';
        b.addIndustrialRow(e, parcel, land, {
          plot: lowDensity ? r.range(0.3, 0.78) : undefined,
          cover: lowDensity ? r.range(15, 29) : undefined,
          status: profile === 'stopped' ? r.pick(['停产', '半停产']) : profile === 'idle' ? '闲置' : profile === 'rented' ? '出租' : profile === 'recentStop' ? '停产' : undefined,
          stopDate: profile === 'stopped' || profile === 'idle' ? b.dateBefore(1, 6) : profile === 'recentStop' ? r.date(`${Y}-02-01`, `${Y}-11-30`) : null,
          obsolete: r.chance(0.02),
        });
        if (!b.envSeen.has(e.uscc) && r.chance(0.6)) {
          b.envSeen.add(e.uscc);
          b.forms.environment.push({ uscc: e.uscc, enterpriseName: e.name, compliant: !r.chance(0.04), emissions: r.pick(['达标排放', '少量废气，已安装处理设施', '无工业废水排放', null]), eia: r.chance(0.9) ? '有' : '无' });
        }
      });
      if (!parcel.owner) parcel.owner = `天津${b.tradeName()}实业有限公司`;
    } else if (cat === '商办') {
      if (r.chance(0.05)) {
        parcel.owner = `天津${b.tradeName()}置业有限公司`;
        continue;
      }
      const k = r.chance(0.75) ? 1 : 2;
      for (let i = 0; i < k; i++) {
        const vacant = r.chance(0.15);
        const lowTax = r.chance(0.1);
        const blankTax = r.chance(0.05);
        const building = b.addBuilding(parcel, {
          vacancy: vacant ? r.range(0.5, 0.85) : undefined,
          taxShare: blankTax ? null : (lowTax ? r.range(0.05, 0.45) : r.range(0.7, 2.0)) / k,
          stalled: r.chance(0.02),
          danger: r.chance(0.03) ? r.pick(['C', 'D']) : undefined,
        });
        if (i === 0) parcel.owner = building.owner as string;
      }
    } else if (cat === '设施') {
      if (r.chance(0.9)) b.addFacility(parcel);
    } else if (cat === '居住') {
      if (r.chance(0.6)) b.addHousing(parcel);
    }
  }
}

/** Generates the sample data set (deterministic for a given seed and scale). */
export function generateSample(opts: SampleOptions = {}): SampleData {
  const b = new Builder(opts);
  const scale = opts.scale ?? 1;
  const before = b.forms.base.length;
  showcaseParcels(b);
  const showcaseCount = b.forms.base.length - before;
  bulkParcels(b, Math.max(0, Math.round(300 * scale) - showcaseCount));
  b.finishEnterprises();

  const Y = b.year;
  const f = b.forms;

  // Tax-mismatch: the second enterprise of the two-enterprise parcel reports 1.6× the bureau's figure.
  const tm = b.showcase.find((s) => s.name === 'ind-two-enterprises') as Showcase;
  const tmRow = f.industrial.find((r) => r.parcelId === tm.parcelId && r.enterpriseName !== f.industrial.find((x) => x.parcelId === tm.parcelId)?.enterpriseName) as SampleRow;
  const tmBureau = f.tax.find((t) => t.uscc === tmRow.uscc) as SampleRow;
  tmRow.tax = round((tmBureau.taxTotal as number) * 1.6);
  b.mistake('tax-mismatch', 'industrial', tm.parcelId, '自报年税收为税务数据的1.6倍');

  // The no-tax showcase enterprise keeps its self-reported output; its 年税收 stays blank.
  const noTax = b.showcase.find((s) => s.name === 'ind-no-tax') as Showcase;
  const noTaxRow = f.industrial.find((r) => r.parcelId === noTax.parcelId) as SampleRow;
  noTaxRow.tax = null;

  // Duplicate of the healthy parcel's row, at the end of the sheet.
  const healthy = b.showcase.find((s) => s.name === 'ind-healthy') as Showcase;
  const healthyRow = f.industrial.find((r) => r.parcelId === healthy.parcelId) as SampleRow;
  f.industrial.push({ ...healthyRow });
  b.mistake('duplicate-key', 'industrial', healthy.parcelId, '同一宗地同一企业重复填报一行');
  // A 2021 tax row beside the 2022 one.
  const healthyTax = f.tax.find((t) => t.uscc === healthyRow.uscc) as SampleRow;
  f.tax.push({ ...healthyTax, year: Y - 1, taxTotal: round((healthyTax.taxTotal as number) * 0.9) });
  b.mistake('other-year', 'tax', null, `${Y - 1}年度的纳税记录`);

  // Benchmarks.
  for (const [cls, bm] of Object.entries(BENCHMARKS)) {
    if (bm.inTaxTable) f.taxBenchmark.push({ industryClass: cls, industryName: bm.name, taxPerMu: bm.tax });
    if (bm.inOutputTable) f.outputBenchmark.push({ industryClass: cls, industryName: bm.name, outputPerMu: bm.output });
  }
  f.taxBenchmark.push({ industryClass: '商办', industryName: '商务办公及商业', taxPerMu: COMMERCIAL_TAX_BENCHMARK });

  // 容积率 computed with a formula in the sheet (the reader uses the cached result).
  for (let i = 5; i < f.industrial.length; i += 9) {
    const row = f.industrial[i];
    if (typeof row.plotRatio === 'number' && !b.overrides.industrial?.some((o) => o.index === i)) {
      b.override('industrial', i, 'plotRatio', { formula: 'ROUND({floorArea}/{landArea},2)', result: row.plotRatio });
    }
  }
  // Text that merely looks like a formula stays text (and must never become one in the outputs).
  const lookalike = f.industrial.findIndex((r, i) => i > 20 && r.problemDesc !== null && !b.overrides.industrial?.some((o) => o.index === i));
  if (lookalike >= 0) {
    f.industrial[lookalike].problemDesc = '=厂房闲置，急需招商引资';
  }
  // The tax bureau merged its figures with VLOOKUP: one enterprise's total is #N/A.
  const naIndex = Math.floor(f.tax.length / 2);
  b.override('tax', naIndex, 'taxTotal', { formula: 'VLOOKUP(A' + (naIndex + 3) + ',征管数据!A:F,6,FALSE)', result: { error: '#N/A' } });
  f.tax[naIndex] = { ...f.tax[naIndex], taxTotal: null };
  b.mistake('formula-error', 'tax', null, '纳税总额单元格为公式错误值 #N/A（VLOOKUP 未找到）');

  // Formatting habits spread over ordinary rows (values stay the same once normalised).
  let fmt = 0;
  for (let i = 20; i < f.industrial.length; i += 17) {
    const row = f.industrial[i];
    if (b.overrides.industrial?.some((o) => o.index === i)) continue;
    switch (fmt++ % 4) {
      case 0:
        if (typeof row.floorArea === 'number') b.override('industrial', i, 'floorArea', (row.floorArea as number).toLocaleString('en-US', { maximumFractionDigits: 2 }));
        break;
      case 1:
        if (typeof row.employees === 'number') b.override('industrial', i, 'employees', toFullWidth(String(row.employees)));
        break;
      case 2:
        if (typeof row.tax === 'number') b.override('industrial', i, 'tax', `${row.tax}万元`);
        break;
      case 3:
        b.override('industrial', i, 'stateOwned', row.stateOwned ? '√' : '×');
        break;
    }
  }

  return {
    year: Y,
    forms: f,
    workbooks: layoutWorkbooks(b),
    mistakes: b.mistakes,
    showcase: b.showcase,
    historic: b.historic,
  };
}

function toFullWidth(s: string): string {
  return s.replace(/[0-9.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** Splits the forms into the departments' workbooks and gives each its (messy) shape. */
function layoutWorkbooks(b: Builder): SampleWorkbook[] {
  const f = b.forms;
  const Y = b.year;
  const out: SampleWorkbook[] = [];
  const overridesFor = (form: FormId, indexes: number[]) => {
    const pos = new Map(indexes.map((x, i) => [x, i]));
    return (b.overrides[form] ?? []).filter((o) => pos.has(o.index)).map((o) => ({ ...o, index: pos.get(o.index) as number }));
  };

  out.push({
    file: '规划资源分局-地块底图表.xlsx',
    department: '市规划资源局河东分局',
    sheets: [{
      form: 'base',
      rows: f.base,
      shape: { sheetName: '底图', title: `河东区低效用地调查地块底图表（${Y}年度变更调查）`, subtitle: '填报单位：市规划资源局河东分局' },
    }],
  });

  // Industrial: state-owned enterprises are reported by 国资委 on the same form.
  const indAll = f.industrial.map((_, i) => i);
  const indSoe = indAll.filter((i) => f.industrial[i].stateOwned === true);
  const indMain = indAll.filter((i) => f.industrial[i].stateOwned !== true);
  const mainRows = indMain.map((i) => f.industrial[i]);
  // Moved columns: 统一社会信用代码 before 企业名称, 行业代码 after 经营状态; 容积率 kept.
  const indColumns = ['parcelId', 'uscc', 'enterpriseName', 'landArea', 'floorArea', 'footprint', 'plotRatio', 'status', 'industryCode', 'stopDate', 'employees', 'output', 'tax', 'obsolete', 'stateOwned', 'willingness', 'problemType', 'problemDesc'];
  out.push({
    file: '区产业发展促进局-低效工业调查表.xlsx',
    department: '区产业发展促进局',
    sheets: [{
      form: 'industrial',
      rows: mainRows,
      shape: {
        sheetName: '工业企业',
        title: `河东区低效工业用地调查表（${Y}年度）`,
        // Spans count written columns, the extra 联系人 column included.
        groups: [{ label: '基本情况', span: 4 }, { label: '用地及建筑情况', span: 4 }, { label: '经营情况', span: 7 }, { label: '', span: 1 }, { label: '盘活意愿及问题', span: 3 }],
        columns: indColumns,
        extraColumns: [{ title: '联系人', after: 2, values: mainRows.map((_, i) => ['张', '王', '李', '赵', '刘', '陈'][i % 6] + ['经理', '主任', '女士', '先生'][i % 4]) }],
        blankRowEvery: 25,
        overrides: overridesFor('industrial', indMain),
        // As offices keep it (domain.md §9): 序号, a two-row header, 宗地代码 merged over a
        // parcel's enterprises, a 合计 row, a 注 line and the signatures under the data.
        numberColumn: '序号',
        twoRowHeader: true,
        mergeDown: 'parcelId',
        totalRow: { label: '合计', sum: ['landArea', 'floorArea', 'footprint', 'employees', 'output', 'tax'] },
        noteLines: [['注：面积单位为平方米，产值、税收为评价年度数（万元）；同一宗地多家企业的，宗地代码合并填写。'], ['填表人：王晓明', '', '', '', '审核人：李建国', '', '', '', '填报日期：' + (Y + 1) + '年1月10日']],
      },
    }],
  });
  b.mistake('unknown-column', 'industrial', null, '工业调查表多出一列“联系人”');
  out.push({
    file: '区国资委-低效工业调查表（国有企业）.xlsx',
    department: '区国资委',
    sheets: [{ form: 'industrial', rows: indSoe.map((i) => f.industrial[i]), shape: { sheetName: 'Sheet1', overrides: overridesFor('industrial', indSoe) } }],
  });

  // Commercial: each street office sends its own workbook.
  for (const street of b.streets) {
    const idx = f.commercial.map((_, i) => i).filter((i) => f.commercial[i].street === street);
    if (idx.length === 0) continue;
    const moved = b.streets.indexOf(street) % 3 === 1;
    out.push({
      file: `${street}-低效商办调查表.xlsx`,
      department: `${street}办事处`,
      sheets: [{
        form: 'commercial',
        rows: idx.map((i) => f.commercial[i]),
        shape: {
          sheetName: moved ? 'Sheet1' : '商办楼宇',
          title: `${street}低效商办楼宇调查表`,
          columns: moved ? ['buildingName', 'parcelId', 'street', 'floorArea', 'vacantArea', 'tax', 'tenants', 'owner', 'builtYear', 'stalled', 'dangerGrade', 'stateOwned', 'willingness', 'problemType', 'problemDesc'] : undefined,
          overrides: overridesFor('commercial', idx),
        },
      }],
    });
  }

  out.push({
    file: '区城市管理委-低效设施调查表.xlsx',
    department: '区城市管理委员会（汇总各部门设施）',
    sheets: [{ form: 'facility', rows: f.facility, shape: { sheetName: '设施', title: '河东区低效设施用地调查表' } }],
  });
  out.push({
    file: '区住房建设委-城中村老旧小区烂尾楼表.xlsx',
    department: '区住房建设委',
    sheets: [{ form: 'housing', rows: f.housing, shape: { sheetName: '城中村老旧小区烂尾楼', title: '河东区城中村、老旧小区、烂尾楼情况表', blankRowEvery: 10, hiddenRows: [1] } }],
  });
  out.push({
    file: '区税务局-企业纳税及行业亩均税收.xlsx',
    department: '区税务局',
    sheets: [
      {
        form: 'tax',
        rows: f.tax,
        shape: {
          sheetName: '企业纳税',
          title: `重点企业纳税情况（${Y - 1}—${Y}年度）`,
          richHeaders: ['taxTotal'],
          overrides: b.overrides.tax ?? [],
          // The tax system's export: amounts in 元, numbered, with a 合计 row and who made it.
          numberColumn: '序号',
          units: [{ key: 'taxTotal', title: '纳税总额(元)', factor: 10000 }],
          totalRow: { label: '合计', sum: ['taxTotal'] },
          noteLines: [['制表人：区税务局征管科'], ['以下空白']],
        },
      },
      { form: 'taxBenchmark', rows: f.taxBenchmark, shape: { sheetName: '行业亩均税收', title: `${Y}年度分行业亩均税收` } },
    ],
  });
  out.push({
    file: '区市场监管局-企业产值及行业亩均产值.xlsx',
    department: '区市场监管局',
    sheets: [
      { form: 'output', rows: f.output, shape: { sheetName: '企业产值' } },
      { form: 'outputBenchmark', rows: f.outputBenchmark, shape: { sheetName: '行业亩均产值', title: `${Y}年度分行业亩均产值` } },
    ],
  });
  out.push({
    file: '区生态环境局-环保情况表.xlsx',
    department: '区生态环境局',
    sheets: [{ form: 'environment', rows: f.environment, shape: { sheetName: '环保', title: '工业企业环保情况' } }],
  });
  return out;
}
