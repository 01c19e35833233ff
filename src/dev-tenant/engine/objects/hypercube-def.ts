/**
 * The definition parts of a stored generic object, in the shapes Qlik Sense saves them:
 * `qHyperCubeDef` with its dimensions and measures (inline, or master items by `qLibraryId`)
 * and `qListObjectDef`. Every key Qlik writes is written, even at its default, because
 * Qlik's own clients (nebula.js's sn-* charts) read them without checking.
 */
import type { NumFormat } from '../data-model.ts';
import type { JsonObject } from '../json.ts';

export const MONEY: NumFormat = { qType: 'M', qnDec: 0, qUseThou: 1, qFmt: '$#,##0', qDec: '.', qThou: ',' };
export const INTEGER: NumFormat = { qType: 'F', qnDec: 0, qUseThou: 1, qFmt: '#,##0', qDec: '.', qThou: ',' };

export interface SortCriteria {
  qSortByState?: number;
  qSortByFrequency?: number;
  qSortByNumeric?: number;
  qSortByAscii?: number;
  qSortByLoadOrder?: number;
}

/** Sorting a dimension's values the way Qlik Sense's editor sets up a new one. */
const DEFAULT_DIMENSION_SORT: SortCriteria = { qSortByAscii: 1, qSortByLoadOrder: 1 };

function sortCriteria(sort: SortCriteria): JsonObject {
  return { qSortByState: 0, qSortByFrequency: 0, qSortByNumeric: 0, qSortByAscii: 0, qSortByLoadOrder: 0, qSortByExpression: 0, qExpression: { qv: '' }, ...sort };
}

/** "Others" grouping switched off, as a new dimension has it. */
function otherTotalSpec(): JsonObject {
  return {
    qOtherMode: 'OTHER_OFF',
    qOtherCounted: { qv: '10' },
    qOtherLimit: { qv: '0' },
    qOtherLimitMode: 'OTHER_GE_LIMIT',
    qSuppressOther: false,
    qForceBadValueKeeping: true,
    qApplyEvenWhenPossiblyWrongResult: true,
    qGlobalOtherGrouping: false,
    qOtherCollapseInnerDimensions: false,
    qOtherSortMode: 'OTHER_SORT_DESCENDING',
    qTotalMode: 'TOTAL_OFF',
    qReferencedExpression: { qv: '' },
  };
}

function cid(prefix: string, name: string): string {
  return `${prefix}-${name.toLowerCase().replace(/\W+/g, '-')}`;
}

function dimensionDef(qLibraryId: string, fields: string[], labels: string[], sort: SortCriteria, id: string): JsonObject {
  return {
    qLibraryId,
    qDef: {
      qGrouping: 'N',
      qFieldDefs: fields,
      qFieldLabels: labels,
      qSortCriterias: [sortCriteria(sort)],
      qNumberPresentations: [],
      qReverseSort: false,
      qActiveField: 0,
      qLabelExpression: '',
      autoSort: true,
      cId: id,
      othersLabel: 'Others',
    },
    qNullSuppression: false,
    qIncludeElemValue: false,
    qOtherTotalSpec: otherTotalSpec(),
    qShowTotal: false,
    qShowAll: false,
    qOtherLabel: { qv: 'Others' },
    qTotalLabel: { qv: '' },
    qCalcCond: { qv: '' },
    qAttributeExpressions: [],
    qAttributeDimensions: [],
    qCalcCondition: { qCond: { qv: '' }, qMsg: { qv: '' } },
  };
}

/** A dimension on a field, defined in the object itself. */
export function dimension(field: string, label: string, sort: SortCriteria = DEFAULT_DIMENSION_SORT): JsonObject {
  return dimensionDef('', [field], [label], sort, cid('d', field));
}

/** A dimension that points at a master dimension; the engine resolves the field from the library. */
export function libraryDimension(qLibraryId: string, sort: SortCriteria = DEFAULT_DIMENSION_SORT): JsonObject {
  return dimensionDef(qLibraryId, [], [], sort, cid('d', qLibraryId));
}

export interface MeasureOptions {
  /** -1 sorts largest first (Qlik's default for a new measure), 1 smallest first, 0 not by value. */
  sortNumeric?: number;
  /** Extra keys in `qDef`, e.g. a combo chart's `series`. */
  extra?: JsonObject;
}

