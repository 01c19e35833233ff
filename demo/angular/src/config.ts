/**
 * Which tenant, client and app the demo uses. Angular builds ahead of time, so these are fixed
 * at build time: `ng build --define QLIK_HOST='"https://tenant.eu.qlikcloud.com"'` (npm start
 * passes its QLIK_* settings this way). Without them: the dev tenant on :8787 and its Sales app.
 */
import { SALES_APP_ID } from '../../sample-app';

declare const QLIK_HOST: string | undefined;
declare const QLIK_CLIENT_ID: string | undefined;
declare const QLIK_APP_ID: string | undefined;

export const host = typeof QLIK_HOST === 'string' ? QLIK_HOST : 'http://127.0.0.1:8787';
export const clientId = typeof QLIK_CLIENT_ID === 'string' ? QLIK_CLIENT_ID : 'embed-kit-demo';
export const appId = typeof QLIK_APP_ID === 'string' && QLIK_APP_ID ? QLIK_APP_ID : SALES_APP_ID;
