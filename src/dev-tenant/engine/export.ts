/**
 * ExportData: a hypercube's rows as CSV (comma or tab) or as an Excel workbook (OOXML).
 *
 * The workbook is written here, not with a library: the dev tenant ships in the package
 * (`embed-kit/dev-tenant`), so a spreadsheet library would become a runtime dependency of every
 * user, while one sheet of inline strings and numbers needs only five small XML parts in a zip,
 * which node:zlib deflates and checksums.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import type { CubeResult } from './hypercube.ts';
import { ErrorCode, QixError } from './rpc.ts';

export interface ExportFile {
  name: string;
  contentType: string;
  body: Buffer;
}

/** The engine refuses an export above this many cells. */
export const MAX_EXPORT_CELLS = 1_000_000;

type Cell = string | number;

function rowsOf(cube: CubeResult): Cell[][] {
  const { def } = cube;
  const header: Cell[] = [...def.dimensions.map((d) => d.label || d.field), ...def.measures.map((m) => m.label || m.expression)];
  const rows: Cell[][] = [header];
  for (const g of cube.order) {
    const row: Cell[] = cube.fields.map((field, d) => (field ? (field.values[(cube.groupValues[d] as Int32Array)[g] as number] as { text: string }).text : ''));
    for (const values of cube.measureValues) {
      const v = values[g] as number;
      row.push(Number.isFinite(v) ? v : '');
    }
    rows.push(row);
  }
  return rows;
}

function csv(rows: Cell[][], separator: string): Buffer {
  const quote = (cell: Cell): string => {
    const text = typeof cell === 'number' ? String(cell) : cell;
    return /["\r\n]/.test(text) || text.includes(separator) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return Buffer.from(`\uFEFF${rows.map((r) => r.map(quote).join(separator)).join('\r\n')}\r\n`, 'utf8');
}

function xmlText(text: string): string {
  // Characters XML 1.0 cannot carry are dropped; the rest are escaped.
  return text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function sheetXml(rows: Cell[][]): string {
  const body = rows
    .map((row, r) => {
      const cells = row.map((cell, c) => {
        const ref = `${columnName(c)}${r + 1}`;
        return typeof cell === 'number' ? `<c r="${ref}"><v>${cell}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(cell)}</t></is></c>`;
      });
      return `<row r="${r + 1}">${cells.join('')}</row>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
}

/** A zip archive (deflated entries, no extra fields), as OOXML packages are. */
export function zip(entries: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data);
    const crc = crc32(entry.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function xlsx(rows: Cell[][], sheetName: string): Buffer {
  const part = (text: string): Buffer => Buffer.from(text, 'utf8');
  const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  return zip([
    {
      name: '[Content_Types].xml',
      data: part(`${xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`),
    },
    { name: '_rels/.rels', data: part(`${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`) },
    {
      name: 'xl/workbook.xml',
      data: part(`${xml}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xmlText(sheetName.slice(0, 31).replace(/[[\]:*?/\\]/g, ' ') || 'Sheet1')}" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    },
    { name: 'xl/_rels/workbook.xml.rels', data: part(`${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`) },
    { name: 'xl/worksheets/sheet1.xml', data: part(sheetXml(rows)) },
  ]);
}

/** The cube's rows as a file of the requested type (FileDataType: CSV_C, CSV_T, OOXML, and their EXPORT_ forms). */
export function exportCube(cube: CubeResult, fileType: string, baseName: string): ExportFile {
  const width = cube.def.dimensions.length + cube.def.measures.length;
  if ((cube.order.length + 1) * width > MAX_EXPORT_CELLS) throw new QixError(ErrorCode.HC_RESULT_TOO_LARGE, `Export too large: more than ${MAX_EXPORT_CELLS} cells`, 'qFileType');
  const type = fileType.replace(/^EXPORT_/, '');
  const safeName = baseName.replace(/[^\p{L}\p{N} ._-]/gu, '_').slice(0, 100) || 'export';
  const rows = rowsOf(cube);
  if (type === 'CSV_C') return { name: `${safeName}.csv`, contentType: 'text/csv; charset=utf-8', body: csv(rows, ',') };
  if (type === 'CSV_T') return { name: `${safeName}.txt`, contentType: 'text/tab-separated-values; charset=utf-8', body: csv(rows, '\t') };
  if (type === 'OOXML') return { name: `${safeName}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: xlsx(rows, safeName) };
  throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): qFileType ${fileType} is not supported; use CSV_C, CSV_T or OOXML`, 'qFileType');
}

