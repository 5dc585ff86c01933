export * from './generate';
export { writeSampleWorkbooks, type WrittenSample } from './write';
