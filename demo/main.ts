import './config.ts';
import '../src/define.ts';
import { SALES_APP_ID } from './sample-app.ts';

// config.ts applied QLIK_APP_ID where given; otherwise the dev tenant's sample app.
for (const element of document.querySelectorAll('[data-demo-app]')) {
  if (!element.hasAttribute('app-id')) element.setAttribute('app-id', SALES_APP_ID);
}

const login = document.querySelector('auth-login');
const log = document.getElementById('log');
const status = document.getElementById('auth-status');
const expiry = document.getElementById('auth-expiry');

function record(type: string, text: string): void {
  const item = document.createElement('li');
  // Event details are data from servers: text only, never HTML.
  item.textContent = `${new Date().toLocaleTimeString()}  ${type}${text ? `  ${text}` : ''}`;
  log?.prepend(item);
}

const authEvents = ['auth-before-redirect', 'auth-signed-in', 'auth-token-refreshed', 'auth-signed-out', 'auth-error'] as const;
for (const type of authEvents) {
  document.addEventListener(type, (event) => {
    const detail =
      'error' in event && event.error ? `${event.error.code}: ${event.error.message}` : 'reason' in event ? String(event.reason) : '';
    record(type, detail);
  });
}

login?.subscribe(({ status: current, expiresAt }) => {
  if (status) status.textContent = current;
  if (expiry) expiry.textContent = expiresAt ? new Date(expiresAt).toLocaleTimeString() : '–';
});

// The session state. Every object on the dashboard shares its session and fires the same
// session events (they bubble out of the dashboard's shadow root), so the log shows the
// dashboard's own; selections and errors are logged wherever they come from.
const sessionStatus = document.getElementById('session-status');
const own = (event: Event): boolean => event.composedPath()[0] === event.target;
const origin = (event: Event): string => {
  const target = event.composedPath()[0];
  return target instanceof Element ? (target.getAttribute('object-id') ?? target.localName) : '';
};
function session(event: Event, state: string, text = ''): void {
  if (!own(event)) return;
  record(event.type, text);
  if (sessionStatus) sessionStatus.textContent = state;
}
document.addEventListener('qlik-session-open', (event) => session(event, 'open', event.appId));
document.addEventListener('qlik-session-suspended', (event) => session(event, 'suspended', `${event.initiator}, close code ${event.code}`));
document.addEventListener('qlik-session-resumed', (event) => session(event, 'open'));
document.addEventListener('qlik-error', (event) => {
  record(event.type, `${event.error.code}: ${event.error.message} (${origin(event)})`);
  if (own(event) && sessionStatus) sessionStatus.textContent = 'error';
});
document.addEventListener('qlik-selection-changed', (event) => {
  const { action, field, values } = event.detail;
  record(event.type, [action, field, values?.join(', '), `(${origin(event)})`].filter(Boolean).join(' '));
});

// Light and dark theme: demo.css writes every colour as light-dark(), so the toggle only picks
// the color-scheme. It starts from the system's preference.
const toggle = document.getElementById('theme-toggle');
const applyTheme = (dark: boolean): void => {
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  toggle?.setAttribute('aria-pressed', String(dark));
};
applyTheme(matchMedia('(prefers-color-scheme: dark)').matches);
toggle?.addEventListener('click', () => applyTheme(document.documentElement.dataset.theme !== 'dark'));
