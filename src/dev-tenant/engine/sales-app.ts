/**
 * The built-in "Sales" app: generated order lines, two sheets, and master visualizations in
 * the shapes Qlik Sense stores them (`qHyperCubeDef`, `qListObjectDef`, `qChildListDef`, …).
 */
import type { AppObjectDef, SampleApp } from './app.ts';
import type { NumFormat } from './data-model.ts';
import type { JsonObject } from './json.ts';
import { salesLibrary } from './sales-library.ts';
import { DEFAULT_ROWS, DEFAULT_SEED, SALES_FIELDS, generateSalesRows } from './sales-data.ts';

/** The Sales app's id: fixed, GUID-shaped like a Qlik Cloud app id. */
export const SAMPLE_APP_ID = '6f1c2a4e-8b3d-4c7a-9e21-5d0f3b8a7c64';

export const SALES_OBJECT_IDS = {
  overviewSheet: 'sheet-overview',
  detailsSheet: 'sheet-details',
  kpi: 'kpi-total-sales',
  bar: 'bar-sales-by-region',
  line: 'line-sales-by-month',
  table: 'table-sales-details',
  pie: 'pie-sales-by-category',
  filterPane: 'filterpane-main',
  regionListbox: 'listbox-region',
  categoryListbox: 'listbox-category',
  yearListbox: 'listbox-year',
  text: 'text-about',
} as const;

const MONEY: NumFormat = { qType: 'M', qnDec: 0, qUseThou: 1, qFmt: '$#,##0', qDec: '.', qThou: ',' };
const INTEGER: NumFormat = { qType: 'F', qnDec: 0, qUseThou: 1, qFmt: '#,##0', qDec: '.', qThou: ',' };

interface SortCriteria {
  qSortByState?: number;
  qSortByNumeric?: number;
  qSortByAscii?: number;
  qSortByLoadOrder?: number;
}

function dimension(field: string, label: string, sort: SortCriteria = { qSortByAscii: 1, qSortByLoadOrder: 1 }): JsonObject {
  return {
    qDef: {
      qGrouping: 'N',
      qFieldDefs: [field],
      qFieldLabels: [label],
      qSortCriterias: [{ qSortByState: 0, qSortByFrequency: 0, qSortByNumeric: 0, qSortByAscii: 0, qSortByLoadOrder: 0, qSortByExpression: 0, qExpression: { qv: '' }, ...sort }],
      qNumberPresentations: [],
      qReverseSort: false,
      qActiveField: 0,
      cId: `d-${field}`,
      othersLabel: 'Others',
    },
    qNullSuppression: false,
    qIncludeElemValue: false,
    qShowTotal: false,
    qShowAll: false,
    qOtherLabel: { qv: 'Others' },
    qTotalLabel: { qv: '' },
    qCalcCond: { qv: '' },
    qAttributeExpressions: [],
    qAttributeDimensions: [],
  };
}

function measure(expression: string, label: string, format: NumFormat, sortNumeric = -1): JsonObject {
  return {
    qDef: {
      qLabel: label,
      qDescription: '',
      qTags: [],
      qGrouping: 'N',
      qDef: expression,
      qNumFormat: format,
      qRelative: false,
      qBrutalSum: false,
      qAggrFunc: 'Expr',
      qAccumulate: 0,
      qReverseSort: false,
      qActiveExpression: 0,
      qExpressions: [],
      qLabelExpression: '',
      autoSort: true,
      cId: `m-${label.toLowerCase().replace(/\W+/g, '-')}`,
      numFormatFromTemplate: false,
    },
    qLibraryId: '',
    qSortBy: { qSortByState: 0, qSortByFrequency: 0, qSortByNumeric: sortNumeric, qSortByAscii: 0, qSortByLoadOrder: 1, qSortByExpression: 0, qExpression: { qv: '' } },
    qAttributeExpressions: [],
    qAttributeDimensions: [],
    qCalcCond: { qv: '' },
  };
}

