// Generated from custom-elements.json by scripts/generate-framework-types.ts. Do not edit.
/**
 * Vue `GlobalComponents` types for the embed-kit elements (`embed-kit/vue`). Vue still has to
 * treat the tags as custom elements (`compilerOptions.isCustomElement`); these types let
 * vue-tsc check their props and `@auth-signed-in`-style listeners.
 */
import type { DefineComponent } from 'vue';
import type { AuthLogin } from '../elements/auth-login/auth-login.js';
import type { AuthBeforeRedirectEvent, AuthErrorEvent, AuthSignedInEvent, AuthSignedOutEvent, AuthTokenRefreshedEvent, AuthUserChangedEvent } from '../elements/auth-login/events.js';
import type { QlikDashboard } from '../elements/qlik-dashboard/qlik-dashboard.js';
import type { QlikBookmarkAppliedEvent, QlikDataPointClickEvent, QlikErrorEvent, QlikRenderedEvent, QlikSelectionChangedEvent, QlikSessionOpenEvent, QlikSessionResumedEvent, QlikSessionSuspendedEvent, QlikVariableChangedEvent } from '../elements/qlik-events.js';
import type { QlikObject } from '../elements/qlik-object/qlik-object.js';
import type { QlikSelection } from '../elements/qlik-selection/qlik-selection.js';
import type { QlikVariable } from '../elements/qlik-selection/qlik-variable.js';

interface AuthLoginProps {
  /** `qlik` (default), `genesys`, `oidc` or `custom`. */
  provider?: AuthLogin['provider'];
  /** Genesys Cloud region, e.g. `mypurecloud.com`. */
  region?: AuthLogin['region'];
  /** OIDC issuer, discovered through `/.well-known/openid-configuration`. */
  issuer?: AuthLogin['issuer'];
  /** OAuth scope; each provider has a default. */
  scope?: AuthLogin['scope'];
  /** `custom` provider endpoints. */
  authorizationEndpoint?: AuthLogin['authorizationEndpoint'];
  tokenEndpoint?: AuthLogin['tokenEndpoint'];
  revocationEndpoint?: AuthLogin['revocationEndpoint'];
  /** Your backend's token endpoint (POSTed with cookies, answers `{access_token, expires_in}`); 401 means signed out. */
  accessTokenUrl?: AuthLogin['accessTokenUrl'];
  /** `get-access-token`: the name of a global `() => Promise<string>` (qlik-embed's contract). */
  accessTokenFunctionName?: AuthLogin['accessTokenFunctionName'];
  /** The same contract as a property: your function returns the raw access token. Property only. */
  getAccessTokenFn?: AuthLogin['getAccessTokenFn'];
  /** Redirect to sign in as soon as the page loads signed out (at most once per page load), after asking the other open tabs. With a live session at the provider, it comes back without a click. */
  autoRedirect?: AuthLogin['autoRedirect'];
  /** `tabs` (default): share the sign-in with this origin's other open tabs of the same provider, host, issuer (else token endpoint) and client id, in memory only: a new tab or page load asks them first, sign-out signs them all out, and one refresh serves them all. `none`: this element keeps to itself. */
  share?: AuthLogin['share'];
  /** Extra client options for page code: a `fetch` seam, `tokenRequestFormat`, `credentials`, `timeoutMs`. Property only. */
  options?: AuthLogin['options'];
  /** The tenant origin (normalised once a client exists), or the `host` attribute as given. */
  host?: AuthLogin['host'];
  clientId?: AuthLogin['clientId'];
  /** The registered redirect URI; defaults to this page's URL without query or hash. */
  redirectUri?: AuthLogin['redirectUri'];
  /** Before navigating to the authorization server. Cancelable. */
  onAuthBeforeRedirect?: (event: AuthBeforeRedirectEvent) => void;
  /** Tokens are held in memory. */
  onAuthSignedIn?: (event: AuthSignedInEvent) => void;
  /** The access token was refreshed. */
  onAuthTokenRefreshed?: (event: AuthTokenRefreshedEvent) => void;
  /** Tokens were dropped; `reason` says why: `user`, `other_tab` (signed out in another tab), `refresh_failed`, `expired` or `backend`. */
  onAuthSignedOut?: (event: AuthSignedOutEvent) => void;
  /** Something failed; `error` is the typed error with `code` and `hint`. A `user_unavailable` error (the user could not be loaded) leaves the sign-in and `status` as they are. */
  onAuthError?: (event: AuthErrorEvent) => void;
  /** `user` changed; `user` is the new value. */
  onAuthUserChanged?: (event: AuthUserChangedEvent) => void;
}

