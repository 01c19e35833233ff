/**
 * Journey: exports against the dev tenant — CSV from the object menu equal to the sums computed
 * here from the Sales rows, CSV paging through a hypercube bigger than one data page (the core
 * module, without elements), XLSX through the engine's ExportData, a PNG of a chart, and print
 * styles.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startJourneyWorld, type JourneyWorld } from '../support/journey.ts';
import { DRIVE_PAGE_PATH, money, openDrive, salesRows, waitForDriveEvent } from '../support/drive.ts';
import { startStandInServer } from '../support/stand-in-server.ts';

let world: JourneyWorld;
before(async () => {
  world = await startJourneyWorld(DRIVE_PAGE_PATH);
});
after(async () => {
  await world?.close();
});

const APP = '6f1c2a4e-8b3d-4c7a-9e21-5d0f3b8a7c64';
const integer = (n: number) => Math.round(n).toLocaleString('en-US');
const quoted = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

test('Download data (CSV) in the object menu: every row, with the app\'s formats, equal to the data', async () => {
  const drive = await openDrive(world, { markup: `<qlik-object id="table" app-id="${APP}" object-id="table-sales-details" identity="csv"></qlik-object>` });
  await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'table-sales-details' });
  await drive.page.locator('#table [part="menu-button"]').click();
  const [download] = await Promise.all([drive.page.waitForEvent('download'), drive.page.getByRole('button', { name: 'Download data (CSV)' }).click()]);
  assert.equal(download.suggestedFilename(), 'table-sales-details.csv');
  const text = await readFile((await download.path()) as string, 'utf8');
  const [header, ...lines] = text.trimEnd().split('\r\n');
  assert.equal(header, 'Country,Product,Sales,Quantity');
  // Independently: group the generated rows by country and product.
  const groups = new Map<string, { sales: number; quantity: number }>();
  for (const row of salesRows()) {
    const key = `${quoted(row.Country)},${quoted(row.Product)}`;
    const group = groups.get(key) ?? { sales: 0, quantity: 0 };
    group.sales += row.Sales;
    group.quantity += row.Quantity;
    groups.set(key, group);
  }
  const expected = [...groups].map(([key, g]) => `${key},${quoted(money(g.sales))},${quoted(integer(g.quantity))}`);
  assert.equal(lines.length, expected.length, 'one line per country and product');
  assert.deepEqual([...lines].sort(), expected.sort());
  await drive.context.close();
});

test('hyperCubeCsv (src/qlik, no element) pages through a hypercube larger than one data page', async () => {
  const drive = await openDrive(world, { markup: `<qlik-object id="kpi" app-id="${APP}" object-id="kpi-total-sales" identity="paging"></qlik-object>` });
  await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'kpi-total-sales' });
  const csv = await drive.page.evaluate(async () => {
    // The core module, as the page server serves it: no element involved.
    const path = '/src/qlik/export-data.ts';
    const { hyperCubeCsv } = (await import(path)) as typeof import('../../src/qlik/export-data.ts');
    const app = (document.getElementById('kpi') as unknown as { app: import('../../src/qlik/qix-types.ts').QixDoc }).app;
    const model = await app.createSessionObject({
      qInfo: { qType: 'export-test' },
      qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['OrderID'] } }], qMeasures: [{ qDef: { qDef: 'Sum(Quantity)' } }], qInitialDataFetch: [] },
    });
    return hyperCubeCsv(model);
  });
  const lines = csv.trimEnd().split('\r\n').slice(1);
  const byOrder = new Map<number, number>();
  for (const row of salesRows()) byOrder.set(row.OrderID, (byOrder.get(row.OrderID) ?? 0) + row.Quantity);
  assert.ok(byOrder.size * 2 > 10_000, 'the cube is larger than one 10 000-cell page');
  assert.equal(lines.length, byOrder.size, 'every order is a line');
  const parsed = new Map(lines.map((line) => line.split(',') as [string, string]).map(([id, q]) => [Number(id), q]));
  for (const [id, quantity] of byOrder) assert.equal(parsed.get(id), String(quantity), `order ${id}`);
  const pages = drive.sent.filter((m) => m.method === 'GetHyperCubeData').length;
  assert.ok(pages >= 2, `paged (${pages} GetHyperCubeData calls)`);
  await drive.context.close();
});

test('exportData({ format: "xlsx" }) downloads the engine\'s ExportData file', async () => {
  const drive = await openDrive(world, { markup: `<qlik-object id="bars" app-id="${APP}" object-id="bar-sales-by-region" identity="xlsx"></qlik-object>` });
  await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'bar-sales-by-region' });
  const [download, size] = await Promise.all([
    drive.page.waitForEvent('download'),
    drive.page.locator('#bars').evaluate(async (el) => (await (el as unknown as { exportData(o: object): Promise<Blob> }).exportData({ format: 'xlsx' })).size),
  ]);
  assert.equal(download.suggestedFilename(), 'bar-sales-by-region.xlsx');
  const bytes = await readFile((await download.path()) as string);
  assert.equal(bytes.length, size);
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an OOXML (zip) file');
  assert.ok(drive.sent.some((m) => m.method === 'ExportData'), 'made by the engine');
  await drive.context.close();
});

test('an ExportData link to another origin is refused: the user\'s token never leaves the tenant', async () => {
  const elsewhere = await startStandInServer((_request, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('PK'));
  // The engine names its download by an absolute URL on another host (plain http, too): stand
  // between the page and the engine and rewrite the ExportData answer's link.
  const drive = await openDrive(world, {
    markup: `<qlik-object id="bars" app-id="${APP}" object-id="bar-sales-by-region" identity="xlsx-foreign"></qlik-object>`,
    prepare: (page) =>
      page.routeWebSocket(/\/app\//, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((message) => server.send(message));
        server.onMessage((message) => ws.send(typeof message === 'string' ? message.replaceAll('"/tempcontent/', `"${elsewhere.origin}/tempcontent/`) : message));
      }),
  });
  try {
    await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'bar-sales-by-region' });
    const outcome = await drive.page.locator('#bars').evaluate(async (el) => {
      try {
        await (el as unknown as { exportData(o: object): Promise<Blob> }).exportData({ format: 'xlsx', download: false });
        return { resolved: true };
      } catch (error) {
        const typed = error as { code?: string; message?: string; hint?: string };
        return { code: typed.code, message: typed.message, hint: typed.hint };
      }
    });
    assert.equal(outcome.code, 'export_url_refused', JSON.stringify(outcome));
    assert.ok(outcome.message?.includes(elsewhere.origin) && outcome.message.includes(world.tenant.url), `names both origins: ${outcome.message}`);
    assert.match(outcome.hint ?? '', /host/);
    assert.equal(elsewhere.requests.length, 0, 'nothing, and no token, was sent to the other host');
    // The object menu reports the same error as qlik-error.
    await drive.page.locator('#bars [part="menu-button"]').click();
    await drive.page.getByRole('button', { name: 'Download data (Excel)' }).click();
    await waitForDriveEvent(drive.page, { type: 'qlik-error', error: 'export_url_refused' });
    assert.equal(elsewhere.requests.length, 0);
  } finally {
    await drive.context.close();
    await elsewhere.close();
  }
});

test('exportImage() returns a PNG of the chart; the menu downloads it', async () => {
  const drive = await openDrive(world, { markup: `<qlik-object id="bars" app-id="${APP}" object-id="bar-sales-by-region" identity="png"></qlik-object>` });
  await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'bar-sales-by-region' });
  const picture = await drive.page.locator('#bars').evaluate(async (el) => {
    const blob = await (el as unknown as { exportImage(o: object): Promise<Blob> }).exportImage({ download: false });
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    context.drawImage(bitmap, 0, 0);
    const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const colours = new Set<string>();
    for (let i = 0; i < data.length; i += 4 * 97) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    const bar = (el.shadowRoot?.querySelector('rect.bar') as Element | null) ?? null;
    const fill = bar ? getComputedStyle(bar).fill : '';
    // Native charts lay out to their box: the picture is the chart's own drawing size, doubled.
    const drawing = el.shadowRoot?.querySelector<SVGSVGElement>('[part="content"] .chart svg')?.viewBox.baseVal;
    return { type: blob.type, width: bitmap.width, height: bitmap.height, colours: [...colours], fill, drawn: [drawing?.width ?? 0, drawing?.height ?? 0] };
  });
  assert.equal(picture.type, 'image/png');
  assert.ok(picture.drawn[0] > 0 && picture.drawn[1] > 0, 'the chart has a drawing size');
  assert.deepEqual([picture.width, picture.height], picture.drawn.map((n) => Math.round(n * 2)), 'the chart at twice its size');
  const barColour = /rgb\((\d+), (\d+), (\d+)\)/.exec(picture.fill)?.slice(1).join(',');
  assert.ok(barColour && picture.colours.includes(barColour), `the bars' colour ${barColour} is in the picture`);
  await drive.page.locator('#bars [part="menu-button"]').click();
  const [download] = await Promise.all([drive.page.waitForEvent('download'), drive.page.getByRole('button', { name: 'Download image (PNG)' }).click()]);
  const bytes = await readFile((await download.path()) as string);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  await drive.context.close();
});

test('print styles: each object breaks to its own page, without the menu', async () => {
  const markup = `<qlik-object id="one" app-id="${APP}" object-id="kpi-total-sales" identity="print"></qlik-object>
    <qlik-object id="two" app-id="${APP}" object-id="bar-sales-by-region" identity="print" menu="none"></qlik-object>`;
  const drive = await openDrive(world, { markup });
  await waitForDriveEvent(drive.page, { type: 'qlik-rendered', objectId: 'bar-sales-by-region' });
  assert.equal(await drive.page.locator('#two [part="menu"]').count(), 0, 'menu="none" hides the menu');
  await drive.page.emulateMedia({ media: 'print' });
  for (const id of ['one', 'two']) {
    const style = await drive.page.locator(`#${id}`).evaluate((el) => ({ after: getComputedStyle(el).breakAfter, inside: getComputedStyle(el).breakInside }));
    assert.deepEqual(style, { after: 'page', inside: 'avoid' }, `#${id} gets a clean page`);
  }
  assert.equal(await drive.page.locator('#one [part="menu"]').evaluate((el) => getComputedStyle(el).display), 'none');
  await drive.context.close();
});
