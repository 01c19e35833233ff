/**
 * The error registry's codes of the Qlik layer: renderer plugins, the embed API (selections,
 * bookmarks, variables, export), nebula.js, and the engine session.
 */
import { errorArea } from './area.ts';

export const QLIK_ERRORS = errorArea({
  renderer_not_registered: {
    cause: 'The renderer attribute names a renderer plugin that the page did not load.',
    hint: "Add import 'embed-kit/renderers/<name>' to the page (and install the package the plugin names), or set renderer=\"native\".",
  },
  // The embed API (selections, bookmarks, variables, export) and the nebula.js renderer.
  not_open: { cause: 'The element has no open app yet (not signed in, still connecting, or failed).', hint: 'Wait for qlik-session-open (or status="open") before calling the method, or sign in first.' },
  field_not_found: { cause: 'The app has no field of that name.', hint: 'Check the field name: it is case-sensitive and must be a field of the app\'s data model.' },
  bookmark_not_found: { cause: 'The app has no bookmark with that id.', hint: 'Check the bookmark id: it is the id, not the title, and the user must be allowed to see the bookmark.' },
  variable_not_found: { cause: 'The app has no variable of that name.', hint: 'Check the variable name (case-sensitive), or create it in the app first.' },
  invalid_markup: { cause: 'A <qlik-selection> has no field, or a <qlik-variable> no name.', hint: 'Give every <qlik-selection> a field="…" and every <qlik-variable> a name="…".' },
  export_unsupported: { cause: 'This object cannot be exported that way (no chart to picture, or no data).', hint: 'exportImage() works on native charts (bar, line, pie); use exportData() for KPIs and tables.' },
  export_url_refused: {
    cause: "The engine's export link points to another origin than the tenant, and the kit sends the user's token only to the tenant.",
    hint: 'Set host on the <auth-login> to the tenant address the engine names in its links (its own hostname, not an alias or a proxy); the kit never sends the token to another origin.',
  },
  export_failed: { cause: 'The export could not be made or downloaded.', hint: 'Check that the sign-in has a tenant host and the user may export, then try again.' },
  nebula_not_installed: { cause: 'renderer="nebula" could not load @nebula.js/stardust.', hint: 'Install it next to embed-kit (npm install @nebula.js/stardust) to use renderer="nebula".' },
  nebula_chart_not_installed: { cause: 'The nebula.js chart package for this object type could not be loaded.', hint: 'Install the @nebula.js/sn-* package the message names and register it with registerNebulaTypes().' },
  nebula_timeout: { cause: 'nebula.js did not finish loading or drawing in time.', hint: 'Check the network and the engine, then retry.' },
  nebula_render_failed: { cause: 'nebula.js could not draw the object.', hint: 'Check the object\'s properties, or use renderer="native" for it.' },

  // The engine and the Qlik layer.
  missing_host: { cause: 'The sign-in has no tenant host.', hint: 'Set host on the <auth-login> (e.g. host="https://tenant.eu.qlikcloud.com").' },
  engine_unreachable: {
    cause: 'The engine websocket never opened.',
    hint: "Check host, that this page's origin is in the tenant's allowlist of trusted origins, and the network.",
  },
  open_timeout: {
    cause: 'Opening the app did not finish in time: the engine accepted the connection but did not answer.',
    hint: 'Press Retry; if it keeps happening, check the tenant and the network, or raise openTimeoutMs on the session pool.',
  },
  request_timeout: {
    cause: 'The app was open, but the engine did not answer a request (an object, its data, a selection) in time.',
    hint: 'Press Retry; if it keeps happening, check the tenant and the network, or raise requestTimeoutMs on the session pool.',
  },
  resume_failed: { cause: 'The session could not reconnect to the app.', hint: 'Press Retry, or reload the page.' },
  session_closed: { cause: 'The session is closed.', hint: 'Open a new session (the element does this on Retry).' },
  enigma_not_loaded: { cause: 'enigma.js did not load.', hint: 'Check that the enigma.js package is installed and bundled.' },
  qlik_embed_not_loaded: {
    cause: 'Could not load @qlik/embed-web-components.',
    hint: 'Install @qlik/embed-web-components, or load its script on the page, to use renderer="qlik-embed"; then check the network.',
  },
  engine_closed_4003: { cause: 'The engine is terminating.', hint: 'Retry in a moment; the tenant is restarting the engine.' },
  engine_closed_4004: { cause: 'The app was deleted.', hint: 'Check that the app still exists in the tenant.' },
  engine_closed_4007: { cause: 'The app changed mode.', hint: 'Retry; the app was reloaded or published.' },
  engine_closed_4203: { cause: 'No permission to open this app.', hint: 'The signed-in user has no access to this app. Share the app (or its space) with the user.' },
  engine_closed_4204: { cause: 'App not found.', hint: 'Check the app-id attribute: the app does not exist on this tenant, or was deleted.' },
});
