/**
 * Stored generic objects as Qlik Sense saves them: a master visualization (its type's property
 * tree plus `qInfo`, `qMetaDef` and titles), a list box of a filter pane, and a sheet with its
 * grid of cells.
 */
import type { AppObjectDef } from '../app.ts';
import type { JsonObject } from '../json.ts';
import { listObjectDef, type SortCriteria } from './hypercube-def.ts';

export interface Titles {
  title: string;
  description: string;
  subtitle?: string;
  footnote?: string;
}

/**
 * A master visualization: `chart` is its type's property tree (from chart-properties.ts) and
 * `definition` its `qHyperCubeDef` or other data definition.
 */
export function masterObject(id: string, titles: Titles, chart: JsonObject, definition: JsonObject = {}, children?: readonly string[]): AppObjectDef {
  const properties: JsonObject = {
    qInfo: { qId: id, qType: 'masterobject' },
    qMetaDef: { title: titles.title, description: titles.description, tags: [] },
    ...chart,
    title: titles.title,
    subtitle: titles.subtitle ?? '',
    footnote: titles.footnote ?? '',
    ...definition,
  };
  return children ? { properties, children } : { properties };
}

export function listbox(id: string, field: string, title: string, sort: SortCriteria): AppObjectDef {
  return {
    properties: {
      qInfo: { qId: id, qType: 'listbox' },
      qMetaDef: {},
      visualization: 'listbox',
      version: '1.0.0',
      title,
      subtitle: '',
      footnote: '',
      showTitles: true,
      showDetails: false,
      checkboxes: false,
      dataLayout: 'singleColumn',
      layoutOrder: 'row',
      histogram: false,
      frequencyMax: 'fetch',
      searchEnabled: true,
      autoConfirm: false,
      qListObjectDef: listObjectDef(field, title, sort),
    },
  };
}

export interface Cell {
  name: string;
  type: string;
  col: number;
  row: number;
  colspan: number;
  rowspan: number;
}

const COLUMNS = 24;
const ROWS = 12;

export function sheet(id: string, title: string, description: string, rank: number, cells: Cell[]): AppObjectDef {
  return {
    properties: {
      qInfo: { qId: id, qType: 'sheet' },
      qMetaDef: { title, description },
      rank,
      thumbnail: { qStaticContentUrlDef: {} },
      columns: COLUMNS,
      rows: ROWS,
      cells: cells.map((c) => ({
        ...c,
        bounds: { x: (c.col / COLUMNS) * 100, y: (c.row / ROWS) * 100, width: (c.colspan / COLUMNS) * 100, height: (c.rowspan / ROWS) * 100 },
      })),
      qChildListDef: { qData: { title: '/title', visualization: '/visualization' } },
    },
  };
}
