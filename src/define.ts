/**
 * `import 'embed-kit/define'`: registers every embed-kit tag. Safe to load twice, which CMS
 * pages often do: a tag that is already defined is left alone, and a second copy of a
 * different version says so once. A page that uses one tag can import only its entry
 * (`embed-kit/define/auth-login`, `…/qlik-object`, `…/qlik-dashboard`). The engine client,
 * the renderers and the sign-in flows load when first needed.
 */
export * from './define/auth-login.ts';
export * from './define/qlik-dashboard.ts';
