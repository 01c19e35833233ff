/**
 * The built-in "Sales" app: generated order lines, three sheets, and master visualizations
 * stored with the complete property trees Qlik Sense saves for each chart type (see
 * objects/chart-properties.ts), some referring to the app's master items by `qLibraryId`
 * (sales-library.ts).
 */
import type { AppObjectDef, SampleApp } from './app.ts';
import {
  barChartProperties,
  comboChartProperties,
  comboSeries,
  filterPaneProperties,
  kpiProperties,
  lineChartProperties,
  pieChartProperties,
  pivotTableProperties,
  scatterPlotProperties,
  tableProperties,
} from './objects/chart-properties.ts';
import { listbox, masterObject, sheet } from './objects/generic-objects.ts';
import { dimension, hyperCube, INTEGER, libraryDimension, libraryMeasure, measure, MONEY } from './objects/hypercube-def.ts';
import { DEFAULT_ROWS, DEFAULT_SEED, SALES_FIELDS, generateSalesRows } from './sales-data.ts';
import { SALES_LIBRARY_IDS, salesLibrary } from './sales-library.ts';

/** The Sales app's id: fixed, GUID-shaped like a Qlik Cloud app id. */
export const SAMPLE_APP_ID = '6f1c2a4e-8b3d-4c7a-9e21-5d0f3b8a7c64';

export const SALES_OBJECT_IDS = {
  overviewSheet: 'sheet-overview',
  detailsSheet: 'sheet-details',
  analysisSheet: 'sheet-analysis',
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
  stackedBar: 'stacked-bar-category-region',
  combo: 'combo-sales-quantity',
  scatter: 'scatter-customers',
  pivot: 'pivot-region-category',
} as const;

const ids = SALES_OBJECT_IDS;
const lib = SALES_LIBRARY_IDS;

function sheets(): AppObjectDef[] {
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
    sheet(ids.analysisSheet, 'Analysis', 'Categories per region, sales against quantity, and customers.', 2, [
      { name: ids.stackedBar, type: 'barchart', col: 0, row: 0, colspan: 12, rowspan: 6 },
      { name: ids.combo, type: 'combochart', col: 12, row: 0, colspan: 12, rowspan: 6 },
      { name: ids.scatter, type: 'scatterplot', col: 0, row: 6, colspan: 12, rowspan: 6 },
      { name: ids.pivot, type: 'pivot-table', col: 12, row: 6, colspan: 12, rowspan: 6 },
    ]),
  ];
}

function overviewCharts(): AppObjectDef[] {
  return [
    masterObject(ids.kpi, { title: 'Total sales', description: 'Sum of sales for the current selection.' }, kpiProperties(), {
      qHyperCubeDef: hyperCube([], [measure('Sum(Sales)', 'Total sales', MONEY)], [0], { fetchHeight: 1 }),
    }),
    masterObject(ids.bar, { title: 'Sales by region', description: 'Sum of sales per region, largest first.' }, barChartProperties({ showLabels: true }), {
      qHyperCubeDef: hyperCube([dimension('Region', 'Region')], [measure('Sum(Sales)', 'Sales', MONEY)], [1, 0], { fetchHeight: 500 }),
    }),
    masterObject(ids.line, { title: 'Sales by month', description: 'Monthly sales over the whole period.' }, lineChartProperties(), {
      qHyperCubeDef: hyperCube([dimension('YearMonth', 'Month', { qSortByNumeric: 1 })], [measure('Sum(Sales)', 'Sales', MONEY)], [0, 1], { fetchHeight: 500 }),
    }),
    masterObject(ids.pie, { title: 'Sales by category', description: 'Share of sales per product category.' }, pieChartProperties(), {
      qHyperCubeDef: hyperCube([dimension('Category', 'Category')], [measure('Sum(Sales)', 'Sales', MONEY)], [1, 0], { fetchHeight: 100 }),
    }),
    masterObject(
      ids.table,
      { title: 'Sales by country and product', description: 'Sales and quantity for every country and product.' },
      tableProperties({ position: 'top', label: 'Totals' }),
      {
        qHyperCubeDef: hyperCube(
          [dimension('Country', 'Country'), dimension('Product', 'Product')],
          [measure('Sum(Sales)', 'Sales', MONEY), measure('Sum(Quantity)', 'Quantity', INTEGER)],
          [0, 1, 2, 3],
          { fetchHeight: 100 },
        ),
      },
    ),
    masterObject(
      ids.filterPane,
      { title: 'Filters', description: 'Region, category and year.' },
      filterPaneProperties(),
      { qChildListDef: { qData: { title: '/title', visualization: '/visualization' } } },
      [ids.regionListbox, ids.categoryListbox, ids.yearListbox],
    ),
    listbox(ids.regionListbox, 'Region', 'Region', { qSortByAscii: 1 }),
    listbox(ids.categoryListbox, 'Category', 'Category', { qSortByAscii: 1 }),
    listbox(ids.yearListbox, 'Year', 'Year', { qSortByNumeric: 1 }),
    masterObject(
      ids.text,
      { title: 'About this app', description: 'What the data is.' },
      { visualization: 'text-image', version: '1.0.0', showTitles: true },
      {
        markdown:
          '**Sales** is generated order-line data for a bicycle retailer: orders from 2022 to 2024 ' +
          'across four regions, with products in five categories. Select in any chart to filter the others.',
      },
    ),
  ];
}

function analysisCharts(): AppObjectDef[] {
  return [
    masterObject(
      ids.stackedBar,
      { title: 'Sales by category and region', description: 'Each category’s sales, stacked by region (master items).' },
      barChartProperties({ grouping: 'stacked' }),
      { qHyperCubeDef: hyperCube([libraryDimension(lib.category), libraryDimension(lib.region)], [libraryMeasure(lib.sales)], [0, 1, 2], { fetchHeight: 500 }) },
    ),
    masterObject(
      ids.combo,
      { title: 'Sales and quantity by month', description: 'Sales as bars on the left axis, quantity as a line on the right.' },
      comboChartProperties(),
      {
        qHyperCubeDef: hyperCube(
          [libraryDimension(lib.yearMonth, { qSortByNumeric: 1 })],
          [libraryMeasure(lib.sales, { extra: comboSeries('bar', 0) }), libraryMeasure(lib.quantity, { extra: comboSeries('line', 1) })],
          [0, 1, 2],
          { fetchHeight: 500, alwaysFullyExpanded: true },
        ),
      },
    ),
    masterObject(
      ids.scatter,
      { title: 'Customers: sales against quantity', description: 'One bubble per customer, sized by orders.' },
      scatterPlotProperties(),
      {
        qHyperCubeDef: hyperCube(
          [dimension('Customer', 'Customer')],
          [measure('Sum(Sales)', 'Sales', MONEY), measure('Sum(Quantity)', 'Quantity', INTEGER), measure('Count(distinct OrderID)', 'Orders', INTEGER)],
          [0, 1, 2, 3],
          { fetchHeight: 2500 },
        ),
      },
    ),
    masterObject(
      ids.pivot,
      { title: 'Sales by region and category', description: 'Regions down the side, categories across the top.' },
      pivotTableProperties(),
      {
        qHyperCubeDef: hyperCube([libraryDimension(lib.region), dimension('Category', 'Category')], [libraryMeasure(lib.sales)], [0, 1, 2], {
          fetchHeight: 50,
          mode: 'P',
          leftDimensions: 1,
        }),
      },
    ),
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
    objects: [...sheets(), ...overviewCharts(), ...analysisCharts()],
    library: salesLibrary(),
  };
}
