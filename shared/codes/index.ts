/**
 * Validators for the national codes the forms carry: 宗地代码 (GB/T 37346-2019),
 * 统一社会信用代码 (GB 32100-2015) and 国民经济行业代码 (GB/T 4754-2017).
 * Char tests only (no regex per call): they run once per row on large sheets.
 */

/** USCC alphabet: value of a character = its index (0..30). I, O, S, V, Z are not used. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Value of each ASCII code in the USCC alphabet, -1 when not in it. */
const USCC_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < USCC_ALPHABET.length; i++) USCC_VALUE[USCC_ALPHABET.charCodeAt(i)] = i;

export type UsccProblem =
  | { kind: 'length'; length: number }
  | { kind: 'char'; char: string; position: number }
  | { kind: 'check'; expected: string; found: string };

/** The check character for the first 17 characters, or null when one is not in the alphabet. */
export function usccCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = first17.charCodeAt(i);
    const v = c < 128 ? USCC_VALUE[c] : -1;
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Why an (upper-case, space-free) code is not a valid USCC, or null when it is valid. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return { kind: 'length', length: code.length };
  for (let i = 0; i < 18; i++) {
    const c = code.charCodeAt(i);
    if (c >= 128 || USCC_VALUE[c] < 0) return { kind: 'char', char: code[i], position: i + 1 };
  }
  const expected = usccCheckChar(code) as string;
  if (code[17] !== expected) return { kind: 'check', expected, found: code[17] };
  return null;
}

export function isValidUscc(code: string): boolean {
  return usccProblem(code) === null;
}

