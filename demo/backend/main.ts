/**
 * The backend demo page: the toy site's sign-in (its own session cookie), and `<auth-login
 * access-token-url>` + `<qlik-dashboard>` fed by the toy backend's impersonation endpoint.
 * Everything a server says is shown as text.
 */
import type { AuthLogin } from '../../src/elements/auth-login/auth-login.ts';

interface SiteUser {
  username: string;
  name: string;
}
interface SessionInfo {
  user: SiteUser | null;
  users: SiteUser[];
  tenant: { host: string; clientId: string; appId: string };
}

const BACKEND = '/demo-backend';

const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
};
const login = byId<AuthLogin>('login');
const dashboard = byId('dashboard');
const log = byId('log');

function record(type: string, text = ''): void {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()}  ${type}${text ? `  ${text}` : ''}`;
  log.prepend(item);
}

function showSiteError(text: string): void {
  const box = byId('site-error');
  box.textContent = text;
  box.hidden = text === '';
}

async function backend<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(
    `${BACKEND}/${path}`,
    body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  const answer = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) throw new Error(`${path}: ${answer.message ?? `HTTP ${response.status}`}`);
  return answer as T;
}

function showSiteUser(user: SiteUser | null): void {
  byId('site-signed-in').hidden = user === null;
  byId('site-signed-out').hidden = user !== null;
  byId('site-user-name').textContent = user?.name ?? '';
}

const info = await backend<SessionInfo>('session');
// Configured before the tags are defined, so the element's first request already has them.
login.setAttribute('host', info.tenant.host);
login.setAttribute('client-id', info.tenant.clientId);
dashboard.setAttribute('app-id', info.tenant.appId);
showSiteUser(info.user);

for (const user of info.users) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = `Sign in as ${user.name}`;
  button.addEventListener('click', () => {
    void (async () => {
      try {
        showSiteError('');
        const answer = await backend<{ user: SiteUser }>('login', { username: user.username });
        showSiteUser(answer.user);
        record('site sign-in', user.name);
        // The site session exists now: ask the backend for a Qlik token.
        await login.signIn();
      } catch (error) {
        showSiteError(error instanceof Error ? error.message : String(error));
      }
    })();
  });
  byId('site-users').append(button);
}

byId('site-logout').addEventListener('click', () => {
  void (async () => {
    try {
      showSiteError('');
      await backend('logout', {});
      showSiteUser(null);
      record('site sign-out');
      // Ask again: the backend now answers 401, and the element shows signed out.
      await login.signIn();
    } catch (error) {
      showSiteError(error instanceof Error ? error.message : String(error));
    }
  })();
});

/** Who the tenant says the token stands for: proof that impersonation picked the right user. */
async function showQlikUser(): Promise<void> {
  const target = byId('qlik-user');
  try {
    const token = await login.getAccessToken();
    const response = await fetch(new URL('/api/v1/users/me', login.host), { headers: { authorization: `Bearer ${token}` } });
    const me = (await response.json()) as { name?: string; subject?: string };
    target.textContent = response.ok ? `${me.name ?? '?'} (${me.subject ?? '?'})` : `HTTP ${response.status}`;
  } catch (error) {
    target.textContent = error instanceof Error ? error.message : String(error);
  }
}

for (const type of ['auth-signed-in', 'auth-token-refreshed', 'auth-signed-out', 'auth-error'] as const) {
  document.addEventListener(type, (event) => {
    const detail = 'error' in event && event.error ? `${event.error.code}: ${event.error.message}` : 'reason' in event ? String(event.reason) : '';
    record(type, detail);
    if (type === 'auth-signed-in') void showQlikUser();
    if (type === 'auth-signed-out') byId('qlik-user').textContent = '–';
  });
}

await import('../../src/define.ts');
await customElements.whenDefined('auth-login');

const showStatus = (status: string, expiresAt: number | undefined): void => {
  byId('auth-status').textContent = status;
  byId('auth-expiry').textContent = expiresAt ? new Date(expiresAt).toLocaleTimeString() : '–';
};
login.subscribe(({ status, expiresAt }) => showStatus(status, expiresAt));
showStatus(login.status, login.expiresAt);
