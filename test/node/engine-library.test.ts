/**
 * The engine's library and selection features through the real enigma.js client with the full
 * published schema: master dimensions and measures, variables, bookmarks, field locks,
 * alternate states, set analysis and `$(…)` expansion, and -32601 for what is not implemented.
 * Expected numbers come from the generated rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SALES_LIBRARY_IDS as LIB } from '../../src/dev-tenant/engine/index.ts';
import type { GenericObjectLayout, HyperCube, NxCell, NxDimensionInfo, NxMeasureInfo, SelectionObject } from '../../src/qlik/qix-types.ts';
import { call, type EngineHarness, groupSum, near, qixError, type Qix, ROWS, startEngineHarness, sum } from '../support/engine-harness.ts';

type Cell = NxCell;
/** The kit's hypercube, plus the library ids and engine errors only these tests read. */
interface CubeLayout {
  qHyperCube: HyperCube & {
    qDimensionInfo: Array<NxDimensionInfo & { qLibraryId?: string; qError?: unknown }>;
    qMeasureInfo: Array<NxMeasureInfo & { qLibraryId?: string; qError?: { qContext: string } }>;
    qGrandTotalRow: Cell[];
  };
}
type ListLayout = Required<Pick<GenericObjectLayout, 'qListObject'>>;
type Selections = { qSelectionObject: SelectionObject };

let harness: EngineHarness;
before(async () => {
  harness = await startEngineHarness();
});
after(() => harness.close());

const evaluate = async (doc: Qix, expression: string): Promise<{ qText: string; qNumber: number | 'NaN' }> => call(doc, 'evaluateEx', expression);
const layoutOf = async <T>(api: Qix): Promise<T> => call<T>(api, 'getLayout');
const rowsBy = (cube: CubeLayout['qHyperCube']): Map<string, number[]> =>
  new Map((cube.qDataPages[0]?.qMatrix ?? []).map((row) => [row.slice(0, cube.qDimensionInfo.length).map((c) => c.qText).join('|'), row.slice(cube.qDimensionInfo.length).map((c) => c.qNum as number)]));

function cubeProps(dimensions: object[], measures: object[], extra: object = {}): object {
  return { qInfo: { qType: 'test-cube' }, qHyperCubeDef: { qDimensions: dimensions, qMeasures: measures, qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 6, qHeight: 500 }], ...extra } };
}
const field = (name: string): object => ({ qDef: { qFieldDefs: [name] } });
const expr = (text: string): object => ({ qDef: { qDef: text } });

const bySalesRegion = groupSum(ROWS, (r) => r.Region);
const total = sum(ROWS);

