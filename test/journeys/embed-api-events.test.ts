/**
 * Journey: the events (`qlik-rendered` on every render and on error paths, the cancelable
 * `qlik-data-point-click`) and the three interaction modes, against the dev tenant. Whether a
 * click selected is read from the websocket frames the page sent, not from the kit.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startJourneyWorld, type JourneyWorld } from '../support/journey.ts';
import { DRIVE_PAGE_PATH, driveEvents, money, openDrive, salesWhere, waitForDriveEvent, type DrivePage } from '../support/drive.ts';
import { eventually } from '../support/qlik-journey.ts';

let world: JourneyWorld;
before(async () => {
  world = await startJourneyWorld(DRIVE_PAGE_PATH);
});
after(async () => {
  await world?.close();
});

const APP = '6f1c2a4e-8b3d-4c7a-9e21-5d0f3b8a7c64';
const total = money(salesWhere());
const kpi = async (page: Page) => (await page.locator('qlik-object[object-id="kpi-total-sales"] .kpi-value').first().textContent())?.trim();

/** A KPI and the bar chart, in their own engine session, with the given interactions. */
const pair = (identity: string, interactions?: string) =>
  `<qlik-object app-id="${APP}" object-id="kpi-total-sales" identity="${identity}"></qlik-object>
   <qlik-object id="bars" app-id="${APP}" object-id="bar-sales-by-region" identity="${identity}" ${interactions ? `interactions="${interactions}"` : ''}></qlik-object>`;

async function firstBar(drive: DrivePage) {
  await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'bar-sales-by-region' });
  const bar = drive.page.locator('#bars rect.bar').first();
  const region = ((await bar.getAttribute('aria-label')) ?? '').split(':')[0] ?? '';
  return { bar, region };
}

/** A round trip to the engine after an action: anything the action sent has been sent by then. */
async function settle(page: Page): Promise<void> {
  await page.locator('#bars').evaluate((el) => (el as unknown as { getVariable(n: string): Promise<unknown> }).getVariable('vTarget'));
}

const sentSelections = (drive: DrivePage) => drive.sent.filter((m) => m.method === 'SelectHyperCubeValues').length;

test('qlik-rendered fires after the first render and after every update, with id, type and duration', async () => {
  const drive = await openDrive(world, { markup: pair('rendered') });
  const { bar, region } = await firstBar(drive);
  await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'kpi-total-sales' });
  const before = (await driveEvents(drive.page)).filter((e) => e.type === 'qlik-rendered');
  assert.deepEqual(before.map((e) => [e.objectId, e.renderedType, e.error]).sort(), [['bar-sales-by-region', 'barchart', undefined], ['kpi-total-sales', 'kpi', undefined]]);
  await bar.click();
  await eventually(async () => (await kpi(drive.page)) === money(salesWhere((r) => r.Region === region)), 'selected');
  await eventually(async () => (await driveEvents(drive.page)).filter((e) => e.type === 'qlik-rendered' && e.objectId === 'kpi-total-sales').length >= 2, 'the KPI rendered again');
  for (const event of (await driveEvents(drive.page)).filter((e) => e.type === 'qlik-rendered')) {
    assert.ok(Number.isFinite(event.durationMs) && (event.durationMs ?? -1) >= 0, 'durationMs is a measured time');
  }
  await drive.context.close();
});

test('qlik-rendered fires on error paths: an object not found, and an app that does not open', async () => {
  const markup = `<qlik-object app-id="${APP}" object-id="no-such-object" identity="errors"></qlik-object>
    <qlik-object app-id="no-such-app" object-id="kpi-total-sales"></qlik-object>`;
  const drive = await openDrive(world, { markup });
  const missing = await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'no-such-object' });
  assert.equal(missing.error, 'object_not_found');
  const closed = await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'kpi-total-sales' });
  assert.equal(closed.error, 'engine_closed_4204');
  // The page sees the error rendered in each element as well.
  await drive.page.locator('qlik-object[object-id="no-such-object"] [part="error-message"]').waitFor();
  await drive.page.locator('qlik-object[app-id="no-such-app"] [part="error-message"]').waitFor();
  await drive.context.close();
});

