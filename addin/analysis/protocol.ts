/** Messages between the pane and the analysis worker (structured-cloned plain data). */
import type { SheetGrid } from '../../shared/grid';
import type { Analysis, AnalyseOptions } from '../engine';

export interface AnalysisRequest {
  id: number;
  grid: SheetGrid;
  file: string;
  opts?: AnalyseOptions;
}

export type AnalysisResponse = { id: number; analysis: Analysis | null } | { id: number; error: string };
