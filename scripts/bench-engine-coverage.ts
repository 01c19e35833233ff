/**
 * Schema coverage of the dev tenant's engine: for each handle type of the newest published
 * engine schema, how many methods the engine answers with something other than -32601
 * ("method not found"), probed over a real websocket with raw JSON-RPC (empty params, so most
 * methods answer -32602 "invalid params", which counts as answered), and which are missing.
 *
 * `npm run bench` calls benchEngineCoverage() and benchEngineGuards(); run this file directly to print both.
 */
import { pathToFileURL } from 'node:url';
import { WebSocket } from 'ws';
import { SALES_LIBRARY_IDS, SALES_OBJECT_IDS, SAMPLE_APP_ID } from '../src/dev-tenant/engine/index.ts';
import { call, type Qix, schema, SCHEMA_VERSION, startEngineHarness } from '../test/support/engine-harness.ts';

export interface HandleCoverage {
  type: string;
  answered: number;
  total: number;
  missing: string[];
}

/** Goals from issue 12. */
export const COVERAGE_GOALS: Record<string, number> = { Doc: 0.5, GenericObject: 0.6 };

interface Answer {
  id?: number;
  result?: { qReturn?: { qHandle?: number } };
  error?: { code: number };
}

function rpc(ws: WebSocket): (handle: number, method: string, params: unknown) => Promise<Answer> {
  let id = 0;
  const pending = new Map<number, (message: Answer) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as Answer;
    if (typeof message.id === 'number') pending.get(message.id)?.(message);
  });
  return (handle, method, params) =>
    new Promise((resolve) => {
      id += 1;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, handle, method, params }));
    });
}

export async function benchEngineCoverage(): Promise<HandleCoverage[]> {
  const harness = await startEngineHarness();
  const ws = new WebSocket(`${harness.base}/app/${SAMPLE_APP_ID}?accessToken=ws-alice`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  try {
    const send = rpc(ws);
    const handleOf = async (handle: number, method: string, params: unknown[]): Promise<number> => {
      const answer = await send(handle, method, params);
      const h = answer.result?.qReturn?.qHandle;
      if (typeof h !== 'number') throw new Error(`${method} gave no handle: ${JSON.stringify(answer)}`);
      return h;
    };
    const doc = await handleOf(-1, 'OpenDoc', [SAMPLE_APP_ID]);
    const handles: Record<string, number> = {
      Global: -1,
      Doc: doc,
      GenericObject: await handleOf(doc, 'GetObject', [SALES_OBJECT_IDS.kpi]),
      Field: await handleOf(doc, 'GetField', ['Region']),
      GenericVariable: await handleOf(doc, 'GetVariableByName', ['vTarget']),
      GenericBookmark: await handleOf(doc, 'GetBookmark', [SALES_LIBRARY_IDS.europe2023]),
      GenericDimension: await handleOf(doc, 'GetDimension', [SALES_LIBRARY_IDS.region]),
      GenericMeasure: await handleOf(doc, 'GetMeasure', [SALES_LIBRARY_IDS.sales]),
    };
    const out: HandleCoverage[] = [];
    for (const [type, handle] of Object.entries(handles)) {
      const methods = Object.keys(schema.structs[type] ?? {});
      const missing: string[] = [];
      for (const method of methods) {
        const answer = await send(handle, method, {});
        if (answer.error?.code === -32601) missing.push(method);
      }
      out.push({ type, answered: methods.length - missing.length, total: methods.length, missing });
    }
    return out;
  } finally {
    ws.close();
    await harness.close();
  }
}

export function formatEngineCoverage(coverage: HandleCoverage[]): string[] {
  const lines = [`engine schema coverage (${SCHEMA_VERSION}, methods answered other than -32601):`];
  for (const c of coverage) {
    const ratio = c.total ? c.answered / c.total : 0;
    const goal = COVERAGE_GOALS[c.type];
    const verdict = goal === undefined ? '' : ` (goal ${Math.round(goal * 100)}%) ${ratio >= goal ? 'OK' : 'BELOW GOAL'}`;
    lines.push(`  ${c.type}: ${c.answered}/${c.total} (${(ratio * 100).toFixed(0)}%)${verdict}`);
  }
  for (const c of coverage) if (c.missing.length) lines.push(`  missing ${c.type}: ${c.missing.join(', ')}`);
  return lines;
}


/**
 * The engine's guards against one request holding everyone (issue 10, F6): how long the engine
 * takes to refuse a 5,000-page GetHyperCubeData and to run a 1,000-character wildcard
 * Field.Select over every customer, and how long another session's small request waits meanwhile.
 */
export async function benchEngineGuards(samples = 9): Promise<{ refuseMs: number; wildcardMs: number; otherSessionMs: number }> {
  const harness = await startEngineHarness();
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
  try {
    const [{ doc }, other] = [await harness.open(), await harness.open()];
    const props = { qInfo: { qType: 'guard' }, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['Customer'] } }], qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }] } };
    const cube = await call<Qix>(doc, 'createSessionObject', props);
    const otherCube = await call<Qix>(other.doc, 'createSessionObject', props);
    const customer = await call<Qix>(doc, 'getField', 'Customer');
    const pages = Array.from({ length: 5000 }, () => ({ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 5000 }));
    const refuse: number[] = [];
    const wildcard: number[] = [];
    const others: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      let started = performance.now();
      const refused = call(cube, 'getHyperCubeData', '/qHyperCubeDef', pages).catch(() => performance.now() - started);
      const otherStarted = performance.now();
      await call(otherCube, 'getHyperCubeData', '/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 20 }]);
      others.push(performance.now() - otherStarted);
      refuse.push((await refused) as number);
      started = performance.now();
      await call(customer, 'select', `${'*e'.repeat(499)}*Z`);
      wildcard.push(performance.now() - started);
    }
    return { refuseMs: median(refuse), wildcardMs: median(wildcard), otherSessionMs: median(others) };
  } finally {
    await harness.close();
  }
}

export function formatEngineGuards(g: { refuseMs: number; wildcardMs: number; otherSessionMs: number }): string {
  return `engine guards (F6), medians: refusing a 5,000-page request ${g.refuseMs.toFixed(1)} ms, a 1,000-character wildcard Field.Select ${g.wildcardMs.toFixed(1)} ms, another session's request meanwhile ${g.otherSessionMs.toFixed(1)} ms (issue 10 measured 25–39 s of frozen tenant before the caps)`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of formatEngineCoverage(await benchEngineCoverage())) console.log(line);
  console.log(formatEngineGuards(await benchEngineGuards()));
}
