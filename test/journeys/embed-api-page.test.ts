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
