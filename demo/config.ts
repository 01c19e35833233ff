/**
 * Points the demo's elements at the tenant `npm start` chose: the built-in dev tenant, or a real
 * one from QLIK_HOST / QLIK_CLIENT_ID / QLIK_APP_ID.
 */
/** Set before the page loads by journeys and scripts/screenshots.ts (as for demo/tenant-override.js). */
const override = (window as { __EMBED_KIT_DEMO__?: { host?: string; clientId?: string; appId?: string } }).__EMBED_KIT_DEMO__;
const host = override?.host ?? import.meta.env.QLIK_HOST ?? 'http://127.0.0.1:8787';
const clientId = override?.clientId ?? import.meta.env.QLIK_CLIENT_ID ?? 'embed-kit-demo';
const appId = override?.appId ?? import.meta.env.QLIK_APP_ID;

for (const login of document.querySelectorAll('auth-login[data-demo]')) {
  if (!login.hasAttribute('host')) login.setAttribute('host', host);
  if (!login.hasAttribute('client-id')) login.setAttribute('client-id', clientId);
}
for (const element of document.querySelectorAll('[data-demo-app]')) {
  if (appId && !element.hasAttribute('app-id')) element.setAttribute('app-id', appId);
}

export { host, clientId, appId };
