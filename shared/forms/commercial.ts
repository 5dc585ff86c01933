import { parcelIdField, problemDescField, problemTypeField, stateOwnedField, streetField, willingnessField } from './common';
import { FormDef } from './types';

export const commercialForm: FormDef = {
  id: 'commercial',
  title: '低效商办调查表',
  filledBy: '街道办事处（国资委填报国有资产同表）',
  kind: 'survey',
  key: ['parcelId', 'buildingName'],
  fields: [
    parcelIdField,
    { key: 'buildingName', title: '楼宇名称', variants: ['楼宇（项目）名称', '项目名称', '建筑名称'], type: 'text', required: true, help: '商务楼宇或商业项目名称' },
    streetField(true),
    { key: 'owner', title: '权利人', variants: ['产权人', '产权单位'], type: 'text', help: '楼宇产权人' },
    { key: 'builtYear', title: '建成年份', variants: ['建成年代', '竣工年份'], type: 'year', min: 1900, maxIsEvaluationYear: true, help: '建成年份，如 2008' },
    { key: 'floorArea', title: '总建筑面积(㎡)', variants: ['总建筑面积', '建筑面积(㎡)', '建筑面积'], type: 'number', unit: 'm2', required: true, min: 0, minExclusive: true, help: '楼宇总建筑面积，单位平方米' },
    { key: 'vacantArea', title: '空置面积(㎡)', variants: ['空置面积', '闲置面积(㎡)', '空置建筑面积(㎡)'], type: 'number', unit: 'm2', required: true, min: 0, help: '评价基准日空置的建筑面积，单位平方米，不应大于总建筑面积' },
    { key: 'tenants', title: '入驻企业数', variants: ['入驻企业数量', '入驻企业(家)'], type: 'integer', unit: 'count', min: 0, help: '入驻企业数量（家）' },
    { key: 'tax', title: '年税收(万元)', variants: ['年税收', '税收(万元)', '楼宇税收(万元)', '纳税额(万元)'], type: 'number', unit: 'wan', min: 0, help: '评价年度楼宇产生的税收，单位万元' },
    { key: 'stalled', title: '是否烂尾', variants: ['是否烂尾楼', '烂尾'], type: 'bool', help: '是/否' },
    { key: 'dangerGrade', title: '危房等级', variants: ['房屋安全等级', '危险等级'], type: 'enum', enum: ['A', 'B', 'C', 'D', '未鉴定'], help: 'A/B/C/D/未鉴定（C、D级为危房）' },
    stateOwnedField,
    willingnessField,
    problemTypeField,
    problemDescField,
  ],
};

