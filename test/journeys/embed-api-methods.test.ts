/**
 * Journey: the element methods against the dev tenant — selections (select, search, clear,
 * back/forward, lock), bookmarks and variables — each checked on screen or through the engine
 * itself, and each failure checked to be a typed rejection.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startJourneyWorld, type JourneyWorld } from '../support/journey.ts';
import { DRIVE_PAGE_PATH, money, openDrive, salesWhere, waitForDriveEvent } from '../support/drive.ts';
import { eventually } from '../support/qlik-journey.ts';

let world: JourneyWorld;
before(async () => {
  world = await startJourneyWorld(DRIVE_PAGE_PATH);
});
after(async () => {
  await world?.close();
});

const APP = '6f1c2a4e-8b3d-4c7a-9e21-5d0f3b8a7c64';
/** Each test has its own engine session (identity), so no test sees another's selections. */
const markup = (identity: string) => `<qlik-object id="kpi" app-id="${APP}" object-id="kpi-total-sales" identity="${identity}"></qlik-object>`;
const total = money(salesWhere());

interface Outcome {
  ok: boolean;
  value?: unknown;
  name?: string;
  code?: string;
  hint?: string;
}

/** Calls a method on #kpi in the page; a rejection comes back as its name, code and hint. */
function call(page: Page, method: string, ...args: unknown[]): Promise<Outcome> {
  return page.evaluate(
    async ({ method, args }) => {
      const el = document.getElementById('kpi') as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      try {
        return { ok: true, value: await el[method]!(...args) };
      } catch (error) {
        const e = error as { name: string; code?: string; hint?: string };
        return { ok: false, name: e.name, code: e.code, hint: e.hint };
      }
    },
    { method, args },
  );
}

const kpi = async (page: Page) => (await page.locator('#kpi .kpi-value').textContent())?.trim();
const selections = (page: Page) => page.locator('#kpi').evaluate((el) => (el as unknown as { selections: unknown }).selections) as Promise<{ field: string; values: string[]; locked: boolean }[]>;

async function opened(identity: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const { context, page } = await openDrive(world, { markup: markup(identity) });
  await waitForDriveEvent(page, { type: 'qlik-rendered', objectId: 'kpi-total-sales' });
  assert.equal(await kpi(page), total);
  return { page, close: () => context.close() };
}

test('select, toggle, search, clearField, clearAll, back and forward change the KPI as the engine computes it', async () => {
  const { page, close } = await opened('selecting');
  const europe = money(salesWhere((r) => r.Region === 'Europe'));
  assert.equal((await call(page, 'select', 'Region', ['Europe'])).ok, true);
  await eventually(async () => (await kpi(page)) === europe, 'select Europe');
  await eventually(async () => JSON.stringify((await selections(page)).map((s) => [s.field, s.values])) === '[["Region",["Europe"]]]', 'selections property');

  const europeAmericas = money(salesWhere((r) => r.Region === 'Europe' || r.Region === 'Americas'));
  await call(page, 'select', 'Region', ['Americas'], { toggle: true });
  await eventually(async () => (await kpi(page)) === europeAmericas, 'toggle Americas in');

  const years = money(salesWhere((r) => (r.Region === 'Europe' || r.Region === 'Americas') && (r.Year === 2023 || r.Year === 2024)));
  await call(page, 'select', 'Year', [2023, 2024]);
  await eventually(async () => (await kpi(page)) === years, 'numeric values select by number');

  await call(page, 'back');
  await eventually(async () => (await kpi(page)) === europeAmericas, 'back undoes the year selection');
  await call(page, 'forward');
  await eventually(async () => (await kpi(page)) === years, 'forward redoes it');

  await call(page, 'clearField', 'Year');
  await eventually(async () => (await kpi(page)) === europeAmericas, 'clearField Year');

  const searched = await call(page, 'search', 'Country', 'Ger*');
  assert.deepEqual(searched, { ok: true, value: true });
  const germany = money(salesWhere((r) => (r.Region === 'Europe' || r.Region === 'Americas') && r.Country === 'Germany'));
  await eventually(async () => (await kpi(page)) === germany, 'search Ger* selects Germany');

  await call(page, 'clearAll');
  await eventually(async () => (await kpi(page)) === total, 'clearAll');
  await close();
});

test('lockField keeps a selection through clearAll; unlockField releases it', async () => {
  const { page, close } = await opened('locking');
  const europe = money(salesWhere((r) => r.Region === 'Europe'));
  await call(page, 'select', 'Region', ['Europe']);
  await eventually(async () => (await kpi(page)) === europe, 'Europe');
  assert.equal((await call(page, 'lockField', 'Region')).ok, true);
  await eventually(async () => (await selections(page)).some((s) => s.field === 'Region' && s.locked), 'Region reads as locked');
  await call(page, 'clearAll');
  await call(page, 'select', 'Region', ['Americas']);
  // Wait for the engine to answer both, then check nothing moved.
  await call(page, 'getVariable', 'vTarget');
  assert.equal(await kpi(page), europe, 'a locked field is neither cleared nor reselected');
  await call(page, 'unlockField', 'Region');
  await call(page, 'clearAll');
  await eventually(async () => (await kpi(page)) === total, 'cleared once unlocked');
  await close();
});