describe('master items', () => {
  test('GetDimension and GetMeasure give handles with layouts and properties; lists name every item', async () => {
    const { doc } = await harness.open();
    const region = await call<Qix>(doc, 'getDimension', LIB.region);
    assert.equal(region.type, 'GenericDimension');
    const dimLayout = await layoutOf<{ qDim: { qFieldDefs: string[] }; qDimInfos: Array<{ qName: string }>; qMeta: { title: string } }>(region);
    assert.deepEqual(dimLayout.qDim.qFieldDefs, ['Region']);
    assert.deepEqual(dimLayout.qDimInfos.map((i) => i.qName), ['Region']);
    const salesMeasure = await call<Qix>(doc, 'getMeasure', LIB.sales);
    assert.equal(salesMeasure.type, 'GenericMeasure');
    assert.equal((await call<{ qMeasure: { qDef: string } }>(salesMeasure, 'getProperties')).qMeasure.qDef, 'Sum(Sales)');
    const lists = await call<Qix>(doc, 'createSessionObject', { qInfo: { qType: 'lists' }, qDimensionListDef: { qType: 'dimension', qData: { title: '/qMetaDef/title' } }, qMeasureListDef: { qType: 'measure' } });
    const listLayout = await layoutOf<{ qDimensionList: { qItems: Array<{ qInfo: { qId: string }; qData: { title: string } }> }; qMeasureList: { qItems: Array<{ qInfo: { qId: string } }> } }>(lists);
    assert.deepEqual(listLayout.qDimensionList.qItems.map((i) => i.qInfo.qId), [LIB.region, LIB.category, LIB.yearMonth]);
    assert.deepEqual(listLayout.qDimensionList.qItems.map((i) => i.qData.title), ['Region', 'Category', 'YearMonth']);
    assert.deepEqual(listLayout.qMeasureList.qItems.map((i) => i.qInfo.qId), [LIB.sales, LIB.quantity, LIB.orders]);
  });

  test('qLibraryId is resolved in hypercubes; a created master measure is usable at once; an unknown id is an error', async () => {
    const { doc } = await harness.open();
    const cube = await call<Qix>(doc, 'createSessionObject', cubeProps([{ qLibraryId: LIB.region }], [{ qLibraryId: LIB.sales }, { qLibraryId: LIB.orders }]));
    const layout = (await layoutOf<CubeLayout>(cube)).qHyperCube;
    assert.equal(layout.qDimensionInfo[0]?.qLibraryId, LIB.region);
    assert.equal(layout.qMeasureInfo[1]?.qLibraryId, LIB.orders);
    assert.equal(layout.qMeasureInfo[0]?.qFallbackTitle, 'Sales');
    const rows = rowsBy(layout);
    for (const [region, sales] of bySalesRegion) {
      near(rows.get(region)?.[0], sales, region);
      near(rows.get(region)?.[1], new Set(ROWS.filter((r) => r.Region === region).map((r) => r.OrderID)).size, `${region} orders`);
    }
    await call(doc, 'createMeasure', { qInfo: { qId: 'msr-avg' }, qMeasure: { qLabel: 'Average', qDef: 'Avg(Quantity)' } });
    const avg = await call<Qix>(doc, 'createSessionObject', cubeProps([], [{ qLibraryId: 'msr-avg' }, { qLibraryId: 'msr-none' }]));
    const avgLayout = (await layoutOf<CubeLayout>(avg)).qHyperCube;
    near(avgLayout.qDataPages[0]?.qMatrix[0]?.[0]?.qNum, sum(ROWS, (r) => r.Quantity) / ROWS.length, 'Avg(Quantity)');
    assert.match(avgLayout.qMeasureInfo[1]?.qError?.qContext ?? '', /msr-none/);
    const listbox = await call<Qix>(doc, 'createSessionObject', { qInfo: { qType: 'lb' }, qListObjectDef: { qLibraryId: LIB.category, qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 50 }] } });
    const texts = (await layoutOf<ListLayout>(listbox)).qListObject.qDataPages[0]?.qMatrix.map((r) => r[0]?.qText).sort();
    assert.deepEqual(texts, [...new Set(ROWS.map((r) => r.Category))].sort());
  });
});

