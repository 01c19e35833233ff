import { QlikApiError } from '../../qlik/errors.ts';
import type { ObjectExportOptions } from '../../qlik/export-data.ts';

export interface ExportDataOptions extends ObjectExportOptions {
  /** Save the file in the browser (default true); the blob is returned either way. */
  download?: boolean;
  /** File name without extension; default the object's id. */
  filename?: string;
}

export interface ExportImageOptions {
  /** Pixels per SVG unit (default 2, for sharp images). */
  scale?: number;
  download?: boolean;
  filename?: string;
}

/** Style properties copied inline so the picture looks as the chart does on screen. */
const INLINE_STYLES = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility', 'display'];

/** Saves a blob as a file through a temporary link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL is no longer needed after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * A PNG of the chart's SVG: cloned with its computed styles inline (the shadow root's CSS does
 * not travel with it), drawn on a canvas at `scale`.
 */
export async function chartPng(svgElement: SVGSVGElement | null | undefined, scale = 2): Promise<Blob> {
  if (!svgElement) {
    throw new QlikApiError('export_unsupported', 'This object has no chart to picture.', { hint: 'exportImage() works on native charts (bar, line, pie); use exportData() for KPIs and tables.' });
  }
  const clone = svgElement.cloneNode(true) as SVGSVGElement;
  const originals = [svgElement, ...svgElement.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  originals.forEach((original, i) => {
    const style = getComputedStyle(original);
    const copy = copies[i] as SVGElement;
    copy.setAttribute('style', INLINE_STYLES.map((name) => `${name}:${style.getPropertyValue(name)}`).join(';'));
  });
  const box = svgElement.viewBox.baseVal;
  const width = Math.round((box?.width || svgElement.clientWidth || 640) * scale);
  const height = Math.round((box?.height || svgElement.clientHeight || 320) * scale);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const background = getComputedStyle(svgElement).getPropertyValue('--qlik-background').trim() || '#fff';
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new QlikApiError('export_failed', 'The browser gave no canvas to draw on.', { hint: 'Retry; the page may be out of memory.' });
    context.fillStyle = background;
    context.fillRect(0, 0, width, height);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new QlikApiError('export_failed', 'The browser could not encode the PNG.', { hint: 'Retry with a smaller scale.' }))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