/** Chinese explanation of a USCC problem, for the issue message's {detail}. */
export function usccProblemText(p: UsccProblem): string {
  switch (p.kind) {
    case 'length':
      return `（应为18位，实为${p.length}位）`;
    case 'char':
      return `（第${p.position}位“${p.char}”不是有效字符，代码中不使用I、O、S、V、Z）`;
    case 'check':
      return `（校验位应为“${p.expected}”，实为“${p.found}”）`;
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** 宗地代码 second-to-last part: 特征码 first letter (G 国有 / J 集体 / Z 未定) and second letter. */
const PARCEL_OWNERSHIP = 'GJZ';
const PARCEL_USE = 'ABSXCDEFGHWY';

/** `^\d{12}[GJZ][ABSXCDEFGHWY]\d{5}$` without a regex. */
export function isValidParcelId(code: string): boolean {
  if (code.length !== 19) return false;
  for (let i = 0; i < 12; i++) if (!isDigit(code.charCodeAt(i))) return false;
  if (PARCEL_OWNERSHIP.indexOf(code[12]) < 0 || PARCEL_USE.indexOf(code[13]) < 0) return false;
  for (let i = 14; i < 19; i++) if (!isDigit(code.charCodeAt(i))) return false;
  return true;
}

/** The 6-digit county (县级行政区) part of a 宗地代码. */
export function parcelCounty(code: string): string {
  return code.slice(0, 6);
}

/**
 * GB/T 4754-2017 大类 (two-digit divisions) by 门类 (section). The 2017 edition has 97 大类,
 * numbered 01..97 without gaps (土地管理业 79 was added in 2017).
 */
export const INDUSTRY_SECTIONS: readonly { section: string; name: string; from: number; to: number }[] = [
  { section: 'A', name: '农、林、牧、渔业', from: 1, to: 5 },
  { section: 'B', name: '采矿业', from: 6, to: 12 },
  { section: 'C', name: '制造业', from: 13, to: 43 },
  { section: 'D', name: '电力、热力、燃气及水生产和供应业', from: 44, to: 46 },
  { section: 'E', name: '建筑业', from: 47, to: 50 },
  { section: 'F', name: '批发和零售业', from: 51, to: 52 },
  { section: 'G', name: '交通运输、仓储和邮政业', from: 53, to: 60 },
  { section: 'H', name: '住宿和餐饮业', from: 61, to: 62 },
  { section: 'I', name: '信息传输、软件和信息技术服务业', from: 63, to: 65 },
  { section: 'J', name: '金融业', from: 66, to: 69 },
  { section: 'K', name: '房地产业', from: 70, to: 70 },
  { section: 'L', name: '租赁和商务服务业', from: 71, to: 72 },
  { section: 'M', name: '科学研究和技术服务业', from: 73, to: 75 },
  { section: 'N', name: '水利、环境和公共设施管理业', from: 76, to: 79 },
  { section: 'O', name: '居民服务、修理和其他服务业', from: 80, to: 82 },
  { section: 'P', name: '教育', from: 83, to: 83 },
  { section: 'Q', name: '卫生和社会工作', from: 84, to: 85 },
  { section: 'R', name: '文化、体育和娱乐业', from: 86, to: 90 },
  { section: 'S', name: '公共管理、社会保障和社会组织', from: 91, to: 96 },
  { section: 'T', name: '国际组织', from: 97, to: 97 },
];

const SECTION_OF_CLASS: (string | undefined)[] = [];
for (const s of INDUSTRY_SECTIONS) for (let d = s.from; d <= s.to; d++) SECTION_OF_CLASS[d] = s.section;

/** 门类 letter of a two-digit 大类 ('33' → 'C'), or null when the 大类 does not exist. */
export function industrySection(twoDigits: string): string | null {
  if (twoDigits.length !== 2 || !isDigit(twoDigits.charCodeAt(0)) || !isDigit(twoDigits.charCodeAt(1))) return null;
  return SECTION_OF_CLASS[Number(twoDigits)] ?? null;
}

/** GB/T 4754-2017 大类 names, 01..97 in order (index 0 is 01). */
const INDUSTRY_CLASS_NAMES: readonly string[] = [
  '农业', '林业', '畜牧业', '渔业', '农、林、牧、渔专业及辅助性活动', '煤炭开采和洗选业',
  '石油和天然气开采业', '黑色金属矿采选业', '有色金属矿采选业', '非金属矿采选业', '开采专业及辅助性活动', '其他采矿业',
  '农副食品加工业', '食品制造业', '酒、饮料和精制茶制造业', '烟草制品业', '纺织业', '纺织服装、服饰业',
  '皮革、毛皮、羽毛及其制品和制鞋业', '木材加工和木、竹、藤、棕、草制品业', '家具制造业', '造纸和纸制品业', '印刷和记录媒介复制业', '文教、工美、体育和娱乐用品制造业',
  '石油、煤炭及其他燃料加工业', '化学原料和化学制品制造业', '医药制造业', '化学纤维制造业', '橡胶和塑料制品业', '非金属矿物制品业',
  '黑色金属冶炼和压延加工业', '有色金属冶炼和压延加工业', '金属制品业', '通用设备制造业', '专用设备制造业', '汽车制造业',
  '铁路、船舶、航空航天和其他运输设备制造业', '电气机械和器材制造业', '计算机、通信和其他电子设备制造业', '仪器仪表制造业', '其他制造业', '废弃资源综合利用业',
  '金属制品、机械和设备修理业', '电力、热力生产和供应业', '燃气生产和供应业', '水的生产和供应业', '房屋建筑业', '土木工程建筑业',
  '建筑安装业', '建筑装饰、装修和其他建筑业', '批发业', '零售业', '铁路运输业', '道路运输业',
  '水上运输业', '航空运输业', '管道运输业', '多式联运和运输代理业', '装卸搬运和仓储业', '邮政业',
  '住宿业', '餐饮业', '电信、广播电视和卫星传输服务', '互联网和相关服务', '软件和信息技术服务业', '货币金融服务',
  '资本市场服务', '保险业', '其他金融业', '房地产业', '租赁业', '商务服务业',
  '研究和试验发展', '专业技术服务业', '科技推广和应用服务业', '水利管理业', '生态保护和环境治理业', '公共设施管理业',
  '土地管理业', '居民服务业', '机动车、电子产品和日用产品修理业', '其他服务业', '教育', '卫生',
  '社会工作', '新闻和出版业', '广播、电视、电影和录音制作业', '文化艺术业', '体育', '娱乐业',
  '中国共产党机关', '国家机构', '人民政协、民主党派', '社会保障', '群众团体、社会团体和其他成员组织', '基层群众自治组织及其他组织',
  '国际组织',
];

/** The 大类 name of a 行业代码 or 大类 (its first two digits), e.g. '33' → '金属制品业'; null when unknown. */
export function industryClassName(code: string): string | null {
  if (industrySection(code.slice(0, 2)) === null) return null;
  return INDUSTRY_CLASS_NAMES[Number(code.slice(0, 2)) - 1] ?? null;
}

export function isValidIndustryClass(twoDigits: string): boolean {
  return industrySection(twoDigits) !== null;
}

/** Industrial 大类 (domain.md §1): 06–12 采矿, 13–43 制造, 44–46 电力热力燃气水. */
export function isIndustrialClass(twoDigits: string): boolean {
  const s = industrySection(twoDigits);
  return s === 'B' || s === 'C' || s === 'D';
}

/** Why a 4-digit 行业代码 is invalid (Chinese, for {detail}), or null when valid. */
export function industryCodeProblem(code: string): string | null {
  if (code.length !== 4) return `（应为4位数字，实为${code.length}位）`;
  for (let i = 0; i < 4; i++) if (!isDigit(code.charCodeAt(i))) return '（应为4位数字）';
  if (!isValidIndustryClass(code.slice(0, 2))) return `（大类“${code.slice(0, 2)}”不存在，应为01–97）`;
  return null;
}