describe('variables', () => {
  test('by name and id, with values; set, created and destroyed; $(…) expands them in expressions', async () => {
    const { doc } = await harness.open();
    const target = await call<Qix>(doc, 'getVariableByName', 'vTarget');
    assert.equal(target.type, 'GenericVariable');
    const targetLayout = await layoutOf<{ qNum: number; qText: string; qIsScriptCreated: boolean }>(target);
    assert.equal(targetLayout.qNum, 1_000_000);
    assert.equal(targetLayout.qIsScriptCreated, true);
    assert.equal((await layoutOf<{ qText: string }>(await call<Qix>(doc, 'getVariableById', 'vRegion'))).qText, 'Europe');
    near((await evaluate(doc, "Sum({<Region={'$(vRegion)'}>} Sales)")).qNumber, bySalesRegion.get('Europe') as number, 'set with $(vRegion)');
    near((await evaluate(doc, 'Sum(Sales) / $(vTarget)')).qNumber, total / 1_000_000, 'Sum / $(vTarget)');
    assert.equal(await call<string>(doc, 'expandExpression', '=$(vGrowth)*2'), '=0.1*2');

    const changed = new Promise<void>((resolve) => target.on('changed', () => resolve()));
    await call(target, 'setNumValue', 2_000_000);
    await changed;
    near((await evaluate(doc, 'Sum(Sales) / $(vTarget)')).qNumber, total / 2_000_000, 'after SetNumValue');
    await call(target, 'setStringValue', '=Count(distinct Region)');
    assert.equal((await layoutOf<{ qNum: number }>(target)).qNum, 4);

    // Like the engine, CreateVariableEx returns the new variable's handle (enigma.js makes it an object).
    const created = await call<Qix>(doc, 'createVariableEx', { qInfo: { qType: 'variable' }, qName: 'vShare', qDefinition: '0.25' });
    assert.equal(created.type, 'GenericVariable');
    const share = await call<Qix>(doc, 'getVariableById', created.id);
    near((await layoutOf<{ qNum: number }>(share)).qNum, 0.25, 'vShare');
    await assert.rejects(call(doc, 'createVariableEx', { qName: 'vShare', qDefinition: '1' }), qixError(18001, 'vShare'));
    const session = await call<Qix>(doc, 'createSessionVariable', { qName: 'vSession', qDefinition: 'x' });
    assert.equal((await call<{ qName: string }>(session, 'getProperties')).qName, 'vSession');
    const list = await call<Qix>(doc, 'createSessionObject', { qInfo: { qType: 'vars' }, qVariableListDef: { qType: 'variable', qShowSession: true } });
    const names = (await layoutOf<{ qVariableList: { qItems: Array<{ qName: string }> } }>(list)).qVariableList.qItems.map((i) => i.qName);
    assert.deepEqual(names, ['vTarget', 'vRegion', 'vGrowth', 'vShare', 'vSession']);
    assert.equal((await call<boolean>(doc, 'destroyVariableById', created.id)), true);
    await assert.rejects(call(doc, 'getVariableById', created.id), qixError(-2));
    // Another session sees the app's own value, untouched by this session's SetNumValue.
    const other = await harness.open();
    assert.equal((await layoutOf<{ qNum: number }>(await call<Qix>(other.doc, 'getVariableByName', 'vTarget'))).qNum, 1_000_000);
  });
});

