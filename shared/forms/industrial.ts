import {
  enterpriseNameField, industryCodeField, parcelIdField, problemDescField, problemTypeField,
  stateOwnedField, usccField, willingnessField,
} from './common';
import { FormDef } from './types';

export const OPERATING_STATUS = ['正常生产', '半停产', '停产', '闲置', '出租'] as const;

export const industrialForm: FormDef = {
  id: 'industrial',
  title: '低效工业调查表',
  filledBy: '区产业发展促进局（国资委填报国有资产同表）',
  kind: 'survey',
  key: ['parcelId', 'uscc'],
  fields: [
    parcelIdField,
    enterpriseNameField,
    usccField,
    industryCodeField(true),
    { key: 'landArea', title: '用地面积(㎡)', variants: ['用地面积', '占地面积(㎡)', '占地面积', '企业用地面积(㎡)'], type: 'number', unit: 'm2', required: true, min: 0, minExclusive: true, help: '企业在该宗地上使用的土地面积，单位平方米' },
    { key: 'floorArea', title: '总建筑面积(㎡)', variants: ['总建筑面积', '建筑面积(㎡)', '建筑面积'], type: 'number', unit: 'm2', required: true, min: 0, help: '地上地下总建筑面积，单位平方米' },
    { key: 'footprint', title: '建筑基底面积(㎡)', variants: ['建筑基底面积', '基底面积(㎡)', '基底面积', '建筑占地面积(㎡)'], type: 'number', unit: 'm2', required: true, min: 0, help: '建筑物基底（占地）面积，单位平方米，不应大于用地面积' },
    { key: 'plotRatio', title: '容积率', variants: ['容积率(%)'], type: 'number', unit: 'ratio', min: 0, help: '选填：总建筑面积 / 用地面积，将与面积核对' },
    { key: 'status', title: '经营状态', variants: ['生产经营状态', '经营情况'], type: 'enum', enum: OPERATING_STATUS, required: true, help: '正常生产/半停产/停产/闲置/出租' },
    { key: 'stopDate', title: '停产起始日期', variants: ['停产日期', '停产（闲置）起始日期', '闲置起始日期', '停产时间'], type: 'date', requiredWhen: { field: 'status', in: ['半停产', '停产', '闲置'] }, help: '经营状态为半停产、停产或闲置时必填，如 2020-06-01' },
    { key: 'employees', title: '从业人员', variants: ['从业人员数', '从业人数', '职工人数', '从业人员(人)'], type: 'integer', unit: 'count', min: 0, help: '年末从业人员数（人）' },
    { key: 'output', title: '年产值(万元)', variants: ['年产值', '产值(万元)', '工业总产值(万元)', '年度产值(万元)'], type: 'number', unit: 'wan', min: 0, help: '评价年度企业自报产值，单位万元' },
    { key: 'tax', title: '年税收(万元)', variants: ['年税收', '税收(万元)', '纳税额(万元)', '年纳税额(万元)', '实缴税金(万元)'], type: 'number', unit: 'wan', min: 0, help: '评价年度企业自报税收，单位万元' },
    { key: 'obsolete', title: '是否淘汰类', variants: ['是否属于淘汰类', '淘汰类'], type: 'bool', help: '是否属于《产业结构调整指导目录（2024年本）》淘汰类：是/否' },
    stateOwnedField,
    willingnessField,
    problemTypeField,
    problemDescField,
  ],
};
