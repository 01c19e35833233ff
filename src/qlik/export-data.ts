/**
 * An object's data as a file: CSV built here from the hypercube (every row, paged, with the
 * engine's formatted texts), or XLSX through the engine's `ExportData` and the tenant's
 * temporary-content download.
 */
import { QlikApiError, toEngineRequestError } from './errors.ts';
import { tenantUrl } from './engine-url.ts';
import { hintIn } from '../auth/error-registry/area.ts';
import { QLIK_ERRORS } from '../auth/error-registry/qlik.ts';
import { cubeRowPages, textOf } from './hypercube.ts';
import type { AuthSource } from '../auth/source.ts';
import type { GenericObjectLayout, HyperCube, QixGenericObject } from './qix-types.ts';

export type ExportFormat = 'csv' | 'xlsx';

export interface ObjectExportOptions {
  /** `csv` (default): built in the browser from every row; `xlsx`: the engine's export. */
  format?: ExportFormat;
}

const CSV_TYPE = 'text/csv;charset=utf-8';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** RFC 4180: quote a field holding a comma, quote, CR or LF, doubling quotes. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

/** A straight hypercube's header: its dimensions' then measures' titles. */
export function cubeHeader(cube: HyperCube): string[] {
  return [...cube.qDimensionInfo.map((d) => d.qFallbackTitle), ...cube.qMeasureInfo.map((m) => m.qFallbackTitle)];
}

function exportableCube(layout: GenericObjectLayout): HyperCube {
  const cube = layout.qHyperCube;
  if (!cube || (cube.qMode !== undefined && cube.qMode !== 'S')) {
    throw new QlikApiError('export_unsupported', `Object ${layout.qInfo.qId} has no straight table of data to export.`, {
      hint: 'Export data from a chart, KPI or table; pivot tables, text and filter panes have no exportable straight hypercube.',
    });
  }
  return cube;
}

/**
 * Every row of an object's hypercube, read page by page with `GetHyperCubeData`, as CSV
 * (header row first, CRLF line ends, the engine's formatted texts).
 */
export async function hyperCubeCsv(model: QixGenericObject, options: { signal?: AbortSignal } = {}): Promise<string> {
  let layout: GenericObjectLayout;
  try {
    layout = await model.getLayout();
  } catch (error) {
    throw toEngineRequestError(error, `Exporting ${model.id}`);
  }
  const cube = exportableCube(layout);
  const lines = [csvLine(cubeHeader(cube))];
  try {
    for await (const rows of cubeRowPages(model, Math.max(1, cube.qSize.qcx), cube.qSize.qcy, options.signal)) {
      for (const row of rows) lines.push(csvLine(row.map(textOf)));
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw toEngineRequestError(error, `Exporting ${model.id}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

export interface XlsxExportOptions {
  /** The tenant (`https://tenant.eu.qlikcloud.com`), whose temporary content holds the file. */
  host: string;
  /** A fresh access token for the download. */
  getAccessToken(): Promise<string>;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Deadline for the download. Default 30 s. */
  timeoutMs?: number;
}

/**
 * The engine's link, resolved against the tenant. The download carries the user's token, so a
 * link to any other origin (another host, plain http, a protocol-relative `//host`) is refused.
 */
function downloadUrl(qUrl: string, host: string): URL {
  const tenant = tenantUrl(host);
  let url: URL;
  try {
    url = new URL(qUrl, tenant);
  } catch (error) {
    throw new QlikApiError('export_failed', `The engine's export link ${JSON.stringify(qUrl)} is not a URL.`, { cause: error, hint: 'Export again; if it persists, the engine answered ExportData wrongly.' });
  }
  if (url.origin !== tenant.origin) {
    throw new QlikApiError('export_url_refused', `The engine's export link points to ${url.origin}, not to the tenant ${tenant.origin}; the download (and the user's token) was not sent there.`, {
      hint: hintIn(QLIK_ERRORS, 'export_url_refused'),
    });
  }
  return url;
}

/** XLSX through the engine's `ExportData` (`OOXML`), downloaded from the tenant with the user's token. */
export async function exportXlsx(model: QixGenericObject, options: XlsxExportOptions): Promise<Blob> {
  let qUrl: string;
  try {
    ({ qUrl } = await model.exportData('OOXML', '/qHyperCubeDef', model.id, 'EXPORT_POSSIBLE'));
  } catch (error) {
    const typed = toEngineRequestError(error, `Exporting ${model.id} as XLSX`);
    throw new QlikApiError('export_failed', typed.message, { cause: error, hint: 'The engine could not export this object; check that it has data.' });
  }
  const url = downloadUrl(qUrl, options.host);
  const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 30_000), ...(options.signal ? [options.signal] : [])]);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { headers: { Authorization: `Bearer ${await options.getAccessToken()}` }, credentials: 'include', signal });
  } catch (error) {
    throw new QlikApiError('export_failed', `Downloading the export failed: ${(error as Error).message}`, { cause: error, hint: 'Check the connection to the tenant and retry.' });
  }
  if (!response.ok) {
    throw new QlikApiError('export_failed', `Downloading the export failed with HTTP ${response.status}.`, { hint: 'The export link expires quickly; export again.' });
  }
  return new Blob([await response.arrayBuffer()], { type: XLSX_TYPE });
}

const notOpen = () => new QlikApiError('not_open', 'The object is not loaded yet.', { hint: 'Export after the qlik-rendered event.' });

/** An object's data as CSV or XLSX. */
export async function exportObjectData(model: QixGenericObject | undefined, auth: AuthSource | undefined, options: ObjectExportOptions): Promise<Blob> {
  const format = options.format ?? 'csv';
  if (format !== 'csv' && format !== 'xlsx') throw new TypeError(`format must be "csv" or "xlsx", got ${JSON.stringify(format)}.`);
  if (!model) throw notOpen();
  if (format === 'csv') return new Blob([await hyperCubeCsv(model)], { type: CSV_TYPE });
  if (!auth?.host) throw new QlikApiError('export_failed', 'XLSX export needs the sign-in\'s tenant host.', { hint: 'Set host on the <auth-login>.' });
  return exportXlsx(model, { host: auth.host, getAccessToken: () => auth.getAccessToken() });
}
