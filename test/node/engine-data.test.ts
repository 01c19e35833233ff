/**
 * Hypercube data beyond straight pages (pivot, stacked, reduced), the engine's limits on one
 * request (cells, pages, match strings) with another session served meanwhile, and ExportData
 * downloaded over HTTP from a running dev tenant. Expected numbers come from the generated rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { startDevTenant, type DevTenant } from '../../src/dev-tenant/index.ts';
import { SAMPLE_APP_ID } from '../../src/dev-tenant/engine/index.ts';
import { call, type EngineHarness, groupSum, near, nodeSocket, qixError, type Qix, ROWS, schema, startEngineHarness, sum } from '../support/engine-harness.ts';
import { userAccessToken } from '../support/dev-tenant-tokens.ts';
import enigma from 'enigma.js';

interface PivotNode {
  qText: string;
  qType: string;
  qSubNodes: PivotNode[];
  qValue: number | 'NaN';
  qMaxPos?: number;
}
interface PivotPage {
  qLeft: PivotNode[];
  qTop: PivotNode[];
  qData: Array<Array<{ qNum: number | 'NaN'; qType: string }>>;
  qArea: { qWidth: number; qHeight: number };
}
interface StackPage {
  qData: PivotNode[];
}

let harness: EngineHarness;
before(async () => {
  harness = await startEngineHarness();
});
after(() => harness.close());

const regions = [...new Set(ROWS.map((r) => r.Region))];
const categories = [...new Set(ROWS.map((r) => r.Category))];
const byRegionCategory = groupSum(ROWS, (r) => `${r.Region}|${r.Category}`);
const sortedText = (values: string[]): string[] => [...values].sort((a, b) => a.localeCompare(b, 'en'));

function cube(mode: 'S' | 'P' | 'K', extra: object = {}): object {
  return {
    qInfo: { qType: `cube-${mode}` },
    qHyperCubeDef: {
      qMode: mode,
      qDimensions: ['Region', 'Category'].map((f) => ({ qDef: { qFieldDefs: [f], qSortCriterias: [{ qSortByAscii: 1 }] } })),
      qMeasures: [{ qDef: { qDef: 'Sum(Sales)', qLabel: 'Sales' } }],
      qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 10, qHeight: 50 }],
      ...extra,
    },
  };
}

describe('pivot, stacked and reduced data', () => {
  test("qMode 'P': left tree of regions, top tree of categories then the measure, values per cell", async () => {
    const { doc } = await harness.open();
    const pivot = await call<Qix>(doc, 'createSessionObject', cube('P', { qNoOfLeftDims: 1 }));
    const layout = await call<{ qHyperCube: { qSize: { qcx: number; qcy: number }; qPivotDataPages: PivotPage[]; qMode: string; qNoOfLeftDims: number } }>(pivot, 'getLayout');
    assert.deepEqual(layout.qHyperCube.qSize, { qcx: categories.length, qcy: regions.length });
    assert.equal(layout.qHyperCube.qMode, 'P');
    assert.equal(layout.qHyperCube.qNoOfLeftDims, 1);
    const [page] = await call<PivotPage[]>(pivot, 'getHyperCubePivotData', '/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: categories.length, qHeight: regions.length }]);
    assert.ok(page);
    assert.deepEqual(page.qLeft.map((n) => n.qText), sortedText(regions));
    assert.deepEqual(page.qTop.map((n) => n.qText), sortedText(categories));
    assert.deepEqual(page.qTop.map((n) => n.qSubNodes.map((m) => `${m.qType}:${m.qText}`)), categories.map(() => ['P:Sales']));
    page.qLeft.forEach((region, r) =>
      page.qTop.forEach((category, c) => near(page.qData[r]?.[c]?.qNum, byRegionCategory.get(`${region.qText}|${category.qText}`) as number, `${region.qText}|${category.qText}`)),
    );
    const [window] = await call<PivotPage[]>(pivot, 'getHyperCubePivotData', '/qHyperCubeDef', [{ qTop: 1, qLeft: 1, qWidth: 2, qHeight: 2 }]);
    assert.deepEqual(window?.qLeft.map((n) => n.qText), sortedText(regions).slice(1, 3));
    assert.deepEqual(window?.qTop.map((n) => n.qText), sortedText(categories).slice(1, 3));
  });

  test("qMode 'K': stacked nodes per region and category with values and stack extents", async () => {
    const { doc } = await harness.open();
    const stacked = await call<Qix>(doc, 'createSessionObject', cube('K'));
    const [page] = await call<StackPage[]>(stacked, 'getHyperCubeStackData', '/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: regions.length }], 10_000);
    const root = page?.qData[0];
    assert.equal(root?.qType, 'R');
    assert.deepEqual(root?.qSubNodes.map((n) => n.qText), sortedText(regions));
    for (const region of root?.qSubNodes ?? []) {
      near(region.qMaxPos, sum(ROWS.filter((r) => r.Region === region.qText)), `${region.qText} stack`);
      for (const category of region.qSubNodes) near(category.qSubNodes[0]?.qValue, byRegionCategory.get(`${region.qText}|${category.qText}`) as number, `${region.qText}|${category.qText}`);
    }
    const layout = await call<{ qHyperCube: { qStackedDataPages: StackPage[]; qDataPages: unknown[] } }>(stacked, 'getLayout');
    assert.equal(layout.qHyperCube.qStackedDataPages[0]?.qData[0]?.qSubNodes.length, regions.length);
    assert.deepEqual(layout.qHyperCube.qDataPages, []);
  });

  test('GetHyperCubeReducedData answers the straight pages in full', async () => {
    const { doc } = await harness.open();
    const straight = await call<Qix>(doc, 'createSessionObject', cube('S'));
    const pages = [{ qTop: 0, qLeft: 0, qWidth: 3, qHeight: 40 }];
    const reduced = await call<Array<{ qMatrix: unknown[]; qIsReduced: boolean }>>(straight, 'getHyperCubeReducedData', '/qHyperCubeDef', pages, -1, 'N');
    assert.deepEqual(reduced, await call(straight, 'getHyperCubeData', '/qHyperCubeDef', pages));
    assert.equal(reduced[0]?.qMatrix.length, byRegionCategory.size);
  });
});

describe('limits on one request', () => {
  test('too many cells or pages is a typed error, and another session is served alongside', async () => {
    const { doc } = await harness.open();
    const other = await harness.open();
    const table = await call<Qix>(doc, 'createSessionObject', cube('S'));
    const otherTable = await call<Qix>(other.doc, 'createSessionObject', cube('S'));
    const manyPages = Array.from({ length: 5000 }, () => ({ qTop: 0, qLeft: 0, qWidth: 10, qHeight: 1000 }));
    const [huge, served] = await Promise.allSettled([
      call(table, 'getHyperCubeData', '/qHyperCubeDef', manyPages),
      call<Array<{ qMatrix: unknown[] }>>(otherTable, 'getHyperCubeData', '/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 3, qHeight: 50 }]),
    ]);
    assert.equal(huge.status, 'rejected');
    qixError(6001, 'pages')((huge as PromiseRejectedResult).reason);
    assert.equal(served.status === 'fulfilled' && served.value[0]?.qMatrix.length, byRegionCategory.size);
    await assert.rejects(call(table, 'getHyperCubeData', '/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 3, qHeight: 5000 }]), qixError(6001, 'cells'));
    await assert.rejects(call(table, 'getHyperCubeStackData', '/qHyperCubeDef', manyPages, 100), qixError(6001));
    const list = await call<Qix>(doc, 'createSessionObject', { qInfo: { qType: 'lb' }, qListObjectDef: { qDef: { qFieldDefs: ['Customer'] } } });
    await assert.rejects(call(list, 'getListObjectData', '/qListObjectDef', [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 10_001 }]), qixError(6001));
  });

  test('match strings are capped, and wildcard matching cannot backtrack', async () => {
    const { doc } = await harness.open();
    const customer = await call<Qix>(doc, 'getField', 'Customer');
    await assert.rejects(call(customer, 'select', `${'*a'.repeat(600)}b`), qixError(-32602, 'qMatch'));
    const list = await call<Qix>(doc, 'createSessionObject', { qInfo: { qType: 'lb' }, qListObjectDef: { qDef: { qFieldDefs: ['Customer'] } } });
    await assert.rejects(call(list, 'searchListObjectFor', '/qListObjectDef', 'x'.repeat(2000)), qixError(-32602, 'qMatch'));
    // A pattern that makes a backtracking matcher explode on long values: here it is one pass per piece.
    assert.equal(await call<boolean>(customer, 'select', `${'*e'.repeat(500)}*Z`), false);
    const customers = [...new Set(ROWS.map((r) => r.Customer))];
    const expected = customers.filter((c) => /^.*e.*e.*$/i.test(c)).length;
    assert.equal(await call<boolean>(customer, 'select', '*e*e*'), expected > 0);
    near((await call<{ qNumber: number }>(doc, 'evaluateEx', 'Count(distinct Customer)')).qNumber, expected, 'wildcard matches');
  });
});

describe('ExportData over the dev tenant', () => {
  let tenant: DevTenant;
  before(async () => {
    tenant = await startDevTenant({ port: 0 });
  });
  after(() => tenant.close());

  async function openAs(userId: string): Promise<{ token: string; doc: Qix; session: EnigmaJS.Session }> {
    const token = await userAccessToken(tenant.url, userId);
    const session = enigma.create({
      schema,
      url: `${tenant.url.replace(/^http/, 'ws')}/app/${SAMPLE_APP_ID}`,
      createSocket: (url: string) => nodeSocket(url, { headers: { authorization: `Bearer ${token}` } }),
    });
    const global = await session.open<Qix>();
    return { token, doc: await call<Qix>(global, 'openDoc', SAMPLE_APP_ID), session };
  }

  /** The entries of a zip archive (deflated or stored, no data descriptors), read by hand. */
  function unzip(body: Buffer): Map<string, string> {
    const out = new Map<string, string>();
    let at = 0;
    while (body.readUInt32LE(at) === 0x04034b50) {
      const method = body.readUInt16LE(at + 8);
      const size = body.readUInt32LE(at + 18);
      const nameLength = body.readUInt16LE(at + 26);
      const extra = body.readUInt16LE(at + 28);
      const name = body.subarray(at + 30, at + 30 + nameLength).toString('utf8');
      const data = body.subarray(at + 30 + nameLength + extra, at + 30 + nameLength + extra + size);
      out.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
      at += 30 + nameLength + extra + size;
    }
    return out;
  }

  test('CSV and XLSX of an object, served at qUrl to the same user only', async () => {
    const alice = tenant.users[0]?.id as string;
    const bob = tenant.users[1]?.id as string;
    const { token, doc, session } = await openAs(alice);
    try {
      const table = await call<Qix>(doc, 'createSessionObject', { ...cube('S'), title: 'Sales by region' });
      const { qUrl: csvUrl } = await call<{ qUrl: string }>(table, 'exportData', 'CSV_C', '/qHyperCubeDef');
      assert.match(csvUrl, /^\/tempcontent\/[\w-]+\/Sales%20by%20region\.csv$/);
      const response = await fetch(new URL(csvUrl, tenant.url), { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-disposition') ?? '', /attachment/);
      const lines = (await response.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
      assert.equal(lines[0], 'Region,Category,Sales');
      assert.equal(lines.length, byRegionCategory.size + 1);
      for (const line of lines.slice(1)) {
        const [region, category, value] = line.split(',');
        near(Number(value), byRegionCategory.get(`${region}|${category}`) as number, line);
      }

      const bobToken = await userAccessToken(tenant.url, bob);
      assert.equal((await fetch(new URL(csvUrl, tenant.url), { headers: { authorization: `Bearer ${bobToken}` } })).status, 404);
      assert.equal((await fetch(new URL(csvUrl, tenant.url))).status, 401);

      const { qUrl: xlsxUrl } = await call<{ qUrl: string }>(table, 'exportData', 'OOXML', '/qHyperCubeDef', 'regions');
      const xlsx = Buffer.from(await (await fetch(new URL(xlsxUrl, tenant.url), { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());
      const parts = unzip(xlsx);
      assert.deepEqual([...parts.keys()].sort(), ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']);
      const sheet = parts.get('xl/worksheets/sheet1.xml') ?? '';
      assert.equal(sheet.match(/<row /g)?.length, byRegionCategory.size + 1);
      const values = [...sheet.matchAll(/<c r="C\d+"><v>([^<]+)<\/v><\/c>/g)].map((m) => Number(m[1]));
      near(values.reduce((a, b) => a + b, 0), sum(ROWS), 'xlsx sales column');
      await assert.rejects(call(table, 'exportData', 'PARQUET', '/qHyperCubeDef'), qixError(-32602, 'qFileType'));

      // EXPORT_POSSIBLE follows the selections, EXPORT_ALL ignores them; a serve-once file goes after one download.
      await call(await call<Qix>(doc, 'getField', 'Region'), 'select', 'Europe');
      const download = async (exportState: string, serveOnce = false): Promise<string[]> => {
        const { qUrl } = await call<{ qUrl: string }>(table, 'exportData', 'CSV_T', '/qHyperCubeDef', 'x', exportState, serveOnce);
        const text = await (await fetch(new URL(qUrl, tenant.url), { headers: { authorization: `Bearer ${token}` } })).text();
        if (serveOnce) assert.equal((await fetch(new URL(qUrl, tenant.url), { headers: { authorization: `Bearer ${token}` } })).status, 404);
        return text.trim().split('\r\n').slice(1);
      };
      assert.equal((await download('EXPORT_POSSIBLE')).length, categories.length);
      const all = await download('EXPORT_ALL', true);
      assert.equal(all.length, byRegionCategory.size);
      near(all.reduce((s, line) => s + Number(line.split('\t')[2]), 0), sum(ROWS), 'EXPORT_ALL total');
    } finally {
      await session.close();
    }
  });
});
