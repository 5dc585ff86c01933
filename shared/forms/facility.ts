import { parcelIdField, problemDescField, problemTypeField, stateOwnedField } from './common';
import { FormDef } from './types';

export const facilityForm: FormDef = {
  id: 'facility',
  title: '低效设施调查表',
  filledBy: '其他相关部门',
  kind: 'survey',
  key: ['parcelId', 'facilityName'],
  fields: [
    parcelIdField,
    { key: 'facilityName', title: '设施名称', variants: ['项目名称', '设施（项目）名称'], type: 'text', required: true, help: '设施名称' },
    { key: 'facilityType', title: '设施类型', variants: ['设施类别'], type: 'enum', enum: ['公共管理与公共服务', '交通', '公用设施'], required: true, help: '公共管理与公共服务/交通/公用设施' },
    { key: 'manager', title: '管理单位', variants: ['管理部门', '使用单位', '产权单位'], type: 'text', required: true, help: '设施的管理单位' },
    { key: 'floorArea', title: '建筑面积(㎡)', variants: ['建筑面积', '总建筑面积(㎡)'], type: 'number', unit: 'm2', min: 0, help: '单位平方米' },
    { key: 'useStatus', title: '使用状态', variants: ['使用情况', '利用状态'], type: 'enum', enum: ['正常使用', '低效使用', '闲置'], required: true, help: '正常使用/低效使用/闲置' },
    { key: 'idleDate', title: '闲置起始日期', variants: ['闲置日期', '闲置时间'], type: 'date', requiredWhen: { field: 'useStatus', in: ['闲置'] }, help: '使用状态为闲置时必填，如 2020-06-01' },
    stateOwnedField,
    problemTypeField,
    problemDescField,
  ],
};
