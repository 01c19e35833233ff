/**
 * The dev tenant's HTML: the login page listing demo users, and the error page. Everything
 * that comes from configuration or from the request is HTML-escaped.
 */
import { type DevTenantUser, usernameOf } from './users.ts';

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; }
  main { width: min(26rem, 92vw); padding: 2rem; border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); border-radius: 12px; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  p { margin: .25rem 0 1rem; opacity: .8; }
  form { display: grid; gap: .5rem; }
  button { font: inherit; padding: .7rem 1rem; border-radius: 8px; border: 1px solid color-mix(in srgb, CanvasText 25%, transparent); background: color-mix(in srgb, CanvasText 6%, Canvas); cursor: pointer; text-align: left; }
  button:hover, button:focus-visible { background: color-mix(in srgb, #2f6fde 18%, Canvas); }
  button.cancel { text-align: center; margin-top: .75rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
  dt { font-weight: 600; }
  code { word-break: break-all; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export interface LoginPageOptions {
  /** Where the form posts (`/interaction/{uid}`). */
  action: string;
  users: readonly DevTenantUser[];
  clientName: string;
  /** Shown above the buttons, e.g. after an unknown user was submitted. */
  notice?: string;
}

/** One button per demo user: `<button name="user" value="alice">Alice Analyst</button>`. */
export function renderLoginPage({ action, users, clientName, notice }: LoginPageOptions): string {
  const buttons = users
    .map((user) => {
      const note = user.apps !== undefined && user.apps !== '*' && user.apps.length === 0 ? 'no access to any app' : (user.email ?? user.subject);
      // The button's text is the user's name alone, so tests and people can find it by that name.
      return `  <button type="submit" name="user" value="${escapeHtml(usernameOf(user))}" title="${escapeHtml(note)}">${escapeHtml(user.name)}</button>`;
    })
    .join('\n');
  return page(
    'Sign in to the embed-kit dev tenant',
    `<h1>Sign in to the dev tenant</h1>
<p>${escapeHtml(clientName)} asks you to sign in. Pick a demo user.</p>
${notice ? `<p role="alert">${escapeHtml(notice)}</p>\n` : ''}<form method="post" action="${escapeHtml(action)}">
${buttons}
  <button type="submit" class="cancel" name="cancel" value="1">Cancel</button>
</form>`,
  );
}

/** An error shown in the browser (no redirect back to the client was allowed). */
export function renderErrorPage(fields: Record<string, string | undefined>): string {
  const rows = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd><code>${escapeHtml(value)}</code></dd>`)
    .join('\n');
  return page('Dev tenant error', `<h1>The request was refused</h1>\n<dl>\n${rows}\n</dl>`);
}

export interface IndexPageOptions {
  url: string;
  users: readonly DevTenantUser[];
  clientIds: readonly string[];
}

/** What `GET /` shows: enough to configure a client. */
export function renderIndexPage({ url, users, clientIds }: IndexPageOptions): string {
  const list = (items: string[]): string => `<ul>${items.map((item) => `<li><code>${escapeHtml(item)}</code></li>`).join('')}</ul>`;
  return page(
    'embed-kit dev tenant',
    `<h1>embed-kit dev tenant</h1>
<p>A local stand-in for a Qlik Cloud tenant at <code>${escapeHtml(url)}</code>.</p>
<h2>Endpoints</h2>
${list(['/oauth/authorize', '/oauth/token', '/oauth/revoke', '/.well-known/openid-configuration', '/api/v1/users/me', '/app/{appId}  (engine websocket)'])}
<h2>Clients</h2>
${list([...clientIds])}
<h2>Users</h2>
${list(users.map((u) => `${usernameOf(u)}: ${u.name} (${u.subject}, ${u.id})`))}`,
  );
}