function hyperCube(dimensions: JsonObject[], measures: JsonObject[], sortOrder: number[], fetchHeight: number): JsonObject {
  const width = dimensions.length + measures.length;
  return {
    qStateName: '',
    qDimensions: dimensions,
    qMeasures: measures,
    qInterColumnSortOrder: sortOrder,
    qSuppressZero: false,
    qSuppressMissing: true,
    qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: width, qHeight: Math.floor(Math.min(fetchHeight, 10_000 / width)) }],
    qMode: 'S',
    qNoOfLeftDims: -1,
    qAlwaysFullyExpanded: false,
    qColumnOrder: [],
    qCalcCondition: { qCond: { qv: '' }, qMsg: { qv: '' } },
  };
}

function masterObject(id: string, visualization: string, title: string, description: string, extra: JsonObject): AppObjectDef {
  return {
    properties: {
      qInfo: { qId: id, qType: 'masterobject' },
      qMetaDef: { title, description, tags: [] },
      visualization,
      version: '1.0.0',
      showTitles: true,
      title,
      subtitle: '',
      footnote: '',
      ...extra,
    },
  };
}

function listbox(id: string, field: string, title: string, sort: SortCriteria): AppObjectDef {
  return {
    properties: {
      qInfo: { qId: id, qType: 'listbox' },
      qMetaDef: {},
      visualization: 'listbox',
      title,
      showTitles: true,
      qListObjectDef: {
        qStateName: '',
        qLibraryId: '',
        qDef: { qFieldDefs: [field], qFieldLabels: [title], qSortCriterias: [{ qSortByState: 1, qSortByFrequency: 0, qSortByExpression: 0, qExpression: { qv: '' }, qSortByNumeric: 0, qSortByAscii: 0, qSortByLoadOrder: 0, ...sort }], qGrouping: 'N' },
        qShowAlternatives: true,
        qFrequencyMode: 'N',
        qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 1, qHeight: 100 }],
        qExpressions: [],
      },
    },
  };
}

interface Cell {
  name: string;
  type: string;
  col: number;
  row: number;
  colspan: number;
  rowspan: number;
}

function sheet(id: string, title: string, description: string, rank: number, cells: Cell[]): AppObjectDef {
  const columns = 24;
  const rows = 12;
  return {
    properties: {
      qInfo: { qId: id, qType: 'sheet' },
      qMetaDef: { title, description },
      rank,
      thumbnail: { qStaticContentUrlDef: {} },
      columns,
      rows,
      cells: cells.map((c) => ({
        ...c,
        bounds: { x: (c.col / columns) * 100, y: (c.row / rows) * 100, width: (c.colspan / columns) * 100, height: (c.rowspan / rows) * 100 },
      })),
      qChildListDef: { qData: { title: '/title', visualization: '/visualization' } },
    },
  };
}

