/**
 * Demo plumbing for the no-build pages (demo/plain, demo/cms); a real page does not need it.
 * The pages carry the built-in dev tenant's defaults as attributes. `npm start` (when QLIK_HOST
 * names a real tenant, or the dev tenant runs on another port) and the journeys set
 * `window.__EMBED_KIT_DEMO__ = { host, clientId, appId }` before the page loads, and this
 * script applies it. It runs right after the elements are parsed and before the bundle (a module,
 * so deferred) upgrades them, so the elements never see the defaults.
 */
(function applyDemoTenant(config) {
  if (!config) return;
  for (const login of document.querySelectorAll('auth-login')) {
    if (config.host) login.setAttribute('host', config.host);
    if (config.clientId) login.setAttribute('client-id', config.clientId);
  }
  if (config.appId) for (const element of document.querySelectorAll('[app-id]')) element.setAttribute('app-id', config.appId);
})(window.__EMBED_KIT_DEMO__);
