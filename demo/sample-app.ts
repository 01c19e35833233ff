/**
 * The app the framework demos show unless QLIK_APP_ID names another: the dev tenant's built-in
 * "Sales" app (`SAMPLE_APP_ID` in src/dev-tenant). Copied rather than imported, so the browser
 * does not load the dev tenant's data generator.
 */
export const SALES_APP_ID = '6f1c2a4e-8b3d-4c7a-9e21-5d0f3b8a7c64';

/** Its "Total sales" KPI, shown above the dashboard. */
export const SALES_KPI_ID = 'kpi-total-sales';
