import { parcelIdField, streetField } from './common';
import { FormDef } from './types';

export const LAND_USE_CODES = [
  '05H1', '0508', '0601', '0602', '0603', '0701', '0702', '08H1', '08H2', '0809', '0810', '0810A',
  '09', '1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008', '1009', '1109', '1201',
] as const;

export const baseForm: FormDef = {
  id: 'base',
  title: '地块底图表',
  filledBy: '规划资源分局（2022年度变更调查提取）',
  kind: 'reference',
  key: ['parcelId'],
  fields: [
    parcelIdField,
    streetField(true),
    { key: 'location', title: '坐落', variants: ['地块坐落', '坐落位置', '地址'], type: 'text', required: true, help: '宗地坐落（路名门牌）' },
    { key: 'landUseCode', title: '地类编码', variants: ['地类代码', '三调地类编码', '地类'], type: 'enum', enum: LAND_USE_CODES, required: true, help: '第三次全国国土调查工作分类地类编码，如 0601 工业用地' },
    { key: 'landArea', title: '土地面积(㎡)', variants: ['土地面积', '宗地面积(㎡)', '宗地面积', '面积(㎡)', '土地面积（平方米）'], type: 'number', unit: 'm2', required: true, min: 0, minExclusive: true, help: '宗地土地面积，单位平方米（填“亩”或“公顷”会自动换算）' },
    { key: 'owner', title: '权利人', variants: ['土地权利人', '使用权人', '土地使用者'], type: 'text', required: true, help: '土地权利人名称' },
    { key: 'ownership', title: '权属性质', variants: ['土地权属性质', '所有权性质'], type: 'enum', enum: ['国有', '集体'], help: '国有/集体' },
    { key: 'supplyMode', title: '供地方式', variants: ['土地供应方式'], type: 'enum', enum: ['出让', '划拨', '租赁', '其他', '无'], help: '出让/划拨/租赁/其他/无' },
    { key: 'plannedUse', title: '规划用途', variants: ['规划用地性质', '规划用地用途', '控规用途'], type: 'enum', enum: ['工业', '物流仓储', '商业服务业', '居住', '公共管理与公共服务', '交通运输', '公用设施', '绿地与开敞空间', '其他'], help: '控制性详细规划确定的用途' },
    { key: 'agreedStartDate', title: '约定动工日期', variants: ['合同约定动工日期', '约定开工日期'], type: 'date', help: '出让合同约定的动工日期，如 2019-06-30' },
    { key: 'landProcedures', title: '用地手续', variants: ['用地手续情况', '手续情况'], type: 'enum', enum: ['齐全', '不全', '无'], required: true, help: '齐全/不全/无；不全或无时须填写用地发生时间' },
    { key: 'occurrenceDate', title: '用地发生时间', variants: ['用地时间', '发生时间', '实际用地时间'], type: 'date', help: '用地手续不全或无时必填：实际开始用地的日期，用于划分历史遗留用地时段' },
  ],
};
