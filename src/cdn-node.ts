/**
 * What `import 'embed-kit/cdn'` gives in Node (server-side rendering): the same names as the
 * browser script, without registering anything. The CDN file itself inlines lit's browser build,
 * which needs a DOM.
 */
export { AuthLogin } from './elements/auth-login/auth-login.ts';
export { VERSION } from './version.ts';