test('applyBookmark, createBookmark and variables, with their events', async () => {
  const { page, close } = await opened('library');
  assert.equal((await call(page, 'applyBookmark', 'bm-europe-2023')).ok, true);
  const europe2023 = money(salesWhere((r) => r.Region === 'Europe' && r.Year === 2023));
  await eventually(async () => (await kpi(page)) === europe2023, 'bookmark applied');
  await waitForDriveEvent(page, { type: 'qlik-bookmark-applied', bookmarkId: 'bm-europe-2023' });

  await call(page, 'clearAll');
  await call(page, 'select', 'Category', ['Bikes']);
  const created = await call(page, 'createBookmark', 'Bikes only');
  assert.ok(created.ok && typeof created.value === 'string' && created.value.length > 0, 'createBookmark resolves an id');
  await call(page, 'clearAll');
  await eventually(async () => (await kpi(page)) === total, 'cleared');
  await call(page, 'applyBookmark', created.value);
  const bikes = money(salesWhere((r) => r.Category === 'Bikes'));
  await eventually(async () => (await kpi(page)) === bikes, 'the new bookmark restores Bikes');

  await call(page, 'clearAll');
  assert.deepEqual(await call(page, 'getVariable', 'vTarget'), { ok: true, value: { name: 'vTarget', text: '1000000', number: 1000000 } });
  const set = await call(page, 'setVariable', 'vRegion', 'Americas');
  assert.deepEqual(set.value, { name: 'vRegion', text: 'Americas', number: Number.NaN });
  await waitForDriveEvent(page, { type: 'qlik-variable-changed', name: 'vRegion', text: 'Americas' });
  const viaEngine = await page.locator('#kpi').evaluate((el) => (el as unknown as { app: { evaluate(e: string): Promise<string> } }).app.evaluate("Sum({<Region={'$(vRegion)'}>} Sales)"));
  assert.equal(viaEngine.replace(/[^0-9.]/g, '').split('.')[0], String(Math.floor(salesWhere((r) => r.Region === 'Americas'))), 'the engine uses the new value');
  await close();
});

test('every failure rejects with a typed error naming cause and fix', async () => {
  const { page, close } = await opened('failures');
  const fieldMissing = await call(page, 'select', 'Regoin', ['Europe']);
  assert.equal(fieldMissing.code, 'field_not_found');
  assert.equal(fieldMissing.name, 'QlikApiError');
  assert.match(fieldMissing.hint ?? '', /field name/);
  assert.equal((await call(page, 'applyBookmark', 'no-such-bookmark')).code, 'bookmark_not_found');
  assert.equal((await call(page, 'getVariable', 'vNope')).code, 'variable_not_found');
  assert.equal((await call(page, 'setVariable', 'vNope', 1)).code, 'variable_not_found');
  assert.equal((await call(page, 'select', 'Region', 'Europe')).name, 'TypeError', 'values must be an array');
  assert.equal((await call(page, 'setVariable', 'vTarget', { n: 1 })).name, 'TypeError');
  assert.equal((await call(page, 'createBookmark', '')).name, 'TypeError');
  // Before the session opens: not_open, not a hang.
  const early = await page.evaluate(async (app) => {
    const el = document.createElement('qlik-object') as unknown as HTMLElement & { select(f: string, v: string[]): Promise<void> };
    el.setAttribute('app-id', app);
    try {
      await el.select('Region', ['Europe']);
      return 'resolved';
    } catch (error) {
      return (error as { code: string }).code;
    }
  }, APP);
  assert.equal(early, 'not_open');
  await close();
});

test('select({ state }) selects in an alternate state and leaves the default state alone', async () => {
  const { page, close } = await opened('states');
  const asia = salesWhere((r) => r.Region === 'Asia Pacific');
  const result = await page.locator('#kpi').evaluate(async (el) => {
    const kpi = el as unknown as { app: { addAlternateState(n: string): Promise<void>; evaluate(e: string): Promise<string> }; select(f: string, v: string[], o: object): Promise<void> };
    await kpi.app.addAlternateState('Compare');
    await kpi.select('Region', ['Asia Pacific'], { state: 'Compare' });
    return { compare: await kpi.app.evaluate('Sum({Compare} Sales)'), fallback: await kpi.app.evaluate('Sum(Sales)') };
  });
  assert.equal(Math.round(Number(result.compare.replace(/[^0-9.]/g, ''))), Math.round(asia), 'the alternate state holds the selection');
  assert.equal(Math.round(Number(result.fallback.replace(/[^0-9.]/g, ''))), Math.round(salesWhere()), 'the default state does not');
  assert.equal(await kpi(page), total);
  await close();
});
