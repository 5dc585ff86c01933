import { parcelIdField, problemDescField, streetField } from './common';
import { FormDef } from './types';

export const housingForm: FormDef = {
  id: 'housing',
  title: '城中村老旧小区烂尾楼表',
  filledBy: '区住房建设委',
  kind: 'survey',
  key: ['parcelId', 'projectName'],
  fields: [
    { key: 'projectName', title: '项目名称', variants: ['小区（项目）名称', '小区名称', '村名'], type: 'text', required: true, help: '城中村、老旧小区、棚户区或烂尾楼项目名称' },
    { key: 'housingType', title: '类型', variants: ['项目类型', '类别'], type: 'enum', enum: ['城中村', '老旧小区', '棚户区', '烂尾楼'], required: true, help: '城中村/老旧小区/棚户区/烂尾楼' },
    { ...parcelIdField, help: '19位宗地代码；一个项目涉及多宗地时每宗地填一行' },
    streetField(true),
    { key: 'floorArea', title: '建筑面积(㎡)', variants: ['建筑面积', '总建筑面积(㎡)'], type: 'number', unit: 'm2', min: 0, help: '单位平方米' },
    { key: 'builtYear', title: '建成年份', variants: ['建成年代', '竣工年份'], type: 'year', min: 1900, maxIsEvaluationYear: true, help: '建成年份，如 1995' },
    { key: 'buildProcedures', title: '建设手续', variants: ['建设手续情况'], type: 'enum', enum: ['齐全', '不全', '无'], help: '齐全/不全/无' },
    { key: 'amenities', title: '配套设施', variants: ['配套设施情况'], type: 'enum', enum: ['齐全', '不全'], help: '齐全/不全' },
    problemDescField,
  ],
};
