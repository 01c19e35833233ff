/**
 * embed-kit in React 19 through the `embed-kit/react` wrappers (@lit/react): props set the
 * elements' properties, `on…` props listen to their events, and a ref gives the element itself.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { AuthLogin, QlikDashboard, QlikObject } from 'embed-kit/react';
import type {
  AuthErrorEvent,
  AuthLogin as AuthLoginElement,
  AuthSignedOutEvent,
  AuthStatus,
  QlikErrorEvent,
  QlikObject as QlikObjectElement,
  QlikRenderedEvent,
  QlikSelectionChangedEvent,
  QlikSessionOpenEvent,
  QlikSessionResumedEvent,
  QlikSessionSuspendedEvent,
} from 'embed-kit';
import { appId as configuredAppId, clientId, host } from '../config.ts';
import { SALES_APP_ID, SALES_KPI_ID } from '../sample-app.ts';

const appId = configuredAppId ?? SALES_APP_ID;

interface LogEntry {
  id: number;
  text: string;
}

let nextLogId = 0;

/**
 * The objects inside the dashboard share its session and report it too, and their events are
 * composed, so they reach a listener on the dashboard. Session state comes from its own.
 */
const own = (event: Event) => event.composedPath()[0] === event.currentTarget;

export function App() {
  // The <auth-login> element, once React has created it; the Qlik elements take it as `authSource`.
  const [login, setLogin] = useState<AuthLoginElement | null>(null);
  const [authStatus, setAuthStatus] = useState<AuthStatus>('signed-out');
  const [sessionStatus, setSessionStatus] = useState('idle');
  const [log, setLog] = useState<LogEntry[]>([]);
  const kpi = useRef<QlikObjectElement>(null);

  const record = useCallback((type: string, text = '') => {
    const entry = { id: nextLogId++, text: `${new Date().toLocaleTimeString()}  ${type}${text ? `  ${text}` : ''}` };
    setLog((entries) => [entry, ...entries]);
  }, []);

  // In development StrictMode mounts, unmounts and mounts again: this logs all three steps.
  // The elements keep their sign-in and session across it (see the token and websocket counts).
  useEffect(() => {
    record('react', 'App mounted');
    return () => record('react', 'App unmounted');
  }, [record]);

  useEffect(() => {
    if (!login) return;
    setAuthStatus(login.status);
    return login.subscribe(({ status }) => setAuthStatus(status));
  }, [login]);

  const onSelection = (event: QlikSelectionChangedEvent) => {
    const { action, field, values } = event.detail;
    record('qlik-selection-changed', [action, field, values?.join(', ')].filter(Boolean).join(' '));
  };
  /** The element's methods return promises that reject with typed errors. */
  const drive = (action: (element: QlikObjectElement) => Promise<unknown>) => {
    const element = kpi.current;
    if (element) action(element).catch((error: QlikErrorEvent['error']) => record('qlik-error', `${error.code}: ${error.message}`));
  };
  const onRendered = (event: QlikRenderedEvent) => record('qlik-rendered', `${event.detail.objectId} ${event.detail.type}`);

  const onQlikError = (event: QlikErrorEvent) => {
    if (own(event)) setSessionStatus('error');
    record('qlik-error', `${event.error.code}: ${event.error.message}`);
  };

  return (
    <>
      <header className="bar">
        <h1>embed-kit · React</h1>
        <AuthLogin
          ref={setLogin}
          provider="qlik"
          host={host}
          clientId={clientId}
          onAuthSignedIn={() => record('auth-signed-in')}
          onAuthSignedOut={(event: AuthSignedOutEvent) => record('auth-signed-out', event.reason)}
          onAuthError={(event: AuthErrorEvent) => record('auth-error', `${event.error.code}: ${event.error.message}`)}
        />
      </header>
      <main>
        <dl className="state">
          <dt>Auth status</dt>
          <dd id="auth-status">{authStatus}</dd>
          <dt>Session</dt>
          <dd id="session-status">{sessionStatus}</dd>
        </dl>
        {/* Both elements share one engine session: one websocket, one OpenDoc. */}
        <QlikObject ref={kpi} id="headline-kpi" appId={appId} objectId={SALES_KPI_ID} authSource={login ?? undefined} onQlikRendered={onRendered} />
        <p className="actions">
          <button id="select-europe" type="button" onClick={() => drive((element) => element.select('Region', ['Europe']))}>
            Europe only
          </button>
          <button id="clear-all" type="button" onClick={() => drive((element) => element.clearAll())}>
            Clear selections
          </button>
        </p>
        <QlikDashboard
          appId={appId}
          authSource={login ?? undefined}
          onQlikSessionOpen={(event: QlikSessionOpenEvent) => {
            if (!own(event)) return;
            setSessionStatus('open');
            record('qlik-session-open', appId);
          }}
          onQlikSessionSuspended={(event: QlikSessionSuspendedEvent) => {
            if (!own(event)) return;
            setSessionStatus('suspended');
            record('qlik-session-suspended', `${event.initiator} ${event.code}`);
          }}
          onQlikSessionResumed={(event: QlikSessionResumedEvent) => {
            if (!own(event)) return;
            setSessionStatus('open');
            record('qlik-session-resumed');
          }}
          onQlikSelectionChanged={onSelection}
          onQlikError={onQlikError}
        />
        <h2>Event log</h2>
        <ol id="log" className="log" aria-live="polite">
          {log.map((entry) => (
            <li key={entry.id}>{entry.text}</li>
          ))}
        </ol>
      </main>
    </>
  );
}
