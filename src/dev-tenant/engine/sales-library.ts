/**
 * The Sales app's library: master dimensions and measures that charts reference by
 * `qLibraryId`, variables, and one bookmark. The ids are shared names between the kit's
 * helpers (see the README's dev tenant section); keep them stable.
 */
import type { NumFormat } from './data-model.ts';
import type { AppLibrary, LibraryItemDef } from './library.ts';
import { INTEGER, MONEY } from './objects/hypercube-def.ts';

export const SALES_LIBRARY_IDS = {
  region: 'dim-region',
  category: 'dim-category',
  yearMonth: 'dim-yearmonth',
  sales: 'msr-sales',
  quantity: 'msr-quantity',
  orders: 'msr-orders',
  vTarget: 'vTarget',
  vRegion: 'vRegion',
  vGrowth: 'vGrowth',
  europe2023: 'bm-europe-2023',
} as const;

function dimension(id: string, field: string, description: string): LibraryItemDef {
  return {
    properties: {
      qInfo: { qId: id, qType: 'dimension' },
      qDim: { qGrouping: 'N', qFieldDefs: [field], qFieldLabels: [field], title: field, coloring: {} },
      qMetaDef: { title: field, description, tags: [] },
    },
  };
}

function measure(id: string, label: string, expression: string, format: NumFormat, description: string): LibraryItemDef {
  return {
    properties: {
      qInfo: { qId: id, qType: 'measure' },
      qMeasure: { qLabel: label, qDef: expression, qGrouping: 'N', qExpressions: [], qActiveExpression: 0, qLabelExpression: '', qNumFormat: format, isCustomFormatted: true, coloring: {} },
      qMetaDef: { title: label, description, tags: [] },
    },
  };
}

function variable(name: string, definition: string, comment: string): LibraryItemDef {
  // Script-created variables are named by their id in the dev tenant, which keeps GetVariableById obvious.
  return { properties: { qInfo: { qId: name, qType: 'variable' }, qMetaDef: {}, qName: name, qComment: comment, qDefinition: definition, qIncludeInBookmark: false } };
}

export function salesLibrary(): AppLibrary {
  return {
    dimensions: [
      dimension(SALES_LIBRARY_IDS.region, 'Region', 'Sales region of the customer'),
      dimension(SALES_LIBRARY_IDS.category, 'Category', 'Product category'),
      dimension(SALES_LIBRARY_IDS.yearMonth, 'YearMonth', 'Order month'),
    ],
    measures: [
      measure(SALES_LIBRARY_IDS.sales, 'Sales', 'Sum(Sales)', MONEY, 'Order value'),
      measure(SALES_LIBRARY_IDS.quantity, 'Quantity', 'Sum(Quantity)', INTEGER, 'Units ordered'),
      measure(SALES_LIBRARY_IDS.orders, 'Orders', 'Count(distinct OrderID)', INTEGER, 'Number of orders'),
    ],
    variables: [
      variable(SALES_LIBRARY_IDS.vTarget, '1000000', 'Yearly sales target'),
      variable(SALES_LIBRARY_IDS.vRegion, 'Europe', 'Region in focus'),
      variable(SALES_LIBRARY_IDS.vGrowth, '0.1', 'Planned growth'),
    ],
    bookmarks: [
      {
        properties: {
          qInfo: { qId: SALES_LIBRARY_IDS.europe2023, qType: 'bookmark' },
          qMetaDef: { title: 'Europe 2023', description: 'Region Europe, year 2023' },
          creationDate: '2025-01-02T06:00:00.000Z',
        },
        selections: { $: [{ field: 'Region', values: ['Europe'] }, { field: 'Year', values: [2023] }] },
      },
    ],
  };
}
