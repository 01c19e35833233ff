// The auth journeys' page script, shared by auth.html and auth-article.html (another page of the
// same site). The journey sets window.__JOURNEY__ with addInitScript, on every navigation:
// `attributes` for the <auth-login>, and `options` for its options property.
const config = window.__JOURNEY__ ?? { attributes: {} };
const login = document.getElementById('login');
for (const [name, value] of Object.entries(config.attributes)) login.setAttribute(name, value);
if (config.options) login.options = config.options;
window.__events = [];
for (const type of ['auth-before-redirect', 'auth-signed-in', 'auth-token-refreshed', 'auth-signed-out', 'auth-error']) {
  login.addEventListener(type, (event) => window.__events.push({ type, code: event.error?.code, reason: event.reason, at: performance.now() }));
}
const params = new URLSearchParams(location.search);
if (window.__HOLD__ && (params.has('code') || params.has('error'))) {
  // The journey asked to keep this authorization response for later.
  window.__held = location.href;
} else {
  await import('/src/define.ts');
}
