/**
 * Journey: state declared in markup — `<qlik-selection>` and `<qlik-variable>` children and the
 * `bookmark` attribute — against the dev tenant. The KPI's every shown text is recorded from
 * before the page loads, so "no flash of unfiltered data" is checked, not assumed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startJourneyWorld, type JourneyWorld } from '../support/journey.ts';
import { DRIVE_PAGE_PATH, driveEvents, kpiTexts, money, openDrive, salesRows, salesWhere, waitForDriveEvent } from '../support/drive.ts';
import { eventually } from '../support/qlik-journey.ts';

let world: JourneyWorld;
before(async () => {
  world = await startJourneyWorld(DRIVE_PAGE_PATH);
});
after(async () => {
  await world?.close();
});

const APP = '6f1c2a4e-8b3d-4c7a-9e21-5d0f3b8a7c64';
const europe2023 = money(salesWhere((row) => row.Region === 'Europe' && row.Year === 2023));
const kpiText = (page: import('playwright-core').Page) => page.locator('qlik-object[object-id="kpi-total-sales"] .kpi-value').first();

test('plain HTML children select before the first render: the KPI never shows an unfiltered value', async () => {
  const { context, page, sent } = await openDrive(world);
  await waitForDriveEvent(page, { type: 'qlik-rendered', objectId: 'kpi-total-sales' });
  assert.equal((await kpiText(page).textContent())?.trim(), europe2023);
  // Every text the KPI ever held, recorded by a MutationObserver installed before load.
  assert.deepEqual(await kpiTexts(page), [europe2023]);
  const methods = sent.map((m) => m.method);
  const firstGetObject = methods.indexOf('GetObject');
  assert.ok(firstGetObject > 0, 'the object was opened');
  assert.equal(methods.slice(0, firstGetObject).filter((m) => m === 'SelectValues').length, 2, 'both selections were sent before the object was opened');
  // Year is numeric: selected by number, Region by text.
  const yearSelect = sent.find((m) => m.method === 'SelectValues' && JSON.stringify(m.params).includes('2023'));
  assert.match(JSON.stringify(yearSelect?.params), /"qIsNumeric":true/);
  await context.close();
});

test('changing a <qlik-selection> reselects; removing it clears its field', async () => {
  const { context, page } = await openDrive(world);
  await eventually(async () => (await kpiText(page).textContent())?.trim() === europe2023, 'filtered KPI');
  await page.locator('qlik-selection[field="Region"]').evaluate((el) => el.setAttribute('values', 'Americas;Asia Pacific'));
  const americasAsia2023 = money(salesWhere((row) => (row.Region === 'Americas' || row.Region === 'Asia Pacific') && row.Year === 2023));
  await eventually(async () => (await kpiText(page).textContent())?.trim() === americasAsia2023, `KPI shows Americas+Asia 2023 ${americasAsia2023}`);
  await page.locator('qlik-selection[field="Year"]').evaluate((el) => el.remove());
  const americasAsia = money(salesWhere((row) => row.Region === 'Americas' || row.Region === 'Asia Pacific'));
  await eventually(async () => (await kpiText(page).textContent())?.trim() === americasAsia, `KPI shows all years ${americasAsia}`);
  const selections = () => page.locator('qlik-object').first().evaluate((el) => JSON.stringify((el as unknown as { selections: { field: string; values: string[] }[] }).selections.map((s) => [s.field, s.values])));
  await eventually(async () => (await selections()) === JSON.stringify([['Region', ['Americas', 'Asia Pacific']]]), 'the selections property follows');
  await context.close();
});

test('match="…" selects by a search string, and a bookmark attribute applies before the first render', async () => {
  const markup = `<qlik-object app-id="${APP}" object-id="kpi-total-sales" bookmark="bm-europe-2023"></qlik-object>
    <qlik-object id="searched" app-id="${APP}" object-id="bar-sales-by-region" identity="other">
      <qlik-selection field="Country" match="Ger*"></qlik-selection>
    </qlik-object>`;
  const { context, page } = await openDrive(world, { markup });
  await waitForDriveEvent(page, { type: 'qlik-rendered', objectId: 'kpi-total-sales' });
  assert.deepEqual(await kpiTexts(page), [europe2023], 'the bookmark was applied before the KPI first rendered');
  await waitForDriveEvent(page, { type: 'qlik-bookmark-applied', bookmarkId: 'bm-europe-2023' });
  await waitForDriveEvent(page, { type: 'qlik-rendered', objectId: 'bar-sales-by-region' });
  const countries = await page.locator('#searched').evaluate((el) => (el as unknown as { selections: { field: string; values: string[] }[] }).selections);
  const expected = [...new Set(salesRows().map((row) => row.Country))].filter((c) => c.toLowerCase().startsWith('ger'));
  assert.deepEqual(countries.map((s) => [s.field, s.values.sort()]), [['Country', expected.sort()]]);
  await context.close();
});

test('<qlik-variable> sets a variable before the first render and again when its value changes', async () => {
  const markup = `<qlik-object id="whatif" app-id="${APP}" object-id="kpi-total-sales"><qlik-variable name="vGrowth" value="0.5"></qlik-variable></qlik-object>`;
  const { context, page } = await openDrive(world, { markup });
  const changed = await waitForDriveEvent(page, { type: 'qlik-variable-changed', name: 'vGrowth' });
  assert.equal(changed.number, 0.5);
  await waitForDriveEvent(page, { type: 'qlik-rendered', objectId: 'kpi-total-sales' });
  const events = await driveEvents(page);
  assert.ok(
    events.findIndex((e) => e.type === 'qlik-variable-changed') < events.findIndex((e) => e.type === 'qlik-rendered'),
    'the variable was set before the object rendered',
  );
  // Read back through the engine itself, not through the kit.
  const evaluate = () => page.locator('#whatif').evaluate((el) => (el as unknown as { app: { evaluate(e: string): Promise<string> } }).app.evaluate('$(vGrowth)*100'));
  assert.equal(await evaluate(), '50');
  await page.locator('qlik-variable').evaluate((el) => el.setAttribute('value', '0.25'));
  const second = await waitForDriveEvent(page, { type: 'qlik-variable-changed', number: 0.25 });
  assert.equal(second.name, 'vGrowth');
  assert.equal(await evaluate(), '25');
  await context.close();
});