describe('bookmarks', () => {
  test('the stored bookmark restores Region=Europe, Year=2023; a created one stores and restores selections per state', async () => {
    const { doc } = await harness.open();
    assert.equal(await call<boolean>(doc, 'applyBookmark', LIB.europe2023), true);
    const europe2023 = ROWS.filter((r) => r.Region === 'Europe' && r.Year === 2023);
    near((await evaluate(doc, 'Sum(Sales)')).qNumber, sum(europe2023), 'after ApplyBookmark');
    const app = await call<Selections>(doc, 'getAppLayout');
    assert.deepEqual(app.qSelectionObject.qSelections.map((s) => `${s.qField}=${s.qSelected}`).sort(), ['Region=Europe', 'Year=2023']);

    await call(doc, 'addAlternateState', 'B');
    await call(await call<Qix>(doc, 'getField', 'Category', 'B'), 'select', 'Bikes');
    await call(await call<Qix>(doc, 'getField', 'Region'), 'select', 'Americas');
    const created = await call<Qix>(doc, 'createBookmark', { qInfo: { qType: 'bookmark' }, qMetaDef: { title: 'Americas' } });
    await call(doc, 'clearAll');
    near((await evaluate(doc, 'Sum(Sales)')).qNumber, total, 'cleared');
    const bookmark = await call<Qix>(doc, 'getBookmark', created.id);
    assert.equal(bookmark.type, 'GenericBookmark');
    const layout = await layoutOf<{ qMeta: { title: string }; qBookmark: { qStateData: Array<{ qStateName: string; qFieldItems: Array<{ qDef: { qName: string }; qValues: Array<{ qText: string }> }> }> } }>(bookmark);
    assert.equal(layout.qMeta.title, 'Americas');
    const stored = Object.fromEntries(layout.qBookmark.qStateData.map((s) => [s.qStateName, s.qFieldItems.map((f) => `${f.qDef.qName}=${f.qValues.map((v) => v.qText).join(',')}`)]));
    // Year=2023 is still selected from the applied bookmark.
    assert.deepEqual(stored, { $: ['Region=Americas', 'Year=2023'], B: ['Category=Bikes'] });
    assert.deepEqual((await call<Array<{ qText: string }>>(bookmark, 'getFieldValues', 'Region', false, { qStartIndex: 0, qEndIndex: 10 })).map((v) => v.qText), ['Americas']);
    assert.equal(await call<boolean>(bookmark, 'apply'), true);
    near((await evaluate(doc, 'Sum(Sales)')).qNumber, sum(ROWS.filter((r) => r.Region === 'Americas' && r.Year === 2023)), 'restored $');
    near((await evaluate(doc, 'Sum({B} Sales)')).qNumber, sum(ROWS.filter((r) => r.Category === 'Bikes')), 'restored B');
    const list = await call<Qix>(doc, 'createSessionObject', { qInfo: { qType: 'bms' }, qBookmarkListDef: { qType: 'bookmark', qData: { title: '/qMetaDef/title' } } });
    const items = (await layoutOf<{ qBookmarkList: { qItems: Array<{ qData: { title: string } }> } }>(list)).qBookmarkList.qItems;
    assert.deepEqual(items.map((i) => i.qData.title), ['Europe 2023', 'Americas']);
    const temp = await call<string>(doc, 'storeTempSelectionState');
    await call(doc, 'clearAll');
    await call(doc, 'restoreTempSelectionState', temp);
    near((await evaluate(doc, 'Sum(Sales)')).qNumber, sum(ROWS.filter((r) => r.Region === 'Americas' && r.Year === 2023)), 'temporary selection state');
    assert.equal(await call<boolean>(doc, 'destroyBookmark', created.id), true);
    assert.equal(await call<boolean>(doc, 'applyBookmark', created.id), false);
  });
});

describe('fields', () => {
  test('GetFieldDescription; a locked field refuses changes and survives ClearAll until unlocked', async () => {
    const { doc } = await harness.open();
    const description = await call<{ qName: string; qCardinal: number; qTotalCount: number; qIsLocked: boolean }>(doc, 'getFieldDescription', 'Region');
    assert.deepEqual([description.qName, description.qCardinal, description.qTotalCount, description.qIsLocked], ['Region', bySalesRegion.size, ROWS.length, false]);
    const region = await call<Qix>(doc, 'getField', 'Region');
    assert.equal(await call<boolean>(region, 'select', 'Europe'), true);
    await call(region, 'lock');
    assert.equal((await call<{ qIsLocked: boolean }>(doc, 'getFieldDescription', 'Region')).qIsLocked, true);
    assert.equal(await call<boolean>(region, 'select', 'Americas'), false);
    assert.equal(await call<boolean>(region, 'clear'), false);
    await call(doc, 'clearAll');
    near((await evaluate(doc, 'Sum(Sales)')).qNumber, bySalesRegion.get('Europe') as number, 'locked Europe kept by ClearAll');
    const app = await call<Selections>(doc, 'getAppLayout');
    assert.equal(app.qSelectionObject.qSelections[0]?.qLocked, true);
    await call(doc, 'unlockAll');
    assert.equal(await call<boolean>(region, 'select', 'Americas'), true);
    await call(doc, 'lockAll');
    await call(doc, 'clearAll', true);
    near((await evaluate(doc, 'Sum(Sales)')).qNumber, total, 'ClearAll(qLockedAlso)');
    await call(doc, 'clearUndoBuffer');
  });
});

