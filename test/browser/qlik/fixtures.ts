/**
 * Layouts shaped like the engine's answers (the dev tenant's Sales app and Qlik Sense's own
 * shapes): `qInfo`, `qMeta`, `visualization`, `qHyperCube` with `qDataPages`, `qListObject`…
 */
import type { GenericObjectLayout, NxCell, NxCellState, NxDataPage, NxPage } from '../../../src/qlik/qix-types.ts';

const money = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

export const dim = (text: string, elem: number, state: NxCellState = 'O'): NxCell => ({ qText: text, qNum: 'NaN', qElemNumber: elem, qState: state });
export const num = (value: number, text = money(value)): NxCell => ({ qText: text, qNum: value, qElemNumber: 0, qState: 'L' });

export const REGIONS: [string, number][] = [
  ['Europe', 412_345.6],
  ['North America', 398_001],
  ['Asia', 250_500.25],
  ['South America', 99_999],
];

export function kpiLayout(total = 1_160_845.85): GenericObjectLayout {
  return {
    qInfo: { qId: 'kpi-total-sales', qType: 'masterobject' },
    qMeta: { title: 'Total sales', description: 'Sum of sales.' },
    visualization: 'kpi',
    title: 'Total sales',
    subtitle: '',
    footnote: '',
    qHyperCube: {
      qSize: { qcx: 1, qcy: 1 },
      qDimensionInfo: [],
      qMeasureInfo: [{ qFallbackTitle: 'Total sales', qMin: total, qMax: total }],
      qDataPages: [{ qArea: { qLeft: 0, qTop: 0, qWidth: 1, qHeight: 1 }, qMatrix: [[num(total)]] }],
      qGrandTotalRow: [num(total)],
    },
  };
}

export function cubeLayout(visualization: string, id: string, title: string, rows: [string, number][], selected: string[] = []): GenericObjectLayout {
  const values = rows.map(([, v]) => v);
  return {
    qInfo: { qId: id, qType: 'masterobject' },
    qMeta: { title },
    visualization,
    title,
    qHyperCube: {
      qSize: { qcx: 2, qcy: rows.length },
      qDimensionInfo: [{ qFallbackTitle: 'Region', qCardinal: rows.length }],
      qMeasureInfo: [{ qFallbackTitle: 'Sales', qMin: Math.min(...values), qMax: Math.max(...values) }],
      qDataPages: [
        {
          qArea: { qLeft: 0, qTop: 0, qWidth: 2, qHeight: rows.length },
          qMatrix: rows.map(([text, value], i) => [dim(text, i, selected.includes(text) ? 'S' : 'O'), num(value)]),
        },
      ],
    },
  };
}

export const barLayout = (selected: string[] = []) => cubeLayout('barchart', 'bar-sales-by-region', 'Sales by region', REGIONS, selected);
export const pieLayout = () => cubeLayout('piechart', 'pie-sales-by-category', 'Sales by category', REGIONS);
export const lineLayout = () =>
  cubeLayout(
    'linechart',
    'line-sales-by-month',
    'Sales by month',
    Array.from({ length: 12 }, (_, i): [string, number] => [`2024-${String(i + 1).padStart(2, '0')}`, 1000 + i * 100]),
  );

/** A 45-row table (Country × Product, Sales, Quantity) whose first page holds 20 rows. */
export const TABLE_ROWS = 45;
export function tableRow(i: number): NxCell[] {
  return [dim(`Country ${i}`, i), dim(`Product ${i}`, i), num(1000 + i), num(i, String(i))];
}
export function tablePage(page: NxPage): NxDataPage {
  const rows: NxCell[][] = [];
  for (let i = page.qTop; i < Math.min(TABLE_ROWS, page.qTop + page.qHeight); i++) rows.push(tableRow(i));
  return { qArea: page, qMatrix: rows };
}
export function tableLayout(): GenericObjectLayout {
  return {
    qInfo: { qId: 'table-sales-details', qType: 'masterobject' },
    qMeta: { title: 'Sales by country and product' },
    visualization: 'table',
    title: 'Sales by country and product',
    qHyperCube: {
      qSize: { qcx: 4, qcy: TABLE_ROWS },
      qDimensionInfo: [{ qFallbackTitle: 'Country' }, { qFallbackTitle: 'Product' }],
      qMeasureInfo: [{ qFallbackTitle: 'Sales' }, { qFallbackTitle: 'Quantity' }],
      qDataPages: [tablePage({ qLeft: 0, qTop: 0, qWidth: 4, qHeight: 20 })],
      qGrandTotalRow: [num(99_999), num(1234, '1,234')],
    },
  };
}

