/**
 * The engine driven by the real enigma.js client over real websockets, with and without the
 * delta protocol. Expected numbers are computed here, independently, from the raw generated rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import enigma from 'enigma.js';
import { groupSum, near, nodeSocket, ROWS, schema, sum } from '../support/engine-harness.ts';
import type { GenericObjectLayout, GenericObjectProperties, HyperCube, NxAppLayout, NxCell, NxDimensionInfo, NxInfo, NxMeasureInfo, QixApi, QixDoc, QixField, QixGenericObject, QixGlobal, SelectionObject } from '../../src/qlik/qix-types.ts';
import { createEngine, SAMPLE_APP_ID, SALES_OBJECT_IDS as IDS, type Engine, type EngineUser, type SalesRow } from '../../src/dev-tenant/engine/index.ts';

const ORIGIN = 'http://localhost:5173';


// ---- the generated APIs as the kit types them (src/qlik/qix-types.ts), plus what only these tests read

type Cell = NxCell;
/** What the engine sends beyond what the kit reads: sort indicators and engine errors. */
interface EngineHyperCube extends HyperCube {
  qDimensionInfo: Array<NxDimensionInfo & { qSortIndicator?: string }>;
  qMeasureInfo: Array<NxMeasureInfo & { qError?: { qErrorCode: number } }>;
  qError?: { qErrorCode: number };
}
interface ObjectLayout extends GenericObjectLayout {
  qHyperCube?: EngineHyperCube;
  qSelectionInfo: { qInSelections: boolean };
}
interface AppLayout extends NxAppLayout {
  qLocaleInfo: { qDecimalSep: string; qThousandSep: string };
  qSelectionObject: SelectionObject;
}
interface GenericObject extends QixGenericObject {
  getLayout(): Promise<ObjectLayout>;
  getProperties(): Promise<Record<string, unknown>>;
  getEffectiveProperties(): Promise<Record<string, unknown>>;
  setProperties(props: Record<string, unknown>): Promise<void>;
  getChildInfos(): Promise<NxInfo[]>;
  beginSelections(paths: string[]): Promise<void>;
  endSelections(accept: boolean): Promise<void>;
  applyPatches(patches: Array<{ qOp: string; qPath: string; qValue?: string }>, soft: boolean): Promise<void>;
}
interface FieldApi extends QixField {
  getCardinal(): Promise<number>;
}
interface Doc extends QixDoc {
  getAppLayout(): Promise<AppLayout>;
  getAppProperties(): Promise<{ qTitle: string }>;
  getObject(id: string): Promise<GenericObject>;
  getObjects(options: { qTypes: string[]; qIncludeSessionObjects?: boolean; qData?: Record<string, string> }): Promise<Array<{ qInfo: NxInfo; qMeta: { title?: string }; qData: Record<string, unknown> }>>;
  createSessionObject(props: GenericObjectProperties): Promise<GenericObject>;
  getField(name: string): Promise<FieldApi>;
  evaluateEx(expression: string): Promise<{ qText: string; qIsNumeric: boolean; qNumber: number | 'NaN' }>;
  getTablesAndKeys(w: object, n: object, h: number, s: boolean, v: boolean): Promise<{ qtr: Array<{ qName: string; qNoOfRows: number; qFields: Array<{ qName: string; qnTotalDistinctValues: number }> }> }>;
}
interface Global extends QixGlobal {
  openDoc(id: string): Promise<Doc>;
  getActiveDoc(): Promise<Doc>;
  getDocList(): Promise<Array<{ qDocId: string; qTitle: string }>>;
}

// ---- the engine under test, behind a plain HTTP server with a fake token check

const USERS: Record<string, EngineUser> = {
  'ws-alice': { id: 'alice', subject: 'auth0|alice', name: 'Alice' },
  'ws-bob': { id: 'bob', subject: 'auth0|bob', name: 'Bob' },
};

let engine: Engine;
let server: http.Server;
let base: string;

