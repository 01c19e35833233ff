/**
 * Type tests for the generated framework typings: `npm run typecheck` compiles this file, so a
 * wrong prop or listener type fails the build. Nothing here runs.
 */
import { createElement } from 'react';
import type { GlobalComponents } from 'vue';
import { AuthLogin, QlikDashboard, QlikObject } from '../../src/react/index.ts';
import type { AuthSignedInEvent, QlikSelectionChangedEvent } from '../../src/index.ts';
import type {} from '../../src/vue/components.d.ts';

// React: properties are props, events are typed `on…` props.
createElement(AuthLogin, { clientId: 'id', host: 'tenant.example', onAuthSignedIn: (event: AuthSignedInEvent) => event.expiresAt });
createElement(QlikDashboard, { appId: 'app', auth: 'login', onQlikSelectionChanged: (event) => event.detail.action });
// @ts-expect-error: provider is a union of known names.
createElement(AuthLogin, { provider: 'nope' });
// @ts-expect-error: the event handler receives the typed event.
createElement(AuthLogin, { onAuthSignedIn: (event: QlikSelectionChangedEvent) => event.detail });

// The embed API: typed attributes and events on both Qlik elements.
createElement(QlikObject, { appId: 'app', objectId: 'kpi', interactions: 'passive', loading: 'lazy', menu: 'none', onQlikRendered: (event) => event.detail.durationMs });
createElement(QlikDashboard, { appId: 'app', onQlikDataPointClick: (event) => event.detail.measureValues[0]?.number, onQlikVariableChanged: (event) => event.number });
// @ts-expect-error: interactions is a union of known modes.
createElement(QlikObject, { interactions: 'sometimes' });

// Vue: the tags are global components with typed props and listeners.
type LoginProps = InstanceType<GlobalComponents['auth-login']>['$props'];
const vueProps: LoginProps = { clientId: 'id', onAuthSignedIn: (event: AuthSignedInEvent) => void event.expiresAt };
// @ts-expect-error: appId is a string.
const wrongVueProps: InstanceType<GlobalComponents['qlik-dashboard']>['$props'] = { appId: 42 };
const objectProps: InstanceType<GlobalComponents['qlik-object']>['$props'] = { bookmark: 'bm-1', onQlikBookmarkApplied: (event) => void event.bookmarkId };
const selectionProps: InstanceType<GlobalComponents['qlik-selection']>['$props'] = { field: 'Region', values: 'Europe;Americas' };
export { vueProps, wrongVueProps, objectProps, selectionProps };
