/** Messages between the pane and the analysis worker (structured-cloned plain data). */
import type { SheetGrid } from '../../shared/grid';
import type { Analysis, AnalyseOptions } from '../engine';

export interface AnalysisRequest {
  id: number;
  grid: SheetGrid;
  file: string;
  opts?: AnalyseOptions;
}

/** The analysis without its grid: the pane has the grid already, sending it back would copy it twice. */
export type AnalysisAnswer = Omit<Analysis, 'grid'>;

export type AnalysisResponse = { id: number; analysis: AnalysisAnswer | null } | { id: number; error: string };
