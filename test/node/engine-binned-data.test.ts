/**
 * GetHyperCubeBinnedData through the real enigma.js (full 12.2027 schema), on a websocket opened
 * the way Node clients open it: `Authorization: Bearer <user access token>` on the upgrade.
 * Expected bins are computed here from the generated rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import enigma from 'enigma.js';
import { DEFAULT_USERS, SAMPLE_APP_ID, startDevTenant, type DevTenant } from '../../src/dev-tenant/index.ts';
import { generateSalesRows } from '../../src/dev-tenant/engine/index.ts';
import { userAccessToken } from '../support/dev-tenant-tokens.ts';
import { nodeSocket, schema } from '../support/engine-harness.ts';

const ROWS = generateSalesRows(50_000);

interface Cell {
  qText: string;
  qNum: number;
  qElemNumber: number;
}
interface BinnedObject {
  getHyperCubeBinnedData(path: string, pages: object[], viewport: object, ranges: object[], maxCells: number, level: number, method: number): Promise<Array<{ qMatrix: Cell[][] }>>;
}

describe('engine: GetHyperCubeBinnedData (scatter plots with many points)', () => {
  let tenant: DevTenant;
  let session: EnigmaJS.Session;
  let cube: BinnedObject;

  // Per customer: x = Sum(Sales), y = Sum(Quantity).
  const points = new Map<string, { x: number; y: number }>();
  for (const r of ROWS) {
    const p = points.get(r.Customer) ?? { x: 0, y: 0 };
    p.x += r.Sales;
    p.y += r.Quantity;
    points.set(r.Customer, p);
  }
  const all = [...points.values()];
  const range = { qLeft: 0, qTop: 0, qWidth: Math.max(...all.map((p) => p.x)) + 1, qHeight: Math.max(...all.map((p) => p.y)) + 1 };

  before(async () => {
    tenant = await startDevTenant();
    const token = await userAccessToken(tenant.url, DEFAULT_USERS[0]!.id);
    session = enigma.create({
      schema,
      url: `${tenant.url.replace(/^http/, 'ws')}/app/${SAMPLE_APP_ID}`,
      createSocket: (url: string) => nodeSocket(url, { headers: { authorization: `Bearer ${token}` } }),
    });
    const global = (await session.open()) as unknown as { openDoc(id: string): Promise<{ createSessionObject(p: object): Promise<BinnedObject> }> };
    const doc = await global.openDoc(SAMPLE_APP_ID);
    cube = await doc.createSessionObject({
      qInfo: { qType: 'scatter-test' },
      qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['Customer'] } }], qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }, { qDef: { qDef: 'Sum(Quantity)' } }] },
    });
  });
  after(async () => {
    await session?.close();
    await tenant?.close();
  });

  test('bins the points into a 2^level grid when there are more than qMaxNbrCells', async () => {
    const level = 3;
    const side = 2 ** level;
    const expected = new Map<number, number>();
    for (const p of all) {
      const bin = Math.min(side - 1, Math.floor((p.y / range.qHeight) * side)) * side + Math.min(side - 1, Math.floor((p.x / range.qWidth) * side));
      expected.set(bin, (expected.get(bin) ?? 0) + 1);
    }
    const pages = await cube.getHyperCubeBinnedData('/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 3, qHeight: 10 }], { width: 0, height: 0 }, [range], 100, level, 0);
    const [bins, raw] = pages;
    assert.equal(raw?.qMatrix.length, 0);
    const rows = bins!.qMatrix;
    assert.equal(rows[0]?.[0]?.qNum, Math.max(...expected.values()), 'row 0 holds the densest bin');
    assert.deepEqual(new Map(rows.slice(1).map((r) => [r[0]!.qElemNumber, r[0]!.qNum])), expected);
    const [x0, y0, x1, y1] = JSON.parse(rows[1]![0]!.qText) as number[];
    const bin = rows[1]![0]!.qElemNumber;
    assert.ok(Math.abs(x0! - (bin % side) * (range.qWidth / side)) < 1e-6 && Math.abs(x1! - x0! - range.qWidth / side) < 1e-6);
    assert.ok(Math.abs(y0! - Math.floor(bin / side) * (range.qHeight / side)) < 1e-6 && Math.abs(y1! - y0! - range.qHeight / side) < 1e-6);
  });

  test('answers raw rows in the second page when the points fit in qMaxNbrCells', async () => {
    const [bins, raw] = await cube.getHyperCubeBinnedData('/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 3, qHeight: 5 }], { width: 0, height: 0 }, [range], points.size, 5, 0);
    assert.equal(bins?.qMatrix.length, 0);
    assert.equal(raw?.qMatrix.length, 5);
    const first = raw!.qMatrix[0]!;
    const p = points.get(first[0]!.qText)!;
    assert.ok(Math.abs(first[1]!.qNum - p.x) < 0.01 && Math.abs(first[2]!.qNum - p.y) < 0.01);
  });
});