function measureDef(qLibraryId: string, expression: string, label: string, format: NumFormat | undefined, options: MeasureOptions, id: string): JsonObject {
  return {
    qLibraryId,
    qDef: {
      qLabel: label,
      qDescription: '',
      qTags: [],
      qGrouping: 'N',
      qDef: expression,
      ...(format ? { qNumFormat: format } : {}),
      qRelative: false,
      qBrutalSum: false,
      qAggrFunc: 'Expr',
      qAccumulate: 0,
      qReverseSort: false,
      qActiveExpression: 0,
      qExpressions: [],
      qLabelExpression: '',
      autoSort: true,
      cId: id,
      numFormatFromTemplate: format === undefined,
      ...options.extra,
    },
    qSortBy: sortCriteria({ qSortByNumeric: options.sortNumeric ?? -1, qSortByLoadOrder: 1 }),
    qAttributeExpressions: [],
    qAttributeDimensions: [],
    qCalcCond: { qv: '' },
    qCalcCondition: { qCond: { qv: '' }, qMsg: { qv: '' } },
    qTrendLines: [],
    qMiniChartDef: { qDef: '', qLibraryId: '', qSortBy: sortCriteria({}), qOtherTotalSpec: otherTotalSpec(), qMaxNumberPoints: -1, qAttributeExpressions: [], qNullSuppression: false },
  };
}

/** A measure defined in the object itself. */
export function measure(expression: string, label: string, format: NumFormat, options: MeasureOptions = {}): JsonObject {
  return measureDef('', expression, label, format, options, cid('m', label));
}

/** A measure that points at a master measure; label, expression and format come from the library. */
export function libraryMeasure(qLibraryId: string, options: MeasureOptions = {}): JsonObject {
  return measureDef(qLibraryId, '', '', undefined, options, cid('m', qLibraryId));
}

export interface HyperCubeOptions {
  /** Rows of the first data page. */
  fetchHeight: number;
  /** 'S' straight (default), 'P' pivot, 'K' stacked. */
  mode?: 'S' | 'P' | 'K';
  /** Pivot tables: how many dimensions go down the left; the rest go across the top. */
  leftDimensions?: number;
  suppressZero?: boolean;
  /** Combo and pivot charts ask the engine for every level expanded. */
  alwaysFullyExpanded?: boolean;
}

export function hyperCube(dimensions: JsonObject[], measures: JsonObject[], sortOrder: number[], options: HyperCubeOptions): JsonObject {
  const width = dimensions.length + measures.length;
  const mode = options.mode ?? 'S';
  return {
    qStateName: '',
    qDimensions: dimensions,
    qMeasures: measures,
    qInterColumnSortOrder: sortOrder,
    qSuppressZero: options.suppressZero ?? false,
    qSuppressMissing: true,
    qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: width, qHeight: Math.floor(Math.min(options.fetchHeight, 10_000 / width)) }],
    qReductionMode: 'N',
    qMode: mode,
    qPseudoDimPos: -1,
    qNoOfLeftDims: mode === 'P' ? (options.leftDimensions ?? 1) : -1,
    qAlwaysFullyExpanded: options.alwaysFullyExpanded ?? false,
    qMaxStackedCells: 5000,
    qPopulateMissing: false,
    qShowTotalsAbove: mode === 'P',
    qIndentMode: false,
    qCalcCond: { qv: '' },
    qSortbyYValue: 0,
    qTitle: { qv: '' },
    qCalcCondition: { qCond: { qv: '' }, qMsg: { qv: '' } },
    qColumnOrder: [],
    qExpansionState: [],
    qDynamicScript: [],
    qContextMenu: { qv: '' },
    columnOrder: [],
    columnWidths: [],
  };
}

/** A list box's `qListObjectDef`. */
export function listObjectDef(field: string, title: string, sort: SortCriteria): JsonObject {
  return {
    qStateName: '',
    qLibraryId: '',
    qDef: {
      qFieldDefs: [field],
      qFieldLabels: [title],
      qSortCriterias: [{ ...sortCriteria({ qSortByState: 1 }), ...sort }],
      qGrouping: 'N',
      qNumberPresentations: [],
      qReverseSort: false,
      qActiveField: 0,
      autoSort: true,
    },
    qShowAlternatives: true,
    qFrequencyMode: 'N',
    qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 1, qHeight: 100 }],
    qExpressions: [],
    qOtherTotalSpec: otherTotalSpec(),
  };
}