function salesObjects(): AppObjectDef[] {
  const ids = SALES_OBJECT_IDS;
  return [
    sheet(ids.overviewSheet, 'Overview', 'Sales at a glance: totals, regions, categories and the monthly trend.', 0, [
      { name: ids.kpi, type: 'kpi', col: 0, row: 0, colspan: 6, rowspan: 3 },
      { name: ids.text, type: 'text-image', col: 6, row: 0, colspan: 6, rowspan: 3 },
      { name: ids.filterPane, type: 'filterpane', col: 12, row: 0, colspan: 12, rowspan: 3 },
      { name: ids.bar, type: 'barchart', col: 0, row: 3, colspan: 12, rowspan: 5 },
      { name: ids.pie, type: 'piechart', col: 12, row: 3, colspan: 12, rowspan: 5 },
      { name: ids.line, type: 'linechart', col: 0, row: 8, colspan: 24, rowspan: 4 },
    ]),
    sheet(ids.detailsSheet, 'Details', 'Sales and quantities by country and product.', 1, [
      { name: ids.filterPane, type: 'filterpane', col: 0, row: 0, colspan: 6, rowspan: 12 },
      { name: ids.kpi, type: 'kpi', col: 6, row: 0, colspan: 18, rowspan: 2 },
      { name: ids.table, type: 'table', col: 6, row: 2, colspan: 18, rowspan: 10 },
    ]),
    masterObject(ids.kpi, 'kpi', 'Total sales', 'Sum of sales for the current selection.', {
      qHyperCubeDef: hyperCube([], [measure('Sum(Sales)', 'Total sales', MONEY)], [0], 1),
      showMeasureTitle: true,
      textAlign: 'center',
      fontSize: 'M',
    }),
    masterObject(ids.bar, 'barchart', 'Sales by region', 'Sum of sales per region, largest first.', {
      qHyperCubeDef: hyperCube([dimension('Region', 'Region')], [measure('Sum(Sales)', 'Sales', MONEY)], [1, 0], 500),
      orientation: 'vertical',
      barGrouping: { grouping: 'grouped' },
      dataPoint: { showLabels: true },
    }),
    masterObject(ids.line, 'linechart', 'Sales by month', 'Monthly sales over the whole period.', {
      qHyperCubeDef: hyperCube([dimension('YearMonth', 'Month', { qSortByNumeric: 1 })], [measure('Sum(Sales)', 'Sales', MONEY)], [0, 1], 500),
      lineType: 'line',
      dataPoint: { show: false },
    }),
    masterObject(ids.table, 'table', 'Sales by country and product', 'Sales and quantity for every country and product.', {
      qHyperCubeDef: hyperCube(
        [dimension('Country', 'Country'), dimension('Product', 'Product')],
        [measure('Sum(Sales)', 'Sales', MONEY), measure('Sum(Quantity)', 'Quantity', INTEGER)],
        [0, 1, 2, 3],
        100,
      ),
      totals: { show: true, position: 'top', label: 'Totals' },
    }),
    masterObject(ids.pie, 'piechart', 'Sales by category', 'Share of sales per product category.', {
      qHyperCubeDef: hyperCube([dimension('Category', 'Category')], [measure('Sum(Sales)', 'Sales', MONEY)], [1, 0], 100),
      donut: { showAsDonut: false },
    }),
    {
      ...masterObject(ids.filterPane, 'filterpane', 'Filters', 'Region, category and year.', {
        qChildListDef: { qData: { title: '/title', visualization: '/visualization' } },
      }),
      children: [ids.regionListbox, ids.categoryListbox, ids.yearListbox],
    },
    listbox(ids.regionListbox, 'Region', 'Region', { qSortByAscii: 1 }),
    listbox(ids.categoryListbox, 'Category', 'Category', { qSortByAscii: 1 }),
    listbox(ids.yearListbox, 'Year', 'Year', { qSortByNumeric: 1 }),
    masterObject(ids.text, 'text-image', 'About this app', 'What the data is.', {
      markdown:
        '**Sales** is generated order-line data for a bicycle retailer: orders from 2022 to 2024 ' +
        'across four regions, with products in five categories. Select in any chart to filter the others.',
    }),
  ];
}

export interface SalesAppOptions {
  /** Number of order lines; default 50 000. */
  rows?: number;
  seed?: number;
  /** App id; default SAMPLE_APP_ID. */
  id?: string;
  title?: string;
}

/** The Sales app, with `rows` generated order lines (the generation runs at engine start). */
export function createSalesApp(options: SalesAppOptions = {}): SampleApp {
  const rows = options.rows ?? DEFAULT_ROWS;
  const seed = options.seed ?? DEFAULT_SEED;
  return {
    id: options.id ?? SAMPLE_APP_ID,
    title: options.title ?? 'Sales',
    description: `Order lines for a bicycle retailer, ${rows.toLocaleString('en-US')} rows generated from seed ${seed}.`,
    lastReloadTime: '2025-01-02T06:00:00.000Z',
    load: () => ({ name: 'Orders', fields: SALES_FIELDS, rows: generateSalesRows(rows, seed) }),
    objects: salesObjects(),
    library: salesLibrary(),
  };
}