export function listboxLayout(id = 'listbox-region', field = 'Region', values: [string, NxCellState][] = REGIONS.map(([r]) => [r, 'O'])): GenericObjectLayout {
  return {
    qInfo: { qId: id, qType: 'listbox' },
    qMeta: {},
    visualization: 'listbox',
    title: field,
    qListObject: {
      qSize: { qcx: 1, qcy: values.length },
      qDimensionInfo: { qFallbackTitle: field, qCardinal: values.length },
      qDataPages: [{ qArea: { qLeft: 0, qTop: 0, qWidth: 1, qHeight: values.length }, qMatrix: values.map(([text, state], i) => [dim(text, i, state)]) }],
    },
  };
}

export function filterPaneLayout(children = ['listbox-region', 'listbox-category']): GenericObjectLayout {
  return {
    qInfo: { qId: 'filterpane-main', qType: 'masterobject' },
    qMeta: { title: 'Filters' },
    visualization: 'filterpane',
    title: 'Filters',
    qChildList: { qItems: children.map((id) => ({ qInfo: { qId: id, qType: 'listbox' }, qData: { title: id } })) },
  };
}

export function textLayout(markdown: string): GenericObjectLayout {
  return { qInfo: { qId: 'text-about', qType: 'masterobject' }, qMeta: { title: 'About' }, visualization: 'text-image', title: 'About', markdown };
}

export function sheetLayout(id: string, title: string, rank: number, cells: { name: string; col: number; row: number; colspan: number; rowspan: number }[]): GenericObjectLayout {
  return { qInfo: { qId: id, qType: 'sheet' }, qMeta: { title, description: '' }, rank, columns: 24, rows: 12, cells: cells.map((c) => ({ type: 'x', ...c })) };
}

const MONEY_FORMAT = { qType: 'M', qFmt: '$#,##0', qDec: '.', qThou: ',' };

/** Category × Region, Sales: a two-dimension bar chart, `stacked` or `grouped`. */
export function twoDimensionBarLayout(grouping: 'stacked' | 'grouped'): GenericObjectLayout {
  const categories = ['Bikes', 'Helmets', 'Locks'];
  const regions = ['Europe', 'Asia'];
  const rows = categories.flatMap((category, c) => regions.map((region, r) => [dim(category, c), dim(region, r), num(1000 * (c + 1) + 500 * r)]));
  return {
    qInfo: { qId: `bar-${grouping}`, qType: 'masterobject' },
    visualization: 'barchart',
    title: `Sales by category and region (${grouping})`,
    barGrouping: { grouping },
    qHyperCube: {
      qSize: { qcx: 3, qcy: rows.length },
      qDimensionInfo: [{ qFallbackTitle: 'Category' }, { qFallbackTitle: 'Region' }],
      qMeasureInfo: [{ qFallbackTitle: 'Sales', qNumFormat: MONEY_FORMAT }],
      qDataPages: [{ qArea: { qLeft: 0, qTop: 0, qWidth: 3, qHeight: rows.length }, qMatrix: rows }],
    },
  };
}

/** Region, Sales (bars, left axis) and Quantity (line, right axis). */
export function comboLayout(): GenericObjectLayout {
  const rows = REGIONS.map(([region, sales], i) => [dim(region, i), num(sales), num(100 + i * 10, String(100 + i * 10))]);
  return {
    qInfo: { qId: 'combo-sales-quantity', qType: 'masterobject' },
    visualization: 'combochart',
    title: 'Sales and quantity',
    qHyperCube: {
      qSize: { qcx: 3, qcy: rows.length },
      qDimensionInfo: [{ qFallbackTitle: 'Region' }],
      qMeasureInfo: [
        { qFallbackTitle: 'Sales', qNumFormat: MONEY_FORMAT, series: { type: 'bar', axis: 0 } },
        { qFallbackTitle: 'Quantity', series: { type: 'line', axis: 1 } },
      ],
      qDataPages: [{ qArea: { qLeft: 0, qTop: 0, qWidth: 3, qHeight: rows.length }, qMatrix: rows }],
    },
  };
}

/** Customer, Sales (x) and Quantity (y). */
export function scatterLayout(): GenericObjectLayout {
  const rows = [1, 2, 3, 4, 5].map((i) => [dim(`Customer ${i}`, i), num(i * 10_000), num(6 - i, String(6 - i))]);
  return {
    qInfo: { qId: 'scatter-customers', qType: 'masterobject' },
    visualization: 'scatterplot',
    title: 'Customers',
    qHyperCube: {
      qSize: { qcx: 3, qcy: rows.length },
      qDimensionInfo: [{ qFallbackTitle: 'Customer' }],
      qMeasureInfo: [{ qFallbackTitle: 'Sales', qNumFormat: MONEY_FORMAT }, { qFallbackTitle: 'Quantity' }],
      qDataPages: [{ qArea: { qLeft: 0, qTop: 0, qWidth: 3, qHeight: rows.length }, qMatrix: rows }],
    },
  };
}