before(async () => {
  engine = createEngine({
    verifyToken: async (token) => {
      const user = token ? USERS[token] : undefined;
      return user ? { ok: true, user } : { ok: false, status: 401, reason: 'invalid websocket token' };
    },
    isOriginTrusted: (origin) => origin === ORIGIN,
  });
  server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!engine.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await engine.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const sessions: EnigmaJS.Session[] = [];
let identityCounter = 0;

/** Opens the Sales app in a fresh engine session (its own identity) through enigma.js. */
async function openApp(delta: boolean, token = 'ws-alice'): Promise<{ session: EnigmaJS.Session; global: Global; doc: Doc }> {
  identityCounter += 1;
  const session = enigma.create({
    schema,
    url: `${base}/app/${SAMPLE_APP_ID}/identity/t${identityCounter}?accessToken=${token}&reloadUri=${encodeURIComponent('http://localhost:5173/')}`,
    createSocket: (url: string) => nodeSocket(url, { origin: ORIGIN }),
    protocol: { delta },
  });
  sessions.push(session);
  const global = (await session.open()) as unknown as Global;
  const doc = await global.openDoc(SAMPLE_APP_ID);
  return { session, global, doc };
}

after(async () => {
  await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
});

function onceChanged(api: QixApi): Promise<void> {
  return new Promise((resolve) => api.on('changed', () => resolve()));
}

// ---- independent expectations, straight from the generated rows

const sumSales = (rows: readonly SalesRow[]): number => sum(rows);
const money = (n: number): string => `$${Math.round(n).toLocaleString('en-US')}`;
function matrix(layout: ObjectLayout): Cell[][] {
  return layout.qHyperCube?.qDataPages[0]?.qMatrix ?? [];
}
function listRows(layout: ObjectLayout): Cell[] {
  return (layout.qListObject?.qDataPages[0]?.qMatrix ?? []).map((row) => row[0] as Cell);
}

for (const delta of [true, false]) {
  describe(`Sales app through enigma.js (delta ${delta ? 'on' : 'off'})`, { timeout: 60_000 }, () => {
    test('opens, reports the engine, the doc list and the app layout', async () => {
      const { session, global, doc } = await openApp(delta);
      assert.equal(doc.id, SAMPLE_APP_ID);
      assert.equal((await global.engineVersion()).qComponentVersion, '12.2027.0');
      const docs = await global.getDocList();
      assert.deepEqual(docs.map((d) => [d.qDocId, d.qTitle]), [[SAMPLE_APP_ID, 'Sales']]);
      assert.equal((await global.getActiveDoc()).id, SAMPLE_APP_ID);
      const layout = await doc.getAppLayout();
      assert.equal(layout.qTitle, 'Sales');
      assert.equal(layout.qLocaleInfo.qThousandSep, ',');
      assert.deepEqual(layout.qSelectionObject.qSelections, []);
      assert.equal((await doc.getAppProperties()).qTitle, 'Sales');
      const tables = await doc.getTablesAndKeys({ qcx: 0, qcy: 0 }, { qcx: 0, qcy: 0 }, 0, false, false);
      assert.equal(tables.qtr[0]?.qNoOfRows, ROWS.length);
      assert.equal(tables.qtr[0]?.qFields.find((f) => f.qName === 'Country')?.qnTotalDistinctValues, new Set(ROWS.map((r) => r.Country)).size);
      await assert.rejects(doc.getObject('no-such-object'), (err: { code?: number }) => err.code === -2);
      await session.close();
    });

    test('sheets list their cells; master objects and list boxes are listed', async () => {
      const { doc } = await openApp(delta);
      const infos = await doc.getAllInfos();
      const byType = (t: string): string[] => infos.filter((i) => i.qType === t).map((i) => i.qId).sort();
      assert.deepEqual(byType('sheet'), [IDS.analysisSheet, IDS.detailsSheet, IDS.overviewSheet].sort());
      assert.deepEqual(byType('masterobject'), [IDS.bar, IDS.filterPane, IDS.kpi, IDS.line, IDS.pie, IDS.table, IDS.text, IDS.stackedBar, IDS.combo, IDS.scatter, IDS.pivot].sort());
      assert.deepEqual(byType('listbox'), [IDS.categoryListbox, IDS.regionListbox, IDS.yearListbox].sort());

      const sheets = await doc.getObjects({ qTypes: ['sheet'], qData: { title: '/qMetaDef/title', cells: '/cells' } });
      assert.deepEqual(sheets.map((s) => s.qData.title).sort(), ['Analysis', 'Details', 'Overview']);
      const overview = await doc.getObject(IDS.overviewSheet);
      const layout = await overview.getLayout();
      assert.equal(layout.qInfo.qType, 'sheet');
      assert.equal(layout.qMeta?.title, 'Overview');
      const cells = layout.cells ?? [];
      assert.deepEqual(cells.map((c) => c.name), [IDS.kpi, IDS.text, IDS.filterPane, IDS.bar, IDS.pie, IDS.line]);
      for (const c of cells) assert.ok(c.col >= 0 && c.row >= 0 && c.col + c.colspan <= 24 && c.row + c.rowspan <= 12, JSON.stringify(c));
      assert.deepEqual((await overview.getChildInfos()).map((i) => i.qId), cells.map((c) => c.name));
      assert.deepEqual(layout.qChildList?.qItems.map((i) => i.qData?.title), ['Total sales', 'About this app', 'Filters', 'Sales by region', 'Sales by category', 'Sales by month']);

      const pane = await doc.getObject(IDS.filterPane);
      assert.deepEqual((await pane.getChildInfos()).map((i) => `${i.qType}:${i.qId}`), [IDS.regionListbox, IDS.categoryListbox, IDS.yearListbox].map((id) => `listbox:${id}`));
      const text = await (await doc.getObject(IDS.text)).getLayout();
      assert.equal(text.visualization, 'text-image');
      assert.match(text.markdown ?? '', /bicycle/);
    });

    test('chart layouts are computed from the rows', async () => {
      const { doc } = await openApp(delta);
      const kpi = await (await doc.getObject(IDS.kpi)).getLayout();
      assert.equal(kpi.visualization, 'kpi');
      assert.equal(kpi.title, 'Total sales');
      const total = sumSales(ROWS);
      const kpiCell = matrix(kpi)[0]?.[0];
      near(kpiCell?.qNum, total, 'KPI');
      assert.equal(kpiCell?.qText, money(total));
      assert.equal(kpi.qHyperCube?.qMeasureInfo[0]?.qFallbackTitle, 'Total sales');

      const bar = await (await doc.getObject(IDS.bar)).getLayout();
      const byRegion = [...groupSum(ROWS, (r) => r.Region)].sort((a, b) => b[1] - a[1]);
      assert.deepEqual(matrix(bar).map((row) => row[0]?.qText), byRegion.map(([region]) => region));
      matrix(bar).forEach((row, i) => near(row[1]?.qNum, (byRegion[i] as [string, number])[1], String(row[0]?.qText)));
      assert.equal(bar.qHyperCube?.qDimensionInfo[0]?.qCardinal, 4);
      assert.equal(bar.qHyperCube?.qMeasureInfo[0]?.qMax, Math.max(...byRegion.map(([, v]) => v)));

      const line = await (await doc.getObject(IDS.line)).getLayout();
      const months = matrix(line);
      assert.equal(months.length, 36);
      assert.deepEqual([months[0]?.[0]?.qText, months[35]?.[0]?.qText], ['Jan 2022', 'Dec 2024']);
      const byMonth = groupSum(ROWS, (r) => r.YearMonth.text);
      for (const row of months) near(row[1]?.qNum, byMonth.get(row[0]?.qText as string) as number, row[0]?.qText);

      const pie = await (await doc.getObject(IDS.pie)).getLayout();
      assert.deepEqual(matrix(pie).map((r) => r[0]?.qText).sort(), ['Accessories', 'Bikes', 'Clothing', 'Components', 'Services']);

      const table = await (await doc.getObject(IDS.table)).getLayout();
      const cube = table.qHyperCube as EngineHyperCube;
      const combos = groupSum(ROWS, (r) => `${r.Country}|${r.Product}`);
      assert.deepEqual(cube.qSize, { qcx: 4, qcy: combos.size });
      const expectedKeys = [...combos.keys()].sort((a, b) => {
        const [ca, pa] = a.split('|') as [string, string];
        const [cb, pb] = b.split('|') as [string, string];
        return ca.localeCompare(cb, 'en') || pa.localeCompare(pb, 'en');
      });
      const firstPage = matrix(table);
      assert.equal(firstPage.length, 100);
      assert.deepEqual(firstPage.map((r) => `${r[0]?.qText}|${r[1]?.qText}`), expectedKeys.slice(0, 100));
      const quantities = groupSum(ROWS, (r) => `${r.Country}|${r.Product}`, (r) => r.Quantity);
      for (const row of firstPage) {
        const key = `${row[0]?.qText}|${row[1]?.qText}`;
        near(row[2]?.qNum, combos.get(key) as number, key);
        assert.equal(row[3]?.qNum, quantities.get(key));
        assert.equal(row[3]?.qText, (quantities.get(key) as number).toLocaleString('en-US'));
      }
      near(cube.qGrandTotalRow?.[0]?.qNum, total);
      assert.equal(cube.qGrandTotalRow?.[1]?.qNum, ROWS.reduce((s, r) => s + r.Quantity, 0));
      assert.deepEqual(cube.qDimensionInfo.map((d) => [d.qFallbackTitle, d.qSortIndicator]), [['Country', 'A'], ['Product', 'A']]);
    });

    test('GetHyperCubeData pages through the cube', async () => {
      const { doc } = await openApp(delta);
      const table = await doc.getObject(IDS.table);
      const { qSize } = (await table.getLayout()).qHyperCube as EngineHyperCube;
      const all = await table.getHyperCubeData('/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 4, qHeight: qSize.qcy }]);
      assert.equal(all[0]?.qMatrix.length, qSize.qcy);
      const [middle, tail, narrow] = await table.getHyperCubeData('/qHyperCubeDef', [
        { qTop: 50, qLeft: 0, qWidth: 4, qHeight: 25 },
        { qTop: qSize.qcy - 10, qLeft: 0, qWidth: 4, qHeight: 50 },
        { qTop: 3, qLeft: 2, qWidth: 5, qHeight: 2 },
      ]);
      assert.deepEqual(middle?.qMatrix, all[0]?.qMatrix.slice(50, 75));
      assert.deepEqual(tail?.qArea, { qTop: qSize.qcy - 10, qLeft: 0, qWidth: 4, qHeight: 10 });
      assert.equal(tail?.qMatrix.length, 10);
      assert.deepEqual(narrow?.qArea, { qTop: 3, qLeft: 2, qWidth: 2, qHeight: 2 });
      assert.deepEqual(narrow?.qMatrix, all[0]?.qMatrix.slice(3, 5).map((r) => r.slice(2)));
      await assert.rejects(table.getHyperCubeData('/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 4, qHeight: 2501 }]), (err: { code?: number }) => err.code === 6001);
      await assert.rejects(table.getHyperCubeData('/qNope', [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 1 }]), (err: { code?: number }) => err.code === 4);
    });

    test('selecting a bar filters the KPI, the table and the list boxes, with change events', async () => {
      const { doc } = await openApp(delta);
      const [bar, kpi, table, regionBox, categoryBox] = await Promise.all([IDS.bar, IDS.kpi, IDS.table, IDS.regionListbox, IDS.categoryListbox].map((id) => doc.getObject(id)));
      assert.ok(bar && kpi && table && regionBox && categoryBox);
      await Promise.all([bar, kpi, table, regionBox, categoryBox].map((o) => o.getLayout()));
      const europe = matrix(await bar.getLayout()).find((r) => r[0]?.qText === 'Europe')?.[0];
      assert.ok(europe);

      const changed = Promise.all([onceChanged(kpi), onceChanged(table), onceChanged(regionBox), onceChanged(categoryBox), onceChanged(doc)]);
      assert.equal(await bar.selectHyperCubeValues('/qHyperCubeDef', 0, [europe.qElemNumber], false), true);
      await changed;

      const europeRows = ROWS.filter((r) => r.Region === 'Europe');
      const kpiCell = matrix(await kpi.getLayout())[0]?.[0];
      near(kpiCell?.qNum, sumSales(europeRows));
      assert.equal(kpiCell?.qText, money(sumSales(europeRows)));

      const tableLayout = await table.getLayout();
      const europeCombos = groupSum(europeRows, (r) => `${r.Country}|${r.Product}`);
      assert.equal(tableLayout.qHyperCube?.qSize.qcy, europeCombos.size);
      const europeCountries = new Set(europeRows.map((r) => r.Country));
      for (const row of matrix(tableLayout)) {
        assert.ok(europeCountries.has(row[0]?.qText as string), row[0]?.qText);
        near(row[2]?.qNum, europeCombos.get(`${row[0]?.qText}|${row[1]?.qText}`) as number);
      }
      near(tableLayout.qHyperCube?.qGrandTotalRow?.[0]?.qNum, sumSales(europeRows));

      const barRows = matrix(await bar.getLayout());
      assert.deepEqual(barRows.map((r) => [r[0]?.qText, r[0]?.qState]), [['Europe', 'S']]);

      const regions = listRows(await regionBox.getLayout());
      assert.deepEqual(regions.map((c) => [c.qText, c.qState]), [['Europe', 'S'], ['Americas', 'A'], ['Asia Pacific', 'A'], ['Middle East & Africa', 'A']]);
      const categories = listRows(await categoryBox.getLayout());
      assert.ok(categories.every((c) => c.qState === 'O'), JSON.stringify(categories));

      const selections = (await doc.getAppLayout()).qSelectionObject.qSelections;
      assert.deepEqual(selections.map((s) => [s.qField, s.qSelected, s.qSelectedCount, s.qTotal]), [['Region', 'Europe', 1, 4]]);
    });

    test('list boxes: states, toggling, search and a country box that shows exclusions', async () => {
      const { doc } = await openApp(delta);
      const yearBox = await doc.getObject(IDS.yearListbox);
      const kpi = await doc.getObject(IDS.kpi);
      const years = listRows(await yearBox.getLayout());
      assert.deepEqual(years.map((c) => c.qText), ['2022', '2023', '2024']);
      assert.deepEqual(years.map((c) => c.qNum), [2022, 2023, 2024]);
      const y2023 = years[1]?.qElemNumber as number;
      const y2024 = years[2]?.qElemNumber as number;
      await yearBox.selectListObjectValues('/qListObjectDef', [y2023], true);
      await yearBox.selectListObjectValues('/qListObjectDef', [y2024], true);
      let states = listRows(await yearBox.getLayout());
      // Sorted by state first: the selected years on top.
      assert.deepEqual(states.map((c) => [c.qText, c.qState]), [['2023', 'S'], ['2024', 'S'], ['2022', 'A']]);
      near(matrix(await kpi.getLayout())[0]?.[0]?.qNum, sumSales(ROWS.filter((r) => r.Year >= 2023)));
      await yearBox.selectListObjectValues('/qListObjectDef', [y2023], true);
      states = listRows(await yearBox.getLayout());
      assert.deepEqual(states.map((c) => [c.qText, c.qState]), [['2024', 'S'], ['2022', 'A'], ['2023', 'A']]);

      const countryBox = await doc.createSessionObject({
        qInfo: { qType: 'listbox' },
        qListObjectDef: { qDef: { qFieldDefs: ['Country'], qSortCriterias: [{ qSortByState: 1, qSortByAscii: 1 }] }, qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 50 }] },
      });
      const regionBox = await doc.getObject(IDS.regionListbox);
      const americas = listRows(await regionBox.getLayout()).find((c) => c.qText === 'Americas') as Cell;
      await regionBox.selectListObjectValues('/qListObjectDef', [americas.qElemNumber], false);
      const countries = listRows(await countryBox.getLayout());
      const americasCountries = [...new Set(ROWS.filter((r) => r.Region === 'Americas').map((r) => r.Country))].sort();
      assert.deepEqual(countries.filter((c) => c.qState === 'O').map((c) => c.qText), americasCountries);
      assert.ok(countries.filter((c) => !americasCountries.includes(c.qText ?? '')).every((c) => c.qState === 'X'));
      const counts = (await countryBox.getLayout()).qListObject?.qDimensionInfo.qStateCounts;
      assert.equal(counts?.qOption, americasCountries.length);
      assert.equal(counts?.qExcluded, 20 - americasCountries.length);

      const categoryBox = await doc.getObject(IDS.categoryListbox);
      await categoryBox.searchListObjectFor('/qListObjectDef', 'acc');
      const found = await categoryBox.getLayout();
      assert.deepEqual(listRows(found).map((c) => c.qText), ['Accessories']);
      assert.equal(found.qListObject?.qSize.qcy, 1);
      await categoryBox.acceptListObjectSearch('/qListObjectDef', false);
      const after = listRows(await categoryBox.getLayout());
      assert.equal(after.length, 5);
      assert.deepEqual(after.filter((c) => c.qState === 'S').map((c) => c.qText), ['Accessories']);
      const expected = ROWS.filter((r) => r.Category === 'Accessories' && r.Region === 'Americas' && r.Year === 2024);
      near(matrix(await kpi.getLayout())[0]?.[0]?.qNum, sumSales(expected));
    });

    test('Field API: SelectValues, Select with a search, GetCardinal, Clear', async () => {
      const { doc } = await openApp(delta);
      const kpi = await doc.getObject(IDS.kpi);
      const category = await doc.getField('Category');
      assert.equal(await category.getCardinal(), 5);
      const changed = onceChanged(kpi);
      assert.equal(await category.selectValues([{ qText: 'Bikes' }, { qText: 'Services' }]), true);
      await changed;
      near(matrix(await kpi.getLayout())[0]?.[0]?.qNum, sumSales(ROWS.filter((r) => r.Category === 'Bikes' || r.Category === 'Services')));
      const year = await doc.getField('Year');
      assert.equal(await year.select('>=2024'), true);
      near(matrix(await kpi.getLayout())[0]?.[0]?.qNum, sumSales(ROWS.filter((r) => (r.Category === 'Bikes' || r.Category === 'Services') && r.Year >= 2024)));
      await year.selectValues([{ qIsNumeric: true, qNumber: 2022 }]);
      near(matrix(await kpi.getLayout())[0]?.[0]?.qNum, sumSales(ROWS.filter((r) => (r.Category === 'Bikes' || r.Category === 'Services') && r.Year === 2022)));
      const product = await doc.getField('Product');
      await product.select('*bike');
      near(matrix(await kpi.getLayout())[0]?.[0]?.qNum, sumSales(ROWS.filter((r) => r.Product.endsWith('Bike') && r.Year === 2022)));
      await category.clear();
      await product.clear();
      await year.clear();
      near(matrix(await kpi.getLayout())[0]?.[0]?.qNum, sumSales(ROWS));
      await assert.rejects(doc.getField('NoSuchField'), (err: { code?: number }) => err.code === -2);
    });

    test('ClearAll clears; Back and Forward walk the selection history', async () => {
      const { doc } = await openApp(delta);
      const kpi = await doc.getObject(IDS.kpi);
      const value = async (): Promise<number> => matrix(await kpi.getLayout())[0]?.[0]?.qNum as number;
      await (await doc.getField('Region')).selectValues([{ qText: 'Asia Pacific' }]);
      await (await doc.getField('Year')).selectValues([{ qIsNumeric: true, qNumber: 2023 }]);
      const both = sumSales(ROWS.filter((r) => r.Region === 'Asia Pacific' && r.Year === 2023));
      const regionOnly = sumSales(ROWS.filter((r) => r.Region === 'Asia Pacific'));
      near(await value(), both);
      let changed = onceChanged(kpi);
      await doc.back();
      await changed;
      near(await value(), regionOnly);
      let selection = (await doc.getAppLayout()).qSelectionObject;
      assert.deepEqual([selection.qBackCount, selection.qForwardCount], [1, 1]);
      await doc.forward();
      near(await value(), both);
      changed = onceChanged(kpi);
      await doc.clearAll();
      await changed;
      near(await value(), sumSales(ROWS));
      assert.deepEqual((await doc.getAppLayout()).qSelectionObject.qSelections, []);
      await doc.back();
      near(await value(), both);
      selection = (await doc.getAppLayout()).qSelectionObject;
      assert.deepEqual(selection.qSelections.map((s) => s.qField).sort(), ['Region', 'Year']);
    });

    test('session objects: every aggregation, formats, sorting, errors, SetProperties and Destroy', async () => {
      const { doc } = await openApp(delta);
      const measure = (qDef: string, qNumFormat?: object): object => ({ qDef: { qDef, ...(qNumFormat ? { qNumFormat } : {}) } });
      const cube = await doc.createSessionObject({
        qInfo: { qId: 'agg-test', qType: 'my-chart' },
        qHyperCubeDef: {
          qDimensions: [{ qDef: { qFieldDefs: ['Category'], qSortCriterias: [{ qSortByAscii: -1 }] } }],
          qMeasures: [
            measure('Count(distinct Customer)'),
            measure('Avg(Sales)', { qType: 'F', qnDec: 2, qUseThou: 1, qFmt: '#,##0.00', qDec: '.', qThou: ',' }),
            measure('Min(Sales)'),
            measure('Max([Sales])'),
            measure('Count(OrderID)'),
            measure('Sum(Sales) / Sum(Quantity)'),
            measure('Sum(NoSuchField)'),
          ],
          qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 8, qHeight: 10 }],
        },
      });
      assert.equal(cube.id, 'agg-test');
      assert.equal(cube.genericType, 'my-chart');
      const layout = await cube.getLayout();
      const rows = matrix(layout);
      assert.deepEqual(rows.map((r) => r[0]?.qText), ['Services', 'Components', 'Clothing', 'Bikes', 'Accessories']);
      for (const row of rows) {
        const inCategory = ROWS.filter((r) => r.Category === row[0]?.qText);
        assert.equal(row[1]?.qNum, new Set(inCategory.map((r) => r.Customer)).size);
        near(row[2]?.qNum, sumSales(inCategory) / inCategory.length);
        assert.equal(row[2]?.qText, (sumSales(inCategory) / inCategory.length).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
        assert.equal(row[3]?.qNum, Math.min(...inCategory.map((r) => r.Sales)));
        assert.equal(row[4]?.qNum, Math.max(...inCategory.map((r) => r.Sales)));
        assert.equal(row[5]?.qNum, inCategory.length);
        near(row[6]?.qNum, sumSales(inCategory) / inCategory.reduce((s, r) => s + r.Quantity, 0));
        assert.deepEqual([row[7]?.qText, row[7]?.qNum], ['-', 'NaN']);
      }
      const totals = layout.qHyperCube?.qGrandTotalRow?.map((c) => c.qNum) ?? [];
      assert.equal(totals[0], new Set(ROWS.map((r) => r.Customer)).size);
      near(totals[1], sumSales(ROWS) / ROWS.length);
      assert.equal(totals[2], Math.min(...ROWS.map((r) => r.Sales)));
      assert.equal(totals[3], Math.max(...ROWS.map((r) => r.Sales)));
      assert.equal(totals[4], ROWS.length);
      near(totals[5], sumSales(ROWS) / ROWS.reduce((s, r) => s + r.Quantity, 0));
      assert.equal(totals[6], 'NaN');
      assert.ok(layout.qHyperCube?.qMeasureInfo[6]?.qError, 'the bad measure carries qError');
      assert.equal(layout.qHyperCube?.qMeasureInfo[6]?.qFallbackTitle, 'Sum(NoSuchField)');

      const props = await cube.getProperties();
      const changed = onceChanged(cube);
      await cube.setProperties({ ...props, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }], qMeasures: [measure('Sum(Sales)')], qInterColumnSortOrder: [1, 0], qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 10 }] } });
      await changed;
      const byRegion = matrix(await cube.getLayout());
      // A measure without qSortBy does not sort, and a dimension without criteria keeps load order.
      assert.deepEqual(byRegion.map((r) => r[0]?.qText), [...new Set(ROWS.map((r) => r.Region))]);
      assert.deepEqual((await cube.getProperties()).qInfo, { qId: 'agg-test', qType: 'my-chart' });

      await cube.applyPatches([{ qOp: 'replace', qPath: '/qHyperCubeDef/qMeasures/0/qSortBy', qValue: '{"qSortByNumeric":-1}' }], false);
      const bySales = matrix(await cube.getLayout());
      const regionTotals = [...groupSum(ROWS, (r) => r.Region)].sort((a, b) => b[1] - a[1]);
      assert.deepEqual(bySales.map((r) => r[0]?.qText), regionTotals.map(([region]) => region));

      const closed = new Promise<void>((resolve) => cube.on('closed', () => resolve()));
      assert.equal(await doc.destroySessionObject('agg-test'), true);
      await closed;
      await assert.rejects(doc.getObject('agg-test'), (err: { code?: number }) => err.code === -2);
      assert.equal(await doc.destroySessionObject(IDS.kpi), false, 'app objects are not session objects');
      const invalid = await doc.createSessionObject({ qInfo: { qType: 'x' }, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['Nope'] } }], qMeasures: [] } });
      assert.equal((await invalid.getLayout()).qHyperCube?.qError?.qErrorCode, 7000);
    });

    test('GetListObjectData pages a list; an object extending a master computes from it', async () => {
      const { doc } = await openApp(delta);
      const box = await doc.getObject(IDS.yearListbox);
      const [page] = await box.getListObjectData('/qListObjectDef', [{ qTop: 1, qLeft: 0, qWidth: 1, qHeight: 5 }]);
      assert.deepEqual(page?.qMatrix.map((r) => r[0]?.qText), ['2023', '2024']);
      assert.deepEqual(page?.qArea, { qTop: 1, qLeft: 0, qWidth: 1, qHeight: 2 });

      const linked = await doc.createSessionObject({ qInfo: { qType: 'kpi' }, qExtendsId: IDS.kpi, title: 'Linked KPI' });
      const effective = await linked.getEffectiveProperties();
      assert.equal(effective.title, 'Linked KPI');
      assert.equal(effective.visualization, 'kpi');
      assert.ok('qHyperCubeDef' in effective);
      assert.equal('qHyperCubeDef' in (await linked.getProperties()), false);
      const layout = await linked.getLayout();
      assert.equal(layout.title, 'Linked KPI');
      near(matrix(layout)[0]?.[0]?.qNum, sumSales(ROWS));
      const changed = onceChanged(linked);
      await (await doc.getField('Region')).selectValues([{ qText: 'Europe' }]);
      await changed;
      near(matrix(await linked.getLayout())[0]?.[0]?.qNum, sumSales(ROWS.filter((r) => r.Region === 'Europe')));
      const value = await doc.evaluateEx('Sum(Sales) / Count(distinct OrderID)');
      const europe = ROWS.filter((r) => r.Region === 'Europe');
      near(value.qNumber, sumSales(europe) / new Set(europe.map((r) => r.OrderID)).size);
    });

    test('BeginSelections then EndSelections(false) puts the selections back', async () => {
      const { doc } = await openApp(delta);
      const pie = await doc.getObject(IDS.pie);
      const kpi = await doc.getObject(IDS.kpi);
      await pie.beginSelections(['/qHyperCubeDef']);
      assert.equal((await pie.getLayout()).qSelectionInfo.qInSelections, true);
      const bikes = matrix(await pie.getLayout()).find((r) => r[0]?.qText === 'Bikes')?.[0] as Cell;
      await pie.selectHyperCubeValues('/qHyperCubeDef', 0, [bikes.qElemNumber], true);
      near(matrix(await kpi.getLayout())[0]?.[0]?.qNum, sumSales(ROWS.filter((r) => r.Category === 'Bikes')));
      await pie.endSelections(false);
      assert.equal((await pie.getLayout()).qSelectionInfo.qInSelections, false);
      near(matrix(await kpi.getLayout())[0]?.[0]?.qNum, sumSales(ROWS));
      await pie.beginSelections(['/qHyperCubeDef']);
      await pie.selectHyperCubeValues('/qHyperCubeDef', 0, [bikes.qElemNumber], true);
      await pie.endSelections(true);
      near(matrix(await kpi.getLayout())[0]?.[0]?.qNum, sumSales(ROWS.filter((r) => r.Category === 'Bikes')));
      await pie.clearSelections('/qHyperCubeDef');
      near(matrix(await kpi.getLayout())[0]?.[0]?.qNum, sumSales(ROWS));
    });
  });
}

