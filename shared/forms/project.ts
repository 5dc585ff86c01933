import { MODES } from '../lists';
import { FUND_SOURCES, MATURITIES, PLAN_STATUSES, PROJECT_STATUSES } from '../pilot/model';
import { STREET_NAMES, STREET_VARIANTS, UNIT_NAMES, UNIT_VARIANTS } from '../pilot/units';
import { parcelIdField, streetField } from './common';
import type { FieldDef, FormDef } from './types';

/** A unit of the pilot's catalogue (pilot.md §1): full names, short names accepted. */
export const unitField = (key: string, title: string, variants: readonly string[], required: boolean, help: string): FieldDef => ({
  key, title, variants, type: 'enum', enum: UNIT_NAMES, enumVariants: UNIT_VARIANTS, required, help,
});

export const projectIdField: FieldDef = {
  key: 'projectId', title: '项目编号', variants: ['项目代码', '编号'], type: 'text', required: true,
  help: '项目编号，如 HD-2027-003；一个项目涉及多宗地时每宗地一行，项目编号相同',
};

/** 低效用地再开发项目表 (pilot.md §1): the office with the lead units; one row per parcel of a project. */
export const projectForm: FormDef = {
  id: 'project',
  title: '低效用地再开发项目表',
  filledBy: '工作专班办公室（会同牵头单位）',
  kind: 'pilot',
  key: ['projectId', 'parcelId'],
  fields: [
    projectIdField,
    { key: 'name', title: '项目名称', type: 'text', required: true, help: '项目名称' },
    parcelIdField,
    // one of the district's 13 streets (the unit catalogue's streets), short names accepted
    { ...streetField(true), type: 'enum', enum: STREET_NAMES, enumVariants: STREET_VARIANTS },
    { key: 'mode', title: '再开发模式', variants: ['盘活模式', '开发模式'], type: 'enum', enum: MODES, required: true, help: MODES.join('/') },
    { key: 'developer', title: '开发主体', variants: ['实施主体'], type: 'text', required: true, help: '负责实施的开发主体' },
    { key: 'content', title: '实施内容', variants: ['建设内容', '主要内容'], type: 'text', required: true, help: '再开发的主要内容' },
    { key: 'planYear', title: '计划年度', variants: ['实施年度', '计划实施年度'], type: 'year', required: true, min: 2024, max: 2035, help: '纳入哪一年度的实施计划，如 2027' },
    { key: 'maturity', title: '成熟度', variants: ['成熟程度'], type: 'enum', enum: MATURITIES, required: true, help: '成熟（成熟一批）/推动（推动一批）' },
    { key: 'plannedStart', title: '计划开工日期', variants: ['计划开工时间'], type: 'date', help: '计划开工日期' },
    { key: 'plannedEnd', title: '计划完成日期', variants: ['计划完成时间', '计划竣工日期'], type: 'date', required: true, help: '计划完成日期' },
    { key: 'investment', title: '投资估算(万元)', variants: ['投资估算', '总投资(万元)', '估算投资(万元)'], type: 'number', unit: 'wan', min: 0, help: '投资估算，单位万元；项目涉及多宗地时，可只在一行或每行填写相同的项目总额，也可各行分填本宗地的投资（按各行之和计）' },
    { key: 'fundSource', title: '资金来源', type: 'enum', enum: FUND_SOURCES, help: FUND_SOURCES.join('/') },
    unitField('leadUnit', '牵头单位', ['责任牵头单位'], true, '工作专班成员单位或街道（全称或通用简称）'),
    { ...unitField('coUnits', '配合单位', ['协同单位'], false, '工作专班成员单位或街道（全称或通用简称），多个用顿号分隔'), several: true },
    { key: 'planStatus', title: '方案状态', variants: ['一地一策方案状态'], type: 'enum', enum: PLAN_STATUSES, required: true, help: PLAN_STATUSES.join('/') },
    { key: 'status', title: '项目状态', variants: ['状态'], type: 'enum', enum: PROJECT_STATUSES, required: true, help: PROJECT_STATUSES.join('/') },
    { key: 'expectedTax', title: '预期新增税收(万元/年)', variants: ['预期新增税收', '预计新增税收(万元/年)'], type: 'number', unit: 'wan', min: 0, help: '盘活后预期每年新增税收，单位万元' },
    { key: 'expectedOutput', title: '预期新增产值(万元/年)', variants: ['预期新增产值', '预计新增产值(万元/年)'], type: 'number', unit: 'wan', min: 0, help: '盘活后预期每年新增产值，单位万元' },
    { key: 'coordination', title: '需协调事项', variants: ['需协调解决事项', '存在问题'], type: 'text', help: '需工作专班协调的事项' },
  ],
};