test('qlik-data-point-click carries field, value and measure values; its default action selects', async () => {
  const drive = await openDrive(world, { markup: pair('click') });
  const { bar, region } = await firstBar(drive);
  await bar.click();
  const click = await waitForDriveEvent(drive.page, { type: 'qlik-data-point-click' });
  const regionSales = salesWhere((r) => r.Region === region);
  assert.deepEqual({ field: click.field, value: click.value, objectId: click.objectId }, { field: 'Region', value: region, objectId: 'bar-sales-by-region' });
  assert.equal(click.measureValues?.[0]?.text, money(regionSales));
  assert.equal(Math.round(click.measureValues?.[0]?.number ?? 0), Math.round(regionSales));
  await eventually(async () => (await kpi(drive.page)) === money(regionSales), 'the default action selected the region');
  await drive.context.close();
});

test('a cancelled qlik-data-point-click selects nothing', async () => {
  const drive = await openDrive(world, { markup: pair('cancel'), cancelDataPointClicks: true });
  const { bar } = await firstBar(drive);
  await bar.click();
  await waitForDriveEvent(drive.page, { type: 'qlik-data-point-click' });
  await settle(drive.page);
  assert.equal(sentSelections(drive), 0, 'no selection was sent');
  assert.equal(await kpi(drive.page), total);
  await drive.context.close();
});

test('interactions="passive": tooltips and click events, no selections', async () => {
  const drive = await openDrive(world, { markup: pair('passive', 'passive') });
  const { bar } = await firstBar(drive);
  assert.ok(((await bar.locator('title').textContent()) ?? '').includes(':'), 'the bar keeps its tooltip');
  await bar.click();
  await waitForDriveEvent(drive.page, { type: 'qlik-data-point-click' });
  await bar.press('Enter');
  await settle(drive.page);
  assert.equal(sentSelections(drive), 0, 'neither click nor keyboard selected');
  assert.equal(await kpi(drive.page), total);
  await drive.context.close();
});

test('interactions="none": a static picture, no pointer, no keyboard, no events', async () => {
  const drive = await openDrive(world, { markup: pair('none', 'none') });
  const { bar } = await firstBar(drive);
  const content = drive.page.locator('#bars [part="content"]');
  assert.equal(await content.getAttribute('inert'), '', 'the content is inert (no focus, no tooltips)');
  assert.equal(await content.evaluate((el) => getComputedStyle(el).pointerEvents), 'none');
  const box = await bar.boundingBox();
  assert.ok(box);
  await drive.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await settle(drive.page);
  assert.equal(sentSelections(drive), 0);
  assert.ok(!(await driveEvents(drive.page)).some((e) => e.type === 'qlik-data-point-click'), 'no click event');
  assert.equal(await drive.page.locator('#bars [part="menu"]').count(), 1, 'the menu (exports) still works');
  await drive.context.close();
});

test('interactions="select" (default) selects from a click, in a dashboard too, and events bubble out of its shadow root', async () => {
  const drive = await openDrive(world, { markup: `<qlik-dashboard app-id="${APP}" identity="dash"></qlik-dashboard>` });
  await waitForDriveEvent(drive.page, { type: 'qlik-rendered', renderedType: 'sheet' });
  const bar = drive.page.locator('qlik-object[object-id="bar-sales-by-region"] rect.bar').first();
  await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'bar-sales-by-region' });
  await bar.click();
  const click = await waitForDriveEvent(drive.page, { type: 'qlik-data-point-click' });
  assert.equal(click.target, 'qlik-object', 'composed: the page hears the cell inside the dashboard');
  await eventually(() => sentSelections(drive) === 1, 'selected');
  await drive.context.close();
});
