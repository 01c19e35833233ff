/**
 * The CDN script, one `<script type="module" src="…/embed-kit.js">`: registers `<auth-login>` at
 * once, and `<qlik-object>` and `<qlik-dashboard>` (with the engine client and the charts) when
 * the page first uses them. Those load from the chunk files next to this one, resolved from this
 * script's own URL, so the folder works from any CDN path or upload folder.
 */
import './define/auth-login.ts';
import { loadWhenUsed } from './define/when-used.ts';

loadWhenUsed(['qlik-object', 'qlik-dashboard'], () => import('./define/qlik-dashboard.ts'));

export { AuthLogin } from './elements/auth-login/auth-login.ts';
export { VERSION } from './version.ts';
