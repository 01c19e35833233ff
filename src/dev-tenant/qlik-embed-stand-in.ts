/**
 * A stand-in for Qlik's qlik-embed loader at `/qlik-embed/main.js`, so `renderer="qlik-embed"`
 * can be checked against the dev tenant. Qlik's real runtime cannot ship here; this speaks the
 * part of its documented contract the kit's plugin relies on:
 *
 * - a classic script that defines `<qlik-embed>` (only if nothing defined it yet);
 * - attributes `ui` (`analytics/chart`, `analytics/sheet`, `classic/app`), `app-id`,
 *   `object-id`, `host`, `client-id`, `auth-type="Oauth2"` and `get-access-token`, the name of
 *   a global function returning a promise of an access token, called for every token needed.
 *
 * It draws with the page's own kit underneath (`<qlik-object>` / `<qlik-dashboard>`), signed in
 * by that token function alone, so the token reaches the tenant's websocket-token exchange and
 * the engine exactly as the function returned it. It proves the wiring (attributes, the token
 * function, the token's acceptance), not Qlik's renderer.
 */
export const QLIK_EMBED_STAND_IN_PATH = '/qlik-embed/main.js';

export const QLIK_EMBED_STAND_IN = `(() => {
  'use strict';
  if (customElements.get('qlik-embed')) return;
  class QlikEmbedStandIn extends HTMLElement {
    static get observedAttributes() { return ['ui', 'app-id', 'object-id', 'host', 'client-id', 'auth-type', 'get-access-token']; }
    connectedCallback() { void this.draw(); }
    attributeChangedCallback() { if (this.isConnected) void this.draw(); }
    fail(message) {
      this.dataset.state = 'error';
      const note = document.createElement('p');
      note.setAttribute('role', 'alert');
      note.textContent = 'qlik-embed stand-in: ' + message;
      this.replaceChildren(note);
    }
    async draw() {
      const attr = (name) => this.getAttribute(name) || '';
      if (attr('auth-type').toLowerCase() !== 'oauth2') return this.fail('auth-type must be Oauth2, not "' + attr('auth-type') + '".');
      const name = attr('get-access-token');
      if (typeof globalThis[name] !== 'function') return this.fail('get-access-token names no global function ("' + name + '").');
      if (!attr('host') || !attr('app-id')) return this.fail('host and app-id are required.');
      const ui = attr('ui') || 'analytics/chart';
      const tag = ui === 'analytics/chart' ? 'qlik-object' : 'qlik-dashboard';
      await customElements.whenDefined(tag);
      const calls = () => Number(this.dataset.tokenCalls || 0);
      const auth = {
        status: 'signed-in',
        host: attr('host'),
        clientId: attr('client-id'),
        redirectUri: location.href,
        getAccessToken: () => {
          this.dataset.tokenCalls = String(calls() + 1);
          return Promise.resolve(globalThis[name]());
        },
        subscribe: () => () => undefined,
      };
      const inner = document.createElement(tag);
      inner.setAttribute('app-id', attr('app-id'));
      if (ui === 'analytics/chart') inner.setAttribute('object-id', attr('object-id'));
      if (ui === 'analytics/sheet') inner.setAttribute('sheet-id', attr('object-id'));
      inner.authSource = auth;
      this.replaceChildren(inner);
      this.dataset.state = 'rendered';
    }
  }
  customElements.define('qlik-embed', QlikEmbedStandIn);
})();
`;