interface QlikDashboardProps {
  /** The sheet to show. Without it: a sheet picker, starting on the first sheet. */
  sheetId?: QlikDashboard['sheetId'];
  /** The app's id. */
  appId?: QlikDashboard['appId'];
  /** Optional engine session identity: its own selections, apart from other identities. */
  identity?: QlikDashboard['identity'];
  /** Id of the `<auth-login>` to use when it is not an ancestor and not the only one on the page. */
  auth?: QlikDashboard['auth'];
  /** `native` (default); `auto` (native for the types it draws well, nebula.js for the rest when its plugin is imported); or a renderer plugin the page imported: `nebula` (after `import 'embed-kit/renderers/nebula'`; Qlik's nebula.js charts on the same session) or `qlik-embed` (after `import 'embed-kit/renderers/qlik-embed'`). A plugin that was not imported shows a `renderer_not_registered` error. */
  renderer?: QlikDashboard['renderer'];
  /** `select` (default): tooltips and selections; `passive`: tooltips, no selections; `none`: static, no tooltips. */
  interactions?: QlikDashboard['interactions'];
  /** `lazy`: open the object only when it nears the viewport. Until one element that needs the session nears it, nothing is loaded or opened (no session code, no websocket). Calling a method (`select()`, `exportData()`…) opens it at once and waits for the open. Default `eager`. */
  loading?: QlikDashboard['loading'];
  /** A bookmark id to apply before the first render (and whenever it changes). */
  bookmark?: QlikDashboard['bookmark'];
  /** A sign-in object to use directly (property only); wins over `auth` and lookups. */
  authSource?: QlikDashboard['authSource'];
  /** The session pool (property only); default the page's shared pool. */
  pool?: QlikDashboard['pool'];
  /** The session is open; `app` and `session` are usable. */
  onQlikSessionOpen?: (event: QlikSessionOpenEvent) => void;
  /** The connection dropped (`initiator`, `code`); it resumes when it can. */
  onQlikSessionSuspended?: (event: QlikSessionSuspendedEvent) => void;
  /** The connection is back. */
  onQlikSessionResumed?: (event: QlikSessionResumedEvent) => void;
  /** The user changed selections (in an object, or clear/clear-all here). */
  onQlikSelectionChanged?: (event: QlikSelectionChangedEvent) => void;
  /** Opening, resuming or an engine call failed (`error`, typed). */
  onQlikError?: (event: QlikErrorEvent) => void;
  /** After every render of the sheet and of each object on it, errors included (`detail`). */
  onQlikRendered?: (event: QlikRenderedEvent) => void;
  /** A data point in an object was activated (`detail`); cancel it to skip the selection. */
  onQlikDataPointClick?: (event: QlikDataPointClickEvent) => void;
  /** A bookmark was applied (`bookmarkId`). */
  onQlikBookmarkApplied?: (event: QlikBookmarkAppliedEvent) => void;
  /** A variable was set (`name`, `text`, `number`). */
  onQlikVariableChanged?: (event: QlikVariableChangedEvent) => void;
}

