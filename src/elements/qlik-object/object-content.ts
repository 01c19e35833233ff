/**
 * What `<qlik-object>` loads once it has an object to draw, in one chunk: the native renderers
 * (with d3), their styles, the object menu and its exports. Before that the element shows its
 * frame and status only, so a page pays for these when an app opens.
 */
import { menuStyles } from './object-menu.ts';
import { rendererStyles } from '../renderers/styles.ts';

export { rendererFor } from '../renderers/index.ts';
export { objectMenu } from './object-menu.ts';
export { chartPng, saveBlob } from './object-export.ts';

/** The styles that come with the content, adopted next to the element's own. */
export const contentStyles = [rendererStyles, menuStyles];
