/**
 * Journey: page-level features against the dev tenant — the UI language (German from the page's
 * `lang`, a per-element override, strings the page registers, dictionaries loaded only when
 * used) and `loading="lazy"` (nothing below the fold is opened until scrolled to, counted from
 * the GetObject calls on the wire, all on one websocket).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startJourneyWorld, type JourneyWorld } from '../support/journey.ts';
import { DRIVE_PAGE_PATH, money, openDrive, salesWhere, waitForDriveEvent, type DrivePage } from '../support/drive.ts';
import { eventually } from '../support/qlik-journey.ts';

let world: JourneyWorld;
before(async () => {
  world = await startJourneyWorld(DRIVE_PAGE_PATH);
});
after(async () => {
  await world?.close();
});

const APP = '6f1c2a4e-8b3d-4c7a-9e21-5d0f3b8a7c64';

/** Two lazy objects, the bar chart and the pie, below the fold, on a session of their own identity. */
function lazyBelowTheFold(identity: string): string {
  return `<div style="height: 3000px"></div><qlik-object id="bars" loading="lazy" app-id="${APP}" object-id="bar-sales-by-region" identity="${identity}"></qlik-object>
    <qlik-object id="pie" loading="lazy" app-id="${APP}" object-id="pie-sales-by-category" identity="${identity}"></qlik-object>`;
}

/** Counts the page's engine websockets (the page server's own client keeps a socket too). */
function countEngineSockets(page: Page): { readonly count: number } {
  let count = 0;
  page.on('websocket', (socket) => {
    if (new URL(socket.url()).pathname.startsWith('/app/')) count += 1;
  });
  return {
    get count() {
      return count;
    },
  };
}

test('a German page gets the German UI, renderers included; numbers keep the app\'s formats; pages can add strings', async () => {
  const markup = `<qlik-dashboard id="dash" app-id="${APP}" identity="de"></qlik-dashboard>
    <qlik-object id="sv" lang="sv" app-id="${APP}" object-id="kpi-total-sales" identity="de"></qlik-object>
    <qlik-object id="table" app-id="${APP}" object-id="table-sales-details" identity="de"></qlik-object>`;
  const drive = await openDrive(world, { markup, lang: 'de' });
  const { page } = drive;
  await waitForDriveEvent(page, { type: 'qlik-rendered', renderedType: 'sheet' });
  const dash = page.locator('#dash');
  await dash.getByText('Keine Auswahl').waitFor();
  assert.equal((await dash.locator('header label').textContent())?.replace(/\s+/g, ' ').trim().startsWith('Arbeitsblatt'), true);
  // The cells inherit the dashboard's language through its shadow root.
  const cell = page.locator('qlik-object[object-id="bar-sales-by-region"]');
  await waitForDriveEvent(page, { type: 'qlik-rendered', objectId: 'bar-sales-by-region' });
  assert.equal(await cell.locator('[part="menu-button"]').getAttribute('aria-label'), 'Weitere Aktionen');
  await cell.locator('[part="menu-button"]').click();
  await cell.getByRole('button', { name: 'Daten herunterladen (CSV)' }).waitFor();
  // The native renderers speak German too: the filter pane's listboxes (nested two shadow roots down) and the table.
  const region = dash.locator('qlik-object[object-id="listbox-region"]');
  await eventually(async () => (await region.locator('[part="search"]').getAttribute('placeholder')) === 'Suchen', 'the listbox search says Suchen');
  assert.equal(await region.locator('[part="search"]').getAttribute('aria-label'), 'Region durchsuchen');
  assert.equal((await region.locator('[part~="clear-button"]').textContent())?.trim(), 'Löschen');
  const table = page.locator('#table');
  await table.getByRole('button', { name: 'Weiter' }).waitFor();
  assert.equal(await table.getByRole('button', { name: 'Zurück' }).isDisabled(), true, 'on the first page');
  assert.match((await table.locator('.range').textContent()) ?? '', /^Zeilen 1–20 von \d+ \(Seite 1 von \d+\)$/);
  assert.equal(await table.locator('[part="pager"]').getAttribute('aria-label'), 'Tabellenseiten');
  await table.getByRole('button', { name: 'Weiter' }).click();
  await eventually(async () => /^Zeilen 21–40 von/.test((await table.locator('.range').textContent()) ?? ''), 'the second page, in German');
  // The numbers are the app's, not re-formatted for German.
  const kpi = page.locator('#dash qlik-object[object-id="kpi-total-sales"] .kpi-value');
  assert.equal((await kpi.textContent())?.trim(), money(salesWhere()));
  // An element's own lang wins over the page's.
  await waitForDriveEvent(page, { type: 'qlik-rendered', objectId: 'kpi-total-sales' });
  await eventually(async () => (await page.locator('#sv [part="menu-button"]').getAttribute('aria-label')) === 'Fler åtgärder', 'Swedish menu');
  // Select, then the page registers its own German wording for "clear all".
  await dash.locator('rect.bar').first().click();
  await dash.getByRole('button', { name: 'Alle löschen' }).waitFor();
  await page.evaluate(async () => {
    const path = '/src/qlik/i18n.ts';
    const { registerStrings } = (await import(path)) as typeof import('../../src/qlik/i18n.ts');
    registerStrings('de', { clearAll: 'Alles zurücksetzen' });
  });
  await dash.getByRole('button', { name: 'Alles zurücksetzen' }).waitFor();
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname).filter((path) => path.includes('/qlik/strings/')));
  assert.ok(loaded.some((path) => path.endsWith('/strings/de.ts')) && loaded.some((path) => path.endsWith('/strings/sv.ts')), 'German and Swedish were loaded');
  assert.ok(!loaded.some((path) => /\/strings\/(fr|es)\.ts$/.test(path)), 'dictionaries nobody uses are never loaded');
  await drive.context.close();
});

