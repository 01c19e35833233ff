import './config.ts';
import '../src/define.ts';

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
