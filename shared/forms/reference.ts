import { enterpriseNameField, industryClassField, industryCodeField, industryNameField, usccField, yearField } from './common';
import { FormDef } from './types';

export const taxForm: FormDef = {
  id: 'tax',
  title: '企业纳税表',
  filledBy: '区税务局',
  kind: 'reference',
  key: ['uscc', 'year'],
  fields: [
    usccField,
    enterpriseNameField,
    industryCodeField(false),
    yearField,
    { key: 'taxTotal', title: '纳税总额(万元)', variants: ['纳税总额', '税收总额(万元)', '实缴税款(万元)', '纳税额(万元)'], type: 'number', unit: 'wan', required: true, min: 0, help: '企业该年度纳税总额，单位万元' },
  ],
};

export const taxBenchmarkForm: FormDef = {
  id: 'taxBenchmark',
  title: '行业亩均税收表',
  filledBy: '区税务局',
  kind: 'reference',
  key: ['industryClass'],
  fields: [
    industryClassField,
    industryNameField,
    { key: 'taxPerMu', title: '亩均税收(万元/亩)', variants: ['亩均税收', '亩均税收（万元/亩）', '行业亩均税收(万元/亩)'], type: 'number', unit: 'wanPerMu', required: true, min: 0, minExclusive: true, help: '行业亩均税收基准值，单位万元/亩' },
  ],
};

export const outputForm: FormDef = {
  id: 'output',
  title: '企业产值表',
  filledBy: '区市场监管局',
  kind: 'reference',
  key: ['uscc', 'year'],
  fields: [
    usccField,
    enterpriseNameField,
    yearField,
    { key: 'output', title: '产值(万元)', variants: ['产值', '年产值(万元)', '工业总产值(万元)', '营业收入(万元)'], type: 'number', unit: 'wan', required: true, min: 0, help: '企业该年度产值，单位万元' },
  ],
};

export const outputBenchmarkForm: FormDef = {
  id: 'outputBenchmark',
  title: '行业亩均产值表',
  filledBy: '区市场监管局',
  kind: 'reference',
  key: ['industryClass'],
  fields: [
    industryClassField,
    industryNameField,
    { key: 'outputPerMu', title: '亩均产值(万元/亩)', variants: ['亩均产值', '亩均产值（万元/亩）', '行业亩均产值(万元/亩)'], type: 'number', unit: 'wanPerMu', required: true, min: 0, minExclusive: true, help: '行业亩均产值基准值，单位万元/亩' },
  ],
};

export const environmentForm: FormDef = {
  id: 'environment',
  title: '环保情况表',
  filledBy: '区生态环境局',
  kind: 'reference',
  key: ['uscc'],
  fields: [
    usccField,
    enterpriseNameField,
    { key: 'compliant', title: '是否符合环保要求', variants: ['是否符合环保', '环保是否达标', '符合环保要求'], type: 'bool', required: true, help: '是/否' },
    { key: 'emissions', title: '排放情况', variants: ['污染物排放情况'], type: 'text', help: '污染物排放情况说明' },
    { key: 'eia', title: '环评手续', variants: ['环评情况', '环评'], type: 'enum', enum: ['有', '无'], help: '有/无' },
  ],
};