interface QlikObjectProps {
  /** The object's id in the app (a master object or a sheet's object). */
  objectId?: QlikObject['objectId'];
  /** `none` hides the object menu (export buttons). Default `auto`. */
  menu?: QlikObject['menu'];
  /** The app's id. */
  appId?: QlikObject['appId'];
  /** Optional engine session identity: its own selections, apart from other identities. */
  identity?: QlikObject['identity'];
  /** Id of the `<auth-login>` to use when it is not an ancestor and not the only one on the page. */
  auth?: QlikObject['auth'];
  /** `native` (default); `auto` (native for the types it draws well, nebula.js for the rest when its plugin is imported); or a renderer plugin the page imported: `nebula` (after `import 'embed-kit/renderers/nebula'`; Qlik's nebula.js charts on the same session) or `qlik-embed` (after `import 'embed-kit/renderers/qlik-embed'`). A plugin that was not imported shows a `renderer_not_registered` error. */
  renderer?: QlikObject['renderer'];
  /** `select` (default): tooltips and selections; `passive`: tooltips, no selections; `none`: static, no tooltips. */
  interactions?: QlikObject['interactions'];
  /** `lazy`: open the object only when it nears the viewport. Until one element that needs the session nears it, nothing is loaded or opened (no session code, no websocket). Calling a method (`select()`, `exportData()`…) opens it at once and waits for the open. Default `eager`. */
  loading?: QlikObject['loading'];
  /** A bookmark id to apply before the first render (and whenever it changes). */
  bookmark?: QlikObject['bookmark'];
  /** A sign-in object to use directly (property only); wins over `auth` and lookups. */
  authSource?: QlikObject['authSource'];
  /** The session pool (property only); default the page's shared pool. */
  pool?: QlikObject['pool'];
  /** The session is open; `app` and `session` are usable. */
  onQlikSessionOpen?: (event: QlikSessionOpenEvent) => void;
  /** The connection dropped (`initiator`, `code`); it resumes when it can. */
  onQlikSessionSuspended?: (event: QlikSessionSuspendedEvent) => void;
  /** The connection is back. */
  onQlikSessionResumed?: (event: QlikSessionResumedEvent) => void;
  /** The user changed selections through this element (`detail`). */
  onQlikSelectionChanged?: (event: QlikSelectionChangedEvent) => void;
  /** Opening, resuming or an engine call failed (`error`, typed). */
  onQlikError?: (event: QlikErrorEvent) => void;
  /** After every render, errors included (`detail`: `objectId`, `type`, `durationMs`, `error`). */
  onQlikRendered?: (event: QlikRenderedEvent) => void;
  /** A data point was activated (`detail`: `field`, `value`, `measureValues`); cancel it to skip the selection. */
  onQlikDataPointClick?: (event: QlikDataPointClickEvent) => void;
  /** A bookmark was applied (`bookmarkId`). */
  onQlikBookmarkApplied?: (event: QlikBookmarkAppliedEvent) => void;
  /** A variable was set (`name`, `text`, `number`). */
  onQlikVariableChanged?: (event: QlikVariableChangedEvent) => void;
}

interface QlikSelectionProps {
  /** The field to select in. */
  field?: QlikSelection['field'];
  /** Values separated by `;` (`Europe;Americas`); plain numbers (`2023`) select numeric values. */
  values?: QlikSelection['values'];
  /** A Qlik search string (`Eur*`, `>1000`) to select by, instead of `values`. */
  match?: QlikSelection['match'];
  /** An alternate state to select in; default the app's default state. */
  state?: QlikSelection['state'];
}

interface QlikVariableProps {
  /** The variable's name. */
  name?: QlikVariable['name'];
  /** Its value; a plain number (`0.15`) is set as a number, anything else as text. */
  value?: QlikVariable['value'];
}

declare module 'vue' {
  interface GlobalComponents {
    /** Signs the user in with OAuth 2 Authorization Code + PKCE and keeps the tokens in memory. With `access-token-url` (or `get-access-token`, or the `getAccessTokenFn` property) it takes the tokens from your backend instead: no redirect and no PKCE. It asks at once, shows signed out when the backend answers 401, and its sign-in button asks again. It does not hold the sign-in itself: it creates the one owner of the sign-in state (`auth`, an `AuthClient` or a `BackendTokenSource`), shows it, and provides it to nested elements through context. Others find the element by `auth="<id>"` or, when it is the only one, by looking it up in the document; its `status`, `getAccessToken()` and `subscribe()` forward to the owner. Rendered on the server (`@lit-labs/ssr`) it shows signed out (with tokens from a backend: "Signing in…", as the browser will ask at once) and creates no owner: there is no page to sign in from, and the browser takes over. */
    'auth-login': DefineComponent<AuthLoginProps>;
    /** A live Qlik sheet with a sheet picker and selections bar. */
    'qlik-dashboard': DefineComponent<QlikDashboardProps>;
    /** A live Qlik object, rendered natively or through qlik-embed. */
    'qlik-object': DefineComponent<QlikObjectProps>;
    /** A selection applied to the parent's app before it renders. */
    'qlik-selection': DefineComponent<QlikSelectionProps>;
    /** A variable value set on the parent's app before it renders. */
    'qlik-variable': DefineComponent<QlikVariableProps>;
  }
}

export {};
