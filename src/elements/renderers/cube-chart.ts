import type { SVGTemplateResult } from 'lit';
import type { Size } from '../../qlik/chart-layout.ts';
import type { GenericObjectLayout, HyperCube, NxCell } from '../../qlik/qix-types.ts';
import { chartFrame, sizeOf } from './chart.ts';
import { emptyState } from './empty-state.ts';
import { cubeWith, HYPERCUBE_PATH, loadCubeRows, measureValuesOf, textOf } from '../../qlik/hypercube.ts';
import type { KitStringKey } from '../../qlik/i18n.ts';
import type { RendererFactory } from './types.ts';

/** What a hypercube chart gets to draw. */
export interface CubeChartData {
  layout: GenericObjectLayout;
  cube: HyperCube;
  /** The rows to draw (never empty): dimension cells first, then measure cells. */
  rows: NxCell[][];
  /** The box to lay out in, in CSS pixels. */
  size: Size;
  /** Selects a cell's value of dimension `dimension` (default the first) in the engine. */
  select(cell: NxCell, dimension?: number): void;
}

export interface CubeChart {
  /** The empty state's text, when the object lacks the fields the chart needs. */
  needs: Extract<KitStringKey, 'chartNeedsMeasure' | 'chartNeedsTwoMeasures'>;
  dimensions: number;
  measures: number;
  /** The most rows fetched and drawn. */
  maxRows: number;
  /** The rows worth drawing (default: all); with none left the chart says so (`noData`). */
  drawable?(rows: NxCell[][], cube: HyperCube): NxCell[][];
  /** The SVG content and its accessible description. */
  draw(data: CubeChartData): { description: string; content: SVGTemplateResult };
}

/**
 * A chart of a hypercube: loads up to `maxRows` rows on every layout, selects a value when its
 * mark is activated, and frames what `draw` returns with the title, the description, and a box
 * the host measures so the chart is drawn at its real size.
 */
export function cubeChartRenderer(chart: CubeChart): RendererFactory {
  return (host) => {
    let layout: GenericObjectLayout | undefined;
    let rows: NxCell[][] = [];

    const select = (cube: HyperCube, cell: NxCell, dimension = 0) => {
      // The data point's measure values go with the selection (`qlik-data-point-click` carries them).
      const measureValues = measureValuesOf(cube, rows.find((r) => r[dimension] === cell) ?? []);
      void host.select(
        { action: 'select', objectId: host.objectId, field: cube.qDimensionInfo[dimension]?.qFallbackTitle ?? '', values: [textOf(cell)] },
        () => host.model.selectHyperCubeValues(HYPERCUBE_PATH, dimension, [cell.qElemNumber], true),
        { measureValues },
      );
    };

    return {
      async update(next, signal) {
        layout = next;
        const cube = cubeWith(next, chart.dimensions, chart.measures);
        rows = cube ? await loadCubeRows(host.model, cube, chart.maxRows, signal) : [];
      },
      render({ title, box, strings }) {
        const cube = layout && cubeWith(layout, chart.dimensions, chart.measures);
        if (!layout || !cube) return emptyState(strings[chart.needs]);
        const drawn = chart.drawable ? chart.drawable(rows, cube) : rows;
        if (drawn.length === 0) return emptyState(strings.noData);
        const size = sizeOf(box);
        const { description, content } = chart.draw({ layout, cube, rows: drawn, size: size ?? { width: 0, height: 0 }, select: (cell, dimension) => select(cube, cell, dimension) });
        return chartFrame(title, description, box, size, content);
      },
    };
  };
}