/** Object ids the page asked the engine for, in order. */
const opened = (drive: DrivePage) => drive.sent.filter((m) => m.method === 'GetObject').map((m) => (Array.isArray(m.params) ? m.params[0] : (m.params as { qId: string }).qId));

async function settle(page: Page): Promise<void> {
  await page.locator('#top').evaluate((el) => (el as unknown as { getVariable(n: string): Promise<unknown> }).getVariable('vTarget'));
}

test('loading="lazy" opens nothing below the fold until it is scrolled near, on the one shared session', async () => {
  const spacer = '<div style="height: 3000px"></div>';
  const markup = `<qlik-object id="top" app-id="${APP}" object-id="kpi-total-sales" identity="lazy"></qlik-object>
    ${spacer}<qlik-object id="bars" loading="lazy" app-id="${APP}" object-id="bar-sales-by-region" identity="lazy"></qlik-object>
    ${spacer}<qlik-object id="pie" loading="lazy" app-id="${APP}" object-id="pie-sales-by-category" identity="lazy"></qlik-object>`;
  const upgradesBefore = world.tenant.engine.stats.upgrades;
  const drive = await openDrive(world, { markup });
  await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'kpi-total-sales' });
  await settle(drive.page);
  assert.deepEqual(opened(drive), ['kpi-total-sales'], 'only the object in view was opened');
  await drive.page.locator('#bars').scrollIntoViewIfNeeded();
  await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'bar-sales-by-region' });
  await settle(drive.page);
  assert.deepEqual(opened(drive), ['kpi-total-sales', 'bar-sales-by-region'], 'the chart opened once scrolled to; the one further down did not');
  await drive.page.locator('#pie').scrollIntoViewIfNeeded();
  await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'pie-sales-by-category' });
  assert.deepEqual(opened(drive), ['kpi-total-sales', 'bar-sales-by-region', 'pie-sales-by-category']);
  assert.equal(world.tenant.engine.stats.upgrades - upgradesBefore, 1, 'all three share one websocket');
  await drive.context.close();
});

