import { FieldDef, PROBLEM_TYPES, WILLINGNESS } from './types';

/** Column definitions that several forms share word for word. */
export const parcelIdField: FieldDef = {
  key: 'parcelId',
  title: '宗地代码',
  variants: ['宗地编码', '宗地号', '地块编码', '地块代码'],
  type: 'parcelId',
  required: true,
  help: '19位宗地代码（GB/T 37346-2019），如 120102001002GB00001，与地块底图表一致',
};

export const streetField = (required: boolean): FieldDef => ({
  key: 'street',
  title: '街道',
  variants: ['所属街道', '街道办事处', '街道名称'],
  type: 'text',
  required,
  help: '所属街道全称，如 大王庄街道',
});

export const usccField: FieldDef = {
  key: 'uscc',
  title: '统一社会信用代码',
  variants: ['社会信用代码', '信用代码', '统一信用代码', 'USCC'],
  type: 'uscc',
  required: true,
  help: '18位统一社会信用代码（GB 32100-2015），含校验位',
};

export const enterpriseNameField: FieldDef = {
  key: 'enterpriseName',
  title: '企业名称',
  variants: ['单位名称', '企业（单位）名称', '纳税人名称', '企业全称'],
  type: 'text',
  required: true,
  help: '营业执照上的企业全称',
};

export const stateOwnedField: FieldDef = {
  key: 'stateOwned',
  title: '是否国有',
  variants: ['是否国有企业', '国有'],
  type: 'bool',
  help: '是/否',
};

export const willingnessField: FieldDef = {
  key: 'willingness',
  title: '盘活意愿',
  variants: ['再开发意愿'],
  type: 'enum',
  enum: WILLINGNESS,
  help: '自主开发/联合开发/转让/收储/暂无意愿',
};

export const problemTypeField: FieldDef = {
  key: 'problemType',
  title: '问题类型',
  variants: ['难点堵点类型', '存在问题类型'],
  type: 'enum',
  enum: PROBLEM_TYPES,
  help: '产权不清/手续不全/规划限制/资金不足/环保约束/其他/无',
};

export const problemDescField: FieldDef = {
  key: 'problemDesc',
  title: '问题描述',
  variants: ['存在问题', '难点堵点', '问题说明', '备注'],
  type: 'text',
  help: '盘活利用中的难点堵点，文字说明',
};

export const industryCodeField = (required: boolean): FieldDef => ({
  key: 'industryCode',
  title: '行业代码',
  variants: ['国民经济行业代码', '行业分类代码', '所属行业代码'],
  type: 'industryCode',
  required,
  help: '国民经济行业分类（GB/T 4754-2017）4位小类代码，如 3311',
});

export const yearField: FieldDef = {
  key: 'year',
  title: '年度',
  variants: ['年份', '所属年度', '统计年度'],
  type: 'year',
  required: true,
  help: '数据所属年度，如 2022',
};

export const industryClassField: FieldDef = {
  key: 'industryClass',
  title: '行业大类',
  variants: ['大类代码', '行业大类代码'],
  type: 'industryClass',
  required: true,
  help: '两位行业大类代码（如 33），商办用地填“商办”',
};

export const industryNameField: FieldDef = {
  key: 'industryName',
  title: '行业名称',
  variants: ['大类名称'],
  type: 'text',
  help: '行业大类名称',
};