describe('delta protocol on the wire', { timeout: 60_000 }, () => {
  test('sends JSON-Patch results and ends with the same values as plain results', async () => {
    const withDelta = await openApp(true);
    const plain = await openApp(false);
    const received: Array<{ delta?: boolean; result?: Record<string, unknown> }> = [];
    // Copied on arrival: enigma.js patches the received message in place afterwards.
    withDelta.session.on('traffic:received', (data: object) => received.push(structuredClone(data)));
    const steps = async (doc: Doc): Promise<ObjectLayout[]> => {
      const table = await doc.getObject(IDS.table);
      const box = await doc.getObject(IDS.regionListbox);
      const out = [await table.getLayout(), await box.getLayout()];
      await (await doc.getField('Country')).selectValues([{ qText: 'Germany' }, { qText: 'Japan' }]);
      out.push(await table.getLayout(), await box.getLayout());
      await (await doc.getField('Product')).selectValues([{ qText: 'Helmet' }]);
      out.push(await table.getLayout(), await box.getLayout());
      await doc.clearAll();
      out.push(await table.getLayout(), await box.getLayout());
      // Keys that disappear (a custom property, a measure's qError) must be removed on the client too.
      const custom = await doc.createSessionObject({ qInfo: { qId: 'delta-custom', qType: 'x' }, note: 'temporary', qHyperCubeDef: { qMeasures: [{ qDef: { qDef: 'Sum(Nope)' } }] } });
      out.push(await custom.getLayout());
      await custom.setProperties({ qInfo: { qId: 'delta-custom', qType: 'x' }, qHyperCubeDef: { qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }] } });
      const replaced = await custom.getLayout();
      assert.equal('note' in replaced, false);
      assert.equal(replaced.qHyperCube?.qMeasureInfo[0]?.qError, undefined);
      out.push(replaced);
      return out;
    };
    assert.deepEqual(await steps(withDelta.doc), await steps(plain.doc));
    const layouts = received.filter((m) => m.result && 'qLayout' in m.result);
    assert.ok(layouts.length >= 8);
    assert.ok(layouts.every((m) => m.delta === true && Array.isArray(m.result?.qLayout)));
    const first = layouts[0]?.result?.qLayout as Array<{ op: string; path: string }>;
    assert.deepEqual([first[0]?.op, first[0]?.path], ['add', '/']);
    const later = layouts[2]?.result?.qLayout as Array<{ op: string; path: string }>;
    assert.ok(later.length > 0 && later.every((p) => p.path !== '/'), 'later layouts are patches, not whole values');
    const unchanged = await (await withDelta.doc.getObject(IDS.text)).getLayout();
    assert.equal(unchanged.visualization, 'text-image');
  });
});
