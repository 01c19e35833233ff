/**
 * The engine's GetLayout cost: a 2-dimension (Country, Product), 2-measure (Sum(Sales),
 * Sum(Quantity)) hypercube with a 500-row initial data page, over the 50k-row Sales app and over
 * a 500k-row app generated here.
 *
 * Measured end to end, as a client sees it: the real enigma.js client over a websocket to an
 * in-process engine, delta protocol off (whole layouts on the wire). Before every timed
 * GetLayout an untimed selection change (all years selected / cleared; both cover every row)
 * invalidates the engine's hypercube cache, so every sample is a full computation: row filter,
 * grouping, aggregation, sorting, formatting and JSON.
 *
 * `npm run bench` calls benchEngine(); run this file directly to print the numbers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import enigma from 'enigma.js';
import { WebSocket } from 'ws';
import { createEngine, createSalesApp } from '../src/dev-tenant/engine/index.ts';

type Api = EnigmaJS.QixObject;
interface BenchObject extends Api {
  getLayout(): Promise<{ qHyperCube: { qSize: { qcy: number } } }>;
}
interface BenchField extends Api {
  selectValues(values: Array<{ qIsNumeric: boolean; qNumber: number }>): Promise<boolean>;
  clear(): Promise<boolean>;
}
interface BenchDoc extends Api {
  createSessionObject(props: object): Promise<BenchObject>;
  getField(name: string): Promise<BenchField>;
}
interface BenchGlobal extends Api {
  openDoc(id: string): Promise<BenchDoc>;
}

const schema = createRequire(import.meta.url)('enigma.js/schemas/12.2027.0.json') as object;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function medianGetLayoutMs(rows: number, samples: number): Promise<number> {
  const app = createSalesApp({ rows, id: `bench-${rows}`, title: `Bench ${rows}` });
  const engine = createEngine({
    verifyToken: () => Promise.resolve({ ok: true, user: { id: 'bench', subject: 'bench', name: 'Bench' } }),
    isOriginTrusted: () => true,
    apps: [app],
  });
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => {
    if (!engine.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const session = enigma.create({
    schema,
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/app/${app.id}?accessToken=bench`,
    createSocket: (url: string) => new WebSocket(url) as unknown as globalThis.WebSocket,
    protocol: { delta: false },
  });
  try {
    const doc = await (await session.open<BenchGlobal>()).openDoc(app.id);
    const cube = await doc.createSessionObject({
      qInfo: { qType: 'bench-table' },
      qHyperCubeDef: {
        qDimensions: [{ qDef: { qFieldDefs: ['Country'], qSortCriterias: [{ qSortByAscii: 1 }] } }, { qDef: { qFieldDefs: ['Product'], qSortCriterias: [{ qSortByAscii: 1 }] } }],
        qMeasures: [
          { qDef: { qDef: 'Sum(Sales)', qNumFormat: { qType: 'M', qFmt: '$#,##0.00', qDec: '.', qThou: ',' } }, qSortBy: { qSortByNumeric: -1 } },
          { qDef: { qDef: 'Sum(Quantity)', qNumFormat: { qType: 'F', qFmt: '#,##0', qDec: '.', qThou: ',' } } },
        ],
        qInterColumnSortOrder: [2, 0, 1, 3],
        qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 4, qHeight: 500 }],
      },
    });
    const year = await doc.getField('Year');
    const warmup = 3;
    const times: number[] = [];
    for (let i = 0; i < warmup + samples; i += 1) {
      if (i % 2) await year.selectValues([2022, 2023, 2024].map((qNumber) => ({ qIsNumeric: true, qNumber })));
      else await year.clear();
      const started = performance.now();
      const layout = await cube.getLayout();
      const elapsed = performance.now() - started;
      if (layout.qHyperCube.qSize.qcy === 0) throw new Error('the bench cube is empty');
      if (i >= warmup) times.push(elapsed);
    }
    return median(times);
  } finally {
    await session.close().catch(() => undefined);
    await engine.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Median milliseconds of GetLayout (see the file comment for how it is measured). */
export async function benchEngine(): Promise<{ rows50k: number; rows500k: number }> {
  const rows50k = await medianGetLayoutMs(50_000, 31);
  const rows500k = await medianGetLayoutMs(500_000, 15);
  return { rows50k, rows500k };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchEngine();
  console.log(`engine GetLayout median: ${result.rows50k.toFixed(2)} ms at 50k rows, ${result.rows500k.toFixed(2)} ms at 500k rows (budget 40 ms at 50k)`);
}
