/** List objects (what a list box shows): every value of one field with its selection state. */
import type { DataModel, Field } from './data-model.ts';
import type { ListObjectDef, Page } from './definitions.ts';
import { dimensionType } from './hypercube.ts';
import { checkPageSize, clipPage, qNum } from './pages.ts';
import type { JsonObject } from './json.ts';
import { AUTO_FORMAT } from './number-format.ts';
import type { CellState, SelectionState } from './selection.ts';
import { primaryDirection, sortIndicator, valueRanks } from './sorting.ts';
import { searchMatcher } from './text-match.ts';

export interface ListResult {
  def: ListObjectDef;
  field: Field | undefined;
  /** Value indexes in display order (only the matches while a search is active). */
  order: number[];
  states: Map<number, CellState>;
  state: SelectionState;
}

const STATE_RANK: Record<CellState, number> = { S: 0, L: 0, O: 1, A: 2, XS: 3, X: 4 };

export function computeListObject(model: DataModel, state: SelectionState, def: ListObjectDef, search: string | undefined): ListResult {
  const field = model.field(def.field);
  if (!field) return { def, field, order: [], states: new Map(), state };
  const match = search !== undefined ? searchMatcher(search) : undefined;
  const states = new Map<number, CellState>();
  const order: number[] = [];
  for (let v = 0; v < field.cardinal; v += 1) {
    if (match && !match((field.values[v] as { text: string }).text)) continue;
    states.set(v, state.stateOf(field, v, def.showAlternatives));
    order.push(v);
  }
  const ranks = valueRanks(field, def.sort);
  const byState = Math.sign(def.sort.state);
  order.sort((a, b) => {
    if (byState) {
      const d = (STATE_RANK[states.get(a) as CellState] - STATE_RANK[states.get(b) as CellState]) * byState;
      if (d) return d;
    }
    return (ranks[a] as number) - (ranks[b] as number);
  });
  return { def, field, order, states, state };
}

export function listObjectPages(list: ListResult, pages: readonly Page[]): JsonObject[] {
  checkPageSize(pages);
  const field = list.field;
  return pages.map((requested) => {
    const area = clipPage(requested, field ? 1 : 0, list.order.length);
    const qMatrix: JsonObject[][] = [];
    if (field && area.qWidth > 0) {
      for (let y = area.qTop; y < area.qTop + area.qHeight; y += 1) {
        const v = list.order[y] as number;
        const value = field.values[v] as { text: string; num: number };
        qMatrix.push([{ qText: value.text, qNum: qNum(value.num), qElemNumber: v, qState: list.states.get(v) as CellState }]);
      }
    }
    return { qMatrix, qTailSize: { qcx: 0, qcy: 0 }, qArea: area, qIsReduced: false };
  });
}

export function listObjectLayout(list: ListResult): JsonObject {
  const { def, field } = list;
  const title = def.label || def.field;
  if (!field) {
    return {
      qSize: { qcx: 0, qcy: 0 },
      qDimensionInfo: { qFallbackTitle: title, qApprMaxGlyphCount: 0, qCardinal: 0, qSortIndicator: 'N', qGroupFallbackTitles: [title], qGroupPos: 0, qGroupFieldDefs: [def.field], qError: { qErrorCode: 7000, qContext: `Field not found: ${def.field}` } },
      qExpressions: [],
      qDataPages: [],
      qError: { qErrorCode: 7000, qContext: `Field not found: ${def.field}` },
    };
  }
  let glyphs = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of field.values) {
    glyphs = Math.max(glyphs, value.text.length);
    if (!Number.isNaN(value.num)) {
      min = Math.min(min, value.num);
      max = Math.max(max, value.num);
    }
  }
  const format = field.spec.numFormat ?? { ...AUTO_FORMAT, qnDec: 0 };
  return {
    qSize: { qcx: 1, qcy: list.order.length },
    qDimensionInfo: {
      qFallbackTitle: title,
      qApprMaxGlyphCount: glyphs,
      qCardinal: field.cardinal,
      qLocked: false,
      qSortIndicator: sortIndicator(primaryDirection(def.sort), false),
      qGroupFallbackTitles: [title],
      qGroupPos: 0,
      qStateCounts: list.state.stateCounts(field, def.showAlternatives),
      qTags: [...field.tags],
      qDimensionType: dimensionType(field),
      qGrouping: 'N',
      qNumFormat: format,
      qIsAutoFormat: format.qType === 'U',
      qGroupFieldDefs: [def.field],
      qMin: qNum(min === Number.POSITIVE_INFINITY ? Number.NaN : min),
      qMax: qNum(max === Number.NEGATIVE_INFINITY ? Number.NaN : max),
      qContinuousAxes: false,
      qIsCyclic: false,
      qDerivedField: false,
      qAttrExprInfo: [],
      qAttrDimInfo: [],
      qCardinalities: { qCardinal: field.cardinal, qHypercubeCardinal: list.order.length, qAllValuesCardinal: -1 },
    },
    qExpressions: [],
    qDataPages: listObjectPages(list, def.initialFetch),
  };
}
