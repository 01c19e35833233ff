import type { SVGTemplateResult } from 'lit';
import type { GenericObjectLayout, NxCell } from '../../qlik/qix-types.ts';
import { chartFrame, describeSeries } from './chart.ts';
import { emptyState } from './empty-state.ts';
import { cubeWith, HYPERCUBE_PATH, loadCubeRows, numberOf, textOf } from './hypercube.ts';
import type { RendererFactory } from './types.ts';

/** What a one-dimension, one-measure chart gets to draw. */
export interface CubeChartData {
  layout: GenericObjectLayout;
  /** The rows to draw (never empty): the first dimension's cell at 0, the measure's at `m`. */
  rows: NxCell[][];
  /** The measure's column in each row. */
  m: number;
  /** Selects a dimension cell's value in the engine (a click, or Enter/Space, on its mark). */
  select(cell: NxCell): void;
}

export interface CubeChart {
  /** For the empty state: "This {name} needs a dimension and a measure." */
  name: string;
  /** The most rows fetched and drawn. */
  maxRows: number;
  /** The rows worth drawing (default: all); with none left the chart says "No data." */
  drawable?(rows: NxCell[][], m: number): NxCell[][];
  /** The chart's kind for its accessible description ("Bar chart"), and its SVG content. */
  draw(data: CubeChartData): { kind: string; content: SVGTemplateResult };
}

/**
 * A chart of the first dimension by the first measure: loads up to `maxRows` rows on every
 * layout, selects a value when its mark is activated, and frames what `draw` returns with the
 * title and a description listing the values.
 */
export function cubeChartRenderer(chart: CubeChart): RendererFactory {
  return (host) => {
    let layout: GenericObjectLayout | undefined;
    let rows: NxCell[][] = [];

    const select = (cell: NxCell, dimension: string) => {
      const cube = layout?.qHyperCube;
      const row = rows.find((r) => r[0] === cell) ?? [];
      const first = cube?.qDimensionInfo.length ?? 1;
      const measureValues = (cube?.qMeasureInfo ?? []).map((info, i) => ({ measure: info.qFallbackTitle, text: textOf(row[first + i]), number: numberOf(row[first + i]) }));
      void host.select(
        { action: 'select', objectId: host.objectId, field: dimension, values: [textOf(cell)] },
        () => host.model.selectHyperCubeValues(HYPERCUBE_PATH, 0, [cell.qElemNumber], true),
        { measureValues },
      );
    };

    return {
      async update(next, signal) {
        layout = next;
        const cube = cubeWith(next, 1, 1);
        rows = cube ? await loadCubeRows(host.model, cube, chart.maxRows, signal) : [];
      },
      render({ title }) {
        const cube = layout && cubeWith(layout, 1, 1);
        if (!layout || !cube) return emptyState(`This ${chart.name} needs a dimension and a measure.`);
        const m = cube.qDimensionInfo.length;
        const drawn = chart.drawable ? chart.drawable(rows, m) : rows;
        if (drawn.length === 0) return emptyState('No data.');
        const dimension = cube.qDimensionInfo[0]?.qFallbackTitle ?? '';
        const measure = cube.qMeasureInfo[0]?.qFallbackTitle ?? '';
        const { kind, content } = chart.draw({ layout, rows: drawn, m, select: (cell) => select(cell, dimension) });
        return chartFrame(title, describeSeries(kind, dimension, measure, drawn.map((row) => [row[0], row[m]])), content);
      },
    };
  };
}