describe('alternate states', () => {
  test('selections per state, qStateName in hypercubes and list objects, qStateNames in the app layout', async () => {
    const { doc } = await harness.open();
    await call(doc, 'addAlternateState', 'Compare');
    assert.deepEqual((await call<{ qStateNames: string[] }>(doc, 'getAppLayout')).qStateNames, ['Compare']);
    assert.equal(await call<boolean>(await call<Qix>(doc, 'getField', 'Region', 'Compare'), 'select', 'Asia Pacific'), true);
    near((await evaluate(doc, 'Sum(Sales)')).qNumber, total, 'default state untouched');
    near((await evaluate(doc, 'Sum({Compare} Sales)')).qNumber, bySalesRegion.get('Asia Pacific') as number, '{Compare}');
    const cube = await call<Qix>(doc, 'createSessionObject', cubeProps([field('Region')], [expr('Sum(Sales)')], { qStateName: 'Compare' }));
    assert.deepEqual([...rowsBy((await layoutOf<CubeLayout>(cube)).qHyperCube).keys()], ['Asia Pacific']);
    const list = await call<Qix>(doc, 'createSessionObject', { qInfo: { qType: 'lb' }, qListObjectDef: { qStateName: 'Compare', qDef: { qFieldDefs: ['Region'] }, qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 10 }] } });
    const states = (await layoutOf<ListLayout>(list)).qListObject.qDataPages[0]?.qMatrix.map((r) => `${r[0]?.qText}:${r[0]?.qState}`);
    assert.ok(states?.includes('Asia Pacific:S') && states.filter((s) => s.endsWith(':S')).length === 1, String(states));
    await call(list, 'selectListObjectValues', '/qListObjectDef', [(await layoutOf<ListLayout>(list)).qListObject.qDataPages[0]?.qMatrix.find((r) => r[0]?.qText === 'Europe')?.[0]?.qElemNumber], false);
    near((await evaluate(doc, 'Sum({Compare} Sales)')).qNumber, bySalesRegion.get('Europe') as number, 'list selection in Compare');
    await call(doc, 'removeAlternateState', 'Compare');
    assert.deepEqual((await call<{ qStateNames: string[] }>(doc, 'getAppLayout')).qStateNames, []);
    await assert.rejects(call(doc, 'getField', 'Region', 'Compare'), qixError(2, 'Compare'));
  });
});