test('a page of only lazy objects below the fold loads no session code and opens no socket until scrolled; then one socket and one OpenDoc, shared', async () => {
  const upgradesBefore = world.tenant.engine.stats.upgrades;
  let engineSockets: { readonly count: number } = { count: 0 };
  const loads = { runtime: 0, enigma: 0 };
  const wire = () => ({ sockets: engineSockets.count, ...loads });
  const drive = await openDrive(world, {
    markup: lazyBelowTheFold('lazy-only'),
    prepare: async (page) => {
      engineSockets = countEngineSockets(page);
      page.on('request', (request) => {
        const path = new URL(request.url()).pathname;
        if (path.endsWith('/src/elements/qlik-runtime.ts')) loads.runtime += 1;
        if (path.includes('enigma')) loads.enigma += 1;
      });
    },
  });
  const { page } = drive;
  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 15_000 });
  // Everything signing in sets off has run: both objects saw they are out of view, the network is quiet.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.waitForLoadState('networkidle');
  assert.deepEqual(wire(), { sockets: 0, runtime: 0, enigma: 0 }, 'no session code, no enigma.js, no websocket before any object is near');
  assert.equal(world.tenant.engine.stats.upgrades - upgradesBefore, 0);
  assert.deepEqual(await page.locator('qlik-object').evaluateAll((els) => els.map((el) => el.getAttribute('status'))), ['idle', 'idle']);
  assert.equal(await page.locator('#bars [part="idle"]').count(), 0, 'no "sign in" notice on a signed-in lazy object');

  await page.locator('#bars').scrollIntoViewIfNeeded();
  await waitForDriveEvent(page, { type: 'qlik-rendered', objectId: 'bar-sales-by-region' });
  await waitForDriveEvent(page, { type: 'qlik-rendered', objectId: 'pie-sales-by-category' });
  assert.equal(engineSockets.count, 1, 'one websocket, shared by both objects');
  assert.equal(world.tenant.engine.stats.upgrades - upgradesBefore, 1);
  assert.equal(drive.sent.filter((m) => m.method === 'OpenDoc').length, 1, 'one OpenDoc');
  await drive.context.close();
});

test('a method on a lazy object below the fold opens it at once: one socket, one OpenDoc, and the selection applies', async () => {
  const upgradesBefore = world.tenant.engine.stats.upgrades;
  let engineSockets: { readonly count: number } = { count: 0 };
  const drive = await openDrive(world, {
    markup: lazyBelowTheFold('lazy-wake'),
    prepare: async (page) => {
      engineSockets = countEngineSockets(page);
    },
  });
  const { page } = drive;
  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 15_000 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.equal(engineSockets.count, 0, 'nothing opened before the call');
  // Not scrolled to: the call wakes it, waits for the open, and selects.
  const outcome = await page.locator('#bars').evaluate(async (el) => {
    const bars = el as unknown as HTMLElement & { select(f: string, v: string[]): Promise<void>; status: string; app: { evaluate(e: string): Promise<string> } };
    try {
      await bars.select('Region', ['Europe']);
      return { status: bars.status, sales: await bars.app.evaluate('Sum(Sales)'), scrollY: window.scrollY };
    } catch (error) {
      return { error: (error as { code?: string; message?: string }).code ?? String(error) };
    }
  });
  assert.deepEqual({ ...outcome, sales: Math.round(Number(outcome.sales?.replace(/[^0-9.]/g, ''))) }, { status: 'open', sales: Math.round(salesWhere((r) => r.Region === 'Europe')), scrollY: 0 }, 'the engine filters to Europe');
  await waitForDriveEvent(page, { type: 'qlik-rendered', objectId: 'bar-sales-by-region' });
  await eventually(async () => (await page.locator('#bars').evaluate((el) => JSON.stringify((el as unknown as { selections: unknown }).selections))).includes('Europe'), 'the selections property follows');
  assert.equal(engineSockets.count, 1, 'one websocket');
  assert.equal(world.tenant.engine.stats.upgrades - upgradesBefore, 1);
  assert.equal(drive.sent.filter((m) => m.method === 'OpenDoc').length, 1, 'one OpenDoc');
  assert.deepEqual(opened(drive), ['bar-sales-by-region'], 'only the called object opened; its lazy neighbour still waits');
  assert.equal(await page.locator('#pie').getAttribute('status'), 'idle');
  await drive.context.close();
});
