'use client';
// Generated from custom-elements.json by scripts/generate-framework-types.ts. Do not edit.
/**
 * React components for the embed-kit elements (`embed-kit/react`), made with `@lit/react` (an optional
 * peer dependency: install it with React): props set the element's properties, and `on<Event>` props
 * (`onAuthSignedIn`) listen to its events. Importing this module registers the tags.
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import '../define.ts';
import { AuthLogin as AuthLoginElement } from '../elements/auth-login/auth-login.ts';
import { QlikDashboard as QlikDashboardElement } from '../elements/qlik-dashboard/qlik-dashboard.ts';
import { QlikObject as QlikObjectElement } from '../elements/qlik-object/qlik-object.ts';
import { QlikSelection as QlikSelectionElement } from '../elements/qlik-selection/qlik-selection.ts';
import { QlikVariable as QlikVariableElement } from '../elements/qlik-selection/qlik-variable.ts';
import type { AuthBeforeRedirectEvent, AuthErrorEvent, AuthSignedInEvent, AuthSignedOutEvent, AuthTokenRefreshedEvent, AuthUserChangedEvent } from '../elements/auth-login/events.ts';
import type { QlikBookmarkAppliedEvent, QlikDataPointClickEvent, QlikErrorEvent, QlikRenderedEvent, QlikSelectionChangedEvent, QlikSessionOpenEvent, QlikSessionResumedEvent, QlikSessionSuspendedEvent, QlikVariableChangedEvent } from '../elements/qlik-events.ts';

// React's server build has no hooks: say what to do instead of failing inside @lit/react.
if (typeof React.useRef !== 'function') {
  throw new Error("embed-kit/react: these components use the browser's custom elements and must run as client components. In a Server Component, render them from a file that starts with 'use client'.");
}

/** `<auth-login>`: Signs the user in with OAuth 2 Authorization Code + PKCE and keeps the tokens in memory. With `access-token-url` (or `get-access-token`, or the `getAccessTokenFn` property) it takes the tokens from your backend instead: no redirect and no PKCE. It asks at once, shows signed out when the backend answers 401, and its sign-in button asks again. It does not hold the sign-in itself: it creates the one owner of the sign-in state (`auth`, an `AuthClient` or a `BackendTokenSource`), shows it, and provides it to nested elements through context. Others find the element by `auth="<id>"` or, when it is the only one, by looking it up in the document; its `status`, `getAccessToken()` and `subscribe()` forward to the owner. Rendered on the server (`@lit-labs/ssr`) it shows signed out (with tokens from a backend: "Signing in…", as the browser will ask at once) and creates no owner: there is no page to sign in from, and the browser takes over. */
export const AuthLogin = createComponent({
  react: React,
  tagName: 'auth-login',
  elementClass: AuthLoginElement,
  events: {
    onAuthBeforeRedirect: 'auth-before-redirect' as EventName<AuthBeforeRedirectEvent>,
    onAuthSignedIn: 'auth-signed-in' as EventName<AuthSignedInEvent>,
    onAuthTokenRefreshed: 'auth-token-refreshed' as EventName<AuthTokenRefreshedEvent>,
    onAuthSignedOut: 'auth-signed-out' as EventName<AuthSignedOutEvent>,
    onAuthError: 'auth-error' as EventName<AuthErrorEvent>,
    onAuthUserChanged: 'auth-user-changed' as EventName<AuthUserChangedEvent>,
  },
  displayName: 'AuthLogin',
});

/** `<qlik-dashboard>`: A live Qlik sheet with a sheet picker and selections bar. */
export const QlikDashboard = createComponent({
  react: React,
  tagName: 'qlik-dashboard',
  elementClass: QlikDashboardElement,
  events: {
    onQlikSessionOpen: 'qlik-session-open' as EventName<QlikSessionOpenEvent>,
    onQlikSessionSuspended: 'qlik-session-suspended' as EventName<QlikSessionSuspendedEvent>,
    onQlikSessionResumed: 'qlik-session-resumed' as EventName<QlikSessionResumedEvent>,
    onQlikSelectionChanged: 'qlik-selection-changed' as EventName<QlikSelectionChangedEvent>,
    onQlikError: 'qlik-error' as EventName<QlikErrorEvent>,
    onQlikRendered: 'qlik-rendered' as EventName<QlikRenderedEvent>,
    onQlikDataPointClick: 'qlik-data-point-click' as EventName<QlikDataPointClickEvent>,
    onQlikBookmarkApplied: 'qlik-bookmark-applied' as EventName<QlikBookmarkAppliedEvent>,
    onQlikVariableChanged: 'qlik-variable-changed' as EventName<QlikVariableChangedEvent>,
  },
  displayName: 'QlikDashboard',
});

/** `<qlik-object>`: A live Qlik object, rendered natively or through qlik-embed. */
export const QlikObject = createComponent({
  react: React,
  tagName: 'qlik-object',
  elementClass: QlikObjectElement,
  events: {
    onQlikSessionOpen: 'qlik-session-open' as EventName<QlikSessionOpenEvent>,
    onQlikSessionSuspended: 'qlik-session-suspended' as EventName<QlikSessionSuspendedEvent>,
    onQlikSessionResumed: 'qlik-session-resumed' as EventName<QlikSessionResumedEvent>,
    onQlikSelectionChanged: 'qlik-selection-changed' as EventName<QlikSelectionChangedEvent>,
    onQlikError: 'qlik-error' as EventName<QlikErrorEvent>,
    onQlikRendered: 'qlik-rendered' as EventName<QlikRenderedEvent>,
    onQlikDataPointClick: 'qlik-data-point-click' as EventName<QlikDataPointClickEvent>,
    onQlikBookmarkApplied: 'qlik-bookmark-applied' as EventName<QlikBookmarkAppliedEvent>,
    onQlikVariableChanged: 'qlik-variable-changed' as EventName<QlikVariableChangedEvent>,
  },
  displayName: 'QlikObject',
});

/** `<qlik-selection>`: A selection applied to the parent's app before it renders. */
export const QlikSelection = createComponent({
  react: React,
  tagName: 'qlik-selection',
  elementClass: QlikSelectionElement,
  displayName: 'QlikSelection',
});

/** `<qlik-variable>`: A variable value set on the parent's app before it renders. */
export const QlikVariable = createComponent({
  react: React,
  tagName: 'qlik-variable',
  elementClass: QlikVariableElement,
  displayName: 'QlikVariable',
});