describe('expressions', () => {
  test('set analysis inside aggregations: {1}, {$}, element lists, clearing modifiers, numbers', async () => {
    const { doc } = await harness.open();
    await call(await call<Qix>(doc, 'getField', 'Year'), 'select', '2024');
    const in2024 = ROWS.filter((r) => r.Year === 2024);
    near((await evaluate(doc, 'Sum(Sales)')).qNumber, sum(in2024), 'selection');
    near((await evaluate(doc, 'Sum({1} Sales)')).qNumber, total, '{1}');
    near((await evaluate(doc, 'Sum({$} Sales)')).qNumber, sum(in2024), '{$}');
    near((await evaluate(doc, "Sum({<Region={'Europe','Americas'}>} Sales)")).qNumber, sum(in2024.filter((r) => r.Region === 'Europe' || r.Region === 'Americas')), 'element list');
    near((await evaluate(doc, 'Sum({<Year=>} Sales)')).qNumber, total, 'Year= clears');
    near((await evaluate(doc, 'Sum({<Year={2023}>} Sales)')).qNumber, sum(ROWS.filter((r) => r.Year === 2023)), 'number element');
    near((await evaluate(doc, 'Sum({<Region={"Eu*"}>} Quantity)')).qNumber, sum(in2024.filter((r) => r.Region === 'Europe'), (r) => r.Quantity), 'search element');
    near((await evaluate(doc, "Count({<Region={'Nowhere'}>} Sales)")).qNumber, 0, 'no match: no rows');
    near((await evaluate(doc, 'If(Sum(Sales) > 0, RangeMax(1, 2, 3), 0)')).qNumber, 3, 'scalar functions');

    const cube = await call<Qix>(doc, 'createSessionObject', cubeProps([field('Region')], [expr('Sum(Sales)'), expr('Sum({1} Sales)'), expr('Sum(Sales) / Sum({<Year=>} Sales)')]));
    const layout = (await layoutOf<CubeLayout>(cube)).qHyperCube;
    const rows = rowsBy(layout);
    const byRegion2024 = groupSum(in2024, (r) => r.Region);
    for (const [region, value] of byRegion2024) {
      near(rows.get(region)?.[0], value, `${region} 2024`);
      near(rows.get(region)?.[1], bySalesRegion.get(region) as number, `${region} {1}`);
      near(rows.get(region)?.[2], value / (bySalesRegion.get(region) as number), `${region} share`);
    }
    near(layout.qGrandTotalRow[1]?.qNum, total, 'total of {1}');
    assert.equal(await call<string>(doc, 'getSetAnalysis'), '{<[Year]={2024}>}');
  });

  test('CheckExpression names bad fields; GetFieldsFromExpression lists fields', async () => {
    const { doc } = await harness.open();
    const checked = await call<{ qErrorMsg: string; qBadFieldNames: Array<{ qFrom: number; qCount: number }> }>(doc, 'checkExpression', 'Sum(Nope) + Sum(Sales)');
    assert.deepEqual(checked.qBadFieldNames, [{ qFrom: 4, qCount: 4 }]);
    assert.equal((await call<{ qErrorMsg: string }>(doc, 'checkExpression', 'Sum(Sales')).qErrorMsg, 'Expected ")"');
    assert.deepEqual(await call<string[]>(doc, 'getFieldsFromExpression', 'Sum({<Year={2023}>} Sales * Quantity)'), ['Year', 'Sales', 'Quantity']);
  });
});

describe('objects and children', () => {
  test('CreateChild, GetChild, GetParent, DestroyChild; GetAllInfos lists library items too', async () => {
    const { doc } = await harness.open();
    const parent = await call<Qix>(doc, 'createSessionObject', { qInfo: { qId: 'parent', qType: 'container' }, qChildListDef: { qData: { title: '/title' } } });
    const child = await call<Qix>(parent, 'createChild', { qInfo: { qId: 'kid', qType: 'text' }, title: 'Kid' });
    assert.equal(child.id, 'kid');
    assert.equal((await call<Qix>(child, 'getParent')).id, 'parent');
    assert.equal((await call<Qix>(parent, 'getChild', 'kid')).id, 'kid');
    assert.deepEqual(Object.keys(await call<Record<string, unknown>>(child, 'getProperties')).sort(), ['qInfo', 'title']);
    const layout = await layoutOf<{ qChildList: { qItems: Array<{ qData: { title: string } }> } }>(parent);
    assert.deepEqual(layout.qChildList.qItems.map((i) => i.qData.title), ['Kid']);
    assert.equal(await call<boolean>(parent, 'destroyChild', 'kid'), true);
    assert.deepEqual(await call(parent, 'getChildInfos'), []);
    const infos = await call<Array<{ qId: string; qType: string }>>(doc, 'getAllInfos');
    for (const id of [LIB.region, LIB.sales, LIB.europe2023, LIB.vTarget]) assert.ok(infos.some((i) => i.qId === id), id);
  });
});

describe('methods not implemented', () => {
  test('answer -32601 naming the method', async () => {
    const { doc, global } = await harness.open();
    await assert.rejects(call(doc, 'getScriptBreakpoints'), qixError(-32601, 'GetScriptBreakpoints'));
    await assert.rejects(call(global, 'shutdownProcess'), qixError(-32601, 'ShutdownProcess'));
    const object = await call<Qix>(doc, 'createSessionObject', cubeProps([field('Region')], [expr('Sum(Sales)')]));
    await assert.rejects(call(object, 'expandLeft', '/qHyperCubeDef', 0, 0, false), qixError(-32601, 'ExpandLeft'));
  });
});
