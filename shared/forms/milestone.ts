import { MILESTONE_NAMES } from '../pilot/model';
import { projectIdField, unitField } from './project';
import type { FormDef } from './types';

/** 项目节点表 (pilot.md §1): each responsible unit, one row per milestone of a project. */
export const milestoneForm: FormDef = {
  id: 'milestone',
  title: '项目节点表',
  filledBy: '各责任单位',
  kind: 'pilot',
  key: ['projectId', 'name'],
  fields: [
    projectIdField,
    { key: 'name', title: '节点名称', variants: ['节点', '里程碑'], type: 'text', required: true, help: `${MILESTONE_NAMES.join('、')}，或其他节点名称` },
    { key: 'plannedDate', title: '计划完成日期', variants: ['计划完成时间', '计划日期'], type: 'date', required: true, help: '节点计划完成日期' },
    { key: 'actualDate', title: '实际完成日期', variants: ['实际完成时间', '完成日期'], type: 'date', help: '节点实际完成日期，未完成不填' },
    unitField('unit', '责任单位', ['节点责任单位'], true, '工作专班成员单位或街道（全称或通用简称）'),
    { key: 'person', title: '责任人', type: 'text', help: '责任人姓名' },
    { key: 'progress', title: '进展情况', variants: ['进展', '推进情况'], type: 'text', help: '节点推进情况' },
  ],
};
