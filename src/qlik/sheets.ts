import type { GenericObjectLayout, NxInfo, QixDoc, QixGenericObject, SheetCell } from './qix-types.ts';

export interface SheetInfo {
  id: string;
  title: string;
  description: string;
  rank: number;
  /** Grid size the cells are placed in (Qlik's default 24 × 12). */
  columns: number;
  rows: number;
  cells: SheetCell[];
  model: QixGenericObject;
}

/** A sheet's layout as the grid the dashboard lays out. */
export function sheetFromLayout(model: QixGenericObject, layout: GenericObjectLayout): SheetInfo {
  const columns = positive(layout.columns, 24);
  const rows = positive(layout.rows, 12);
  const cells = (Array.isArray(layout.cells) ? layout.cells : [])
    .filter((cell) => typeof cell?.name === 'string' && cell.name !== '')
    .map((cell) => ({
      name: cell.name,
      type: cell.type,
      col: clamp(cell.col, 0, columns - 1),
      row: clamp(cell.row, 0, rows - 1),
      colspan: clamp(cell.colspan, 1, columns),
      rowspan: clamp(cell.rowspan, 1, rows),
    }));
  return {
    id: model.id,
    title: layout.qMeta?.title || layout.title || model.id,
    description: layout.qMeta?.description ?? '',
    rank: typeof layout.rank === 'number' ? layout.rank : Number.MAX_SAFE_INTEGER,
    columns,
    rows,
    cells,
    model,
  };
}

/** Opens one sheet by id. */
export async function openSheet(app: QixDoc, id: string): Promise<SheetInfo> {
  const model = await app.getObject(id);
  return sheetFromLayout(model, await model.getLayout());
}

/** Every sheet of the app, in the order the app shows them (`rank`, then title). */
export async function listSheets(app: QixDoc): Promise<SheetInfo[]> {
  const infos: NxInfo[] = await app.getAllInfos();
  const sheets = await Promise.all(infos.filter((info) => info.qType === 'sheet').map((info) => openSheet(app, info.qId)));
  return sheets.sort((a, b) => a.rank - b.rank || a.title.localeCompare(b.title));
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

function clamp(value: unknown, min: number, max: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : min;
  return Math.max(min, Math.min(max, n));
}
