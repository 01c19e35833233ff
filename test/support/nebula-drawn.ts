/**
 * What a nebula.js chart has drawn into an element, read in the page (browser code): canvas ink,
 * SVG shapes, text, and nebula's own error view. A chart that failed still renders a cell (its
 * error view), so "a cell is there" proves nothing; these do. Shared by the nebula fidelity
 * harness and the renderers journey page.
 */
export interface Drawn {
  /** Canvas pixels that are not transparent or white. */
  inkPixels: number;
  /** SVG shapes (rect, path, circle, line, text). */
  svgShapes: number;
  /** Text the chart shows (tables, KPIs, filter panes). */
  text: string;
  /** nebula's error views (title: message), ` | ` between several (a sheet's cells); empty if none. */
  error: string;
}

function inkOf(canvas: HTMLCanvasElement): number {
  if (!canvas.width || !canvas.height) return 0;
  const context = canvas.getContext('2d');
  if (!context) return 0;
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) {
    const alpha = data[i + 3]!;
    const white = data[i]! > 245 && data[i + 1]! > 245 && data[i + 2]! > 245;
    if (alpha > 0 && !white) ink += 1;
  }
  return ink;
}

export function drawnIn(element: HTMLElement): Drawn {
  const inkPixels = [...element.querySelectorAll('canvas')].reduce((sum, canvas) => sum + inkOf(canvas), 0);
  const svgShapes = element.querySelectorAll('svg rect, svg path, svg circle, svg line, svg text').length;
  // Stardust 7's error view (an incomplete or failed visualization) marks its title and message so.
  const text = (selector: string) => [...element.querySelectorAll(selector)].map((part) => part.textContent?.trim() ?? '');
  const messages = text('[data-tid="error-message"]');
  const error = text('[data-tid="error-title"]')
    .map((title, i) => [title, messages[i]].filter(Boolean).join(': '))
    .join(' | ');
  return { inkPixels, svgShapes, text: element.innerText, error };
}

/**
 * Whether a chart is drawn: no error view, and canvas ink where it draws on a canvas (picasso.js
 * charts), else SVG shapes or text besides its title (tables, KPIs, filter panes).
 */
export function isDrawn(element: HTMLElement, title = ''): boolean {
  const drawn = drawnIn(element);
  if (drawn.error) return false;
  if (element.querySelector('canvas')) return drawn.inkPixels > 500;
  return drawn.svgShapes > 0 || drawn.text.replace(title, '').trim().length > 0;
}
