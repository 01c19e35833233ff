/**
 * embed-kit in an Angular standalone component. CUSTOM_ELEMENTS_SCHEMA lets the template use our
 * tags; `[prop]` sets a DOM property (`authSource`, an object), a plain attribute stays an
 * attribute (`provider`), and `(auth-signed-in)` listens to the element's event.
 */
import { ChangeDetectionStrategy, Component, CUSTOM_ELEMENTS_SCHEMA, DestroyRef, ElementRef, afterNextRender, inject, signal, viewChild } from '@angular/core';
import type {
  AuthErrorEvent,
  AuthLogin,
  AuthSignedOutEvent,
  AuthStatus,
  QlikErrorEvent,
  QlikObject,
  QlikRenderedEvent,
  QlikSelectionChangedEvent,
  QlikSessionOpenEvent,
  QlikSessionResumedEvent,
  QlikSessionSuspendedEvent,
} from 'embed-kit';
import { SALES_KPI_ID } from '../../sample-app';
import { appId, clientId, host } from './config';

/**
 * The objects inside the dashboard share its session and report it too, and their events are
 * composed, so they reach a listener on the dashboard. Session state comes from its own.
 */
const own = (event: Event) => event.composedPath()[0] === event.currentTarget;

interface LogEntry {
  id: number;
  text: string;
}

@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="bar">
      <h1>embed-kit · Angular</h1>
      <auth-login
        #loginElement
        provider="qlik"
        [host]="host"
        [clientId]="clientId"
        (auth-signed-in)="record('auth-signed-in')"
        (auth-signed-out)="onSignedOut($event)"
        (auth-error)="onAuthError($event)"
      ></auth-login>
    </header>
    <main>
      <dl class="state">
        <dt>Auth status</dt>
        <dd id="auth-status">{{ authStatus() }}</dd>
        <dt>Session</dt>
        <dd id="session-status">{{ sessionStatus() }}</dd>
      </dl>
      <!-- Both elements share one engine session: one websocket, one OpenDoc. -->
      <qlik-object #kpiElement id="headline-kpi" [appId]="appId" [objectId]="kpiId" [authSource]="loginElement" (qlik-rendered)="onRendered($event)"></qlik-object>
      <p class="actions">
        <button id="select-europe" type="button" (click)="selectEurope()">Europe only</button>
        <button id="clear-all" type="button" (click)="clearAll()">Clear selections</button>
      </p>
      <qlik-dashboard
        [appId]="appId"
        [authSource]="loginElement"
        (qlik-session-open)="onSessionOpen($event)"
        (qlik-session-suspended)="onSuspended($event)"
        (qlik-session-resumed)="onResumed($event)"
        (qlik-selection-changed)="onSelection($event)"
        (qlik-error)="onQlikError($event)"
      ></qlik-dashboard>
      <h2>Event log</h2>
      <ol id="log" class="log" aria-live="polite">
        @for (entry of log(); track entry.id) {
          <li>{{ entry.text }}</li>
        }
      </ol>
    </main>
  `,
})
export class AppComponent {
  protected readonly host = host;
  protected readonly clientId = clientId;
  protected readonly appId = appId;
  protected readonly kpiId = SALES_KPI_ID;
  protected readonly authStatus = signal<AuthStatus>('signed-out');
  protected readonly sessionStatus = signal('idle');
  protected readonly log = signal<LogEntry[]>([]);
  private readonly login = viewChild.required<ElementRef<AuthLogin>>('loginElement');
  private readonly kpi = viewChild.required<ElementRef<QlikObject>>('kpiElement');
  private nextLogId = 0;

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      const element = this.login().nativeElement;
      this.authStatus.set(element.status);
      destroyRef.onDestroy(element.subscribe(({ status }) => this.authStatus.set(status)));
    });
  }

  protected record(type: string, text = ''): void {
    // Event details come from servers: Angular interpolates them as text, never as HTML.
    const entry = { id: this.nextLogId++, text: `${new Date().toLocaleTimeString()}  ${type}${text ? `  ${text}` : ''}` };
    this.log.update((entries) => [entry, ...entries]);
  }

  /** The element's methods return promises that reject with typed errors. */
  protected selectEurope(): void {
    this.kpi().nativeElement.select('Region', ['Europe']).catch((error: QlikErrorEvent['error']) => this.record('qlik-error', `${error.code}: ${error.message}`));
  }

  protected clearAll(): void {
    this.kpi().nativeElement.clearAll().catch((error: QlikErrorEvent['error']) => this.record('qlik-error', `${error.code}: ${error.message}`));
  }

  protected onRendered(event: QlikRenderedEvent): void {
    this.record('qlik-rendered', `${event.detail.objectId} ${event.detail.type}`);
  }

  protected onSignedOut(event: AuthSignedOutEvent): void {
    this.record('auth-signed-out', event.reason);
  }

  protected onAuthError(event: AuthErrorEvent): void {
    this.record('auth-error', `${event.error.code}: ${event.error.message}`);
  }

  protected onSessionOpen(event: QlikSessionOpenEvent): void {
    if (!own(event)) return;
    this.sessionStatus.set('open');
    this.record('qlik-session-open', this.appId);
  }

  protected onSuspended(event: QlikSessionSuspendedEvent): void {
    if (!own(event)) return;
    this.sessionStatus.set('suspended');
    this.record('qlik-session-suspended', `${event.initiator} ${event.code}`);
  }

  protected onResumed(event: QlikSessionResumedEvent): void {
    if (!own(event)) return;
    this.sessionStatus.set('open');
    this.record('qlik-session-resumed');
  }

  protected onSelection(event: QlikSelectionChangedEvent): void {
    const { action, field, values } = event.detail;
    this.record('qlik-selection-changed', [action, field, values?.join(', ')].filter(Boolean).join(' '));
  }

  protected onQlikError(event: QlikErrorEvent): void {
    if (own(event)) this.sessionStatus.set('error');
    this.record('qlik-error', `${event.error.code}: ${event.error.message}`);
  }
}
